"""Annual totals per drug, as UNODC's annual questionnaire asks: seizure events and kg-equivalent per year.

Over the approved drug seizures the reader may see (and may take out: H2
records of other agencies stay with their owner, as in every export), with
the counting rules of every other total (sql/counting.py): a seizure event
reported by two agencies once. One grouped query; the page and the XLSX
export show the same table.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, select

from ops import policy, vocab
from ops.models import Seizure, utcnow
from ops.search.sql import periods

FIRST_YEAR, LAST_YEAR = 1990, 2100


class YearsError(ValueError):
    """A year range that cannot be read; the message says why."""


@dataclass
class Line:
    commodity: str
    cells: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # year -> (events, kg)

    def total(self) -> tuple[int, Decimal]:
        return sum(c[0] for c in self.cells.values()), sum((c[1] for c in self.cells.values()), Decimal(0))


@dataclass
class Annual:
    years: list[str]
    lines: list[Line]

    def year_total(self, year: str) -> tuple[int, Decimal]:
        cells = [line.cells.get(year, (0, Decimal(0))) for line in self.lines]
        return sum(c[0] for c in cells), sum((c[1] for c in cells), Decimal(0))


def parse_years(args) -> tuple[int | None, int | None]:
    """`from_year` and `to_year` of the query string (both optional); YearsError for anything else."""
    unknown = sorted(set(args.keys()) - {"from_year", "to_year"})
    if unknown:
        raise YearsError(_l("“%(name)s” is not a setting of this table.", name=unknown[0]))
    found = []
    for name in ("from_year", "to_year"):
        raw = (args.get(name) or "").strip()
        if not raw:
            found.append(None)
            continue
        if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
            raise YearsError(
                _l("“%(value)s” is not a year between %(a)s and %(b)s.", value=raw, a=FIRST_YEAR, b=LAST_YEAR)
            )
        found.append(int(raw))
    if found[0] and found[1] and found[0] > found[1]:
        raise YearsError(_l("The last year is before the first."))
    return found[0], found[1]


def compute(db, user, first_year: int | None = None, last_year: int | None = None) -> Annual:
    zone = periods.reporting_zone()
    first = date(first_year, 1, 1) if first_year else None
    last = date(last_year, 12, 31) if last_year else None
    year = periods.period(db, zone, "year", first, last).label("year")
    where = [
        policy.visible_seizures(user),
        policy.exportable_seizures(user),
        policy.counted_seizures(user),
        Seizure.op_status == "approved",
        Seizure.category == "drugs",
    ]
    if first:
        where.append(Seizure.occurred_at >= periods.day_start(first, zone))
    if last:
        where.append(Seizure.occurred_at < periods.day_start(date(last_year + 1, 1, 1), zone))
    rows = db.execute(
        select(Seizure.commodity, year, func.count(), func.sum(Seizure.kg_equivalent))
        .where(*where)
        .group_by(Seizure.commodity, year)
    ).all()
    lines: dict[str, Line] = {}
    for commodity, label, count, kg in rows:
        line = lines.setdefault(commodity, Line(commodity))
        line.cells[label] = (count, Decimal(str(kg)) if kg is not None else Decimal(0))
    years = sorted({label for _c, label, _n, _kg in rows if label})
    ordered = sorted(lines.values(), key=lambda line: (-line.total()[1], line.commodity))
    return Annual(years, ordered)


def drug_name(commodity: str) -> str:
    item = vocab.COMMODITIES.get(commodity)
    return item.unodc_name if item and item.unodc_name else vocab.commodity_label(commodity)


def xlsx_file(table: Annual):
    """The table as a workbook: one row per drug, two columns (events, kg-equivalent) per year, then totals."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_l("Annual totals"))[:31])
    header = [str(_l("Drug"))]
    events_label, kg_label = str(_l("seizure events")), str(_l("kg-equivalent"))
    for year in table.years:
        header += [f"{year} · {events_label}", f"{year} · {kg_label}"]
    sheet.append(header + [str(_l("All years: seizure events")), str(_l("All years: kg-equivalent"))])
    for line in table.lines:
        row = [drug_name(line.commodity)]
        for year in table.years:
            events, kg = line.cells.get(year, (0, Decimal(0)))
            row += [events, float(kg)]
        events, kg = line.total()
        sheet.append(row + [events, float(kg)])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def filename() -> str:
    return f"annual-totals-{utcnow().astimezone(periods.reporting_zone()):%Y%m%d-%H%M}.xlsx"
