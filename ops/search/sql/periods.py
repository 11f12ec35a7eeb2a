"""Years and months of the reporting calendar, computed in SQL.

Date filters, year facets and monthly charts all use one calendar, the
reporting time zone (OPS_DEFAULT_TIMEZONE): a shared link returns the same
rows for every reader, and a facet "2023" counts exactly what the filter
2023-01-01..2023-12-31 returns. PostgreSQL converts with AT TIME ZONE.
SQLite compares the stored UTC text with the periods' UTC starts, computed
here with zoneinfo (exact across any offset change), in a balanced CASE:
a few string comparisons per row instead of parsing each timestamp.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, literal, literal_column, select

from ops.models import Seizure

PG_FORMATS = {"year": "YYYY", "month": "YYYY-MM"}


def reporting_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("DEFAULT_TIMEZONE") or "Asia/Tashkent")


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _period_starts(unit: str, first: date, last: date) -> list[tuple[date, str]]:
    if unit == "year":
        return [(date(year, 1, 1), f"{year:04d}") for year in range(first.year, last.year + 1)]
    starts, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        starts.append((date(year, month, 1), f"{year:04d}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def _balanced(column, starts: list[tuple[datetime, str]]):
    """The label of the period holding `column`: periods are [start, next start); earlier rows get the first."""
    if len(starts) == 1:
        return literal(starts[0][1])
    middle = len(starts) // 2
    return case(
        (column < literal(starts[middle][0], type_=column.type), _balanced(column, starts[:middle])),
        else_=_balanced(column, starts[middle:]),
    )


def _data_range(db, zone: ZoneInfo) -> tuple[date, date] | None:
    # two queries: SQLite reads a lone min() or max() from the index, but both together scan the table
    low = db.execute(select(func.min(Seizure.occurred_at))).scalar()
    high = db.execute(select(func.max(Seizure.occurred_at))).scalar()
    if low is None:
        return None
    as_local = lambda value: (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)  # noqa: E731
    return as_local(low).date(), as_local(high).date()


def period(db, zone: ZoneInfo, unit: str, first: date | None = None, last: date | None = None, column=None):
    """SQL text 'YYYY' or 'YYYY-MM' of `column` (Seizure.occurred_at) in `zone`, for rows between `first` and `last`.

    Another column (Operation.started_at, for the programme report) needs `first` and `last`.
    """
    column = Seizure.occurred_at if column is None else column
    if db.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(literal(zone.key), column), literal_column(f"'{PG_FORMATS[unit]}'"))
    if first is None or last is None:
        known = _data_range(db, zone)
        if known is None:
            return literal("")
        first, last = first or known[0], last or max(known[1], datetime.now(zone).date())
    starts = [(day_start(start, zone), label) for start, label in _period_starts(unit, first, last)]
    if not starts:  # the range ends before the data begins: no row can match, any label will do
        return literal("")
    return _balanced(column, starts)
