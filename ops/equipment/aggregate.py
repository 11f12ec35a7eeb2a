"""The aggregate rule, applied by one function: figures for readers who may not read the records behind them.

design.md, "Rules that carry the next features": approved records only;
records with handling code H2 or H3, or marked silent, count in grand totals
only; any cell under 3 seizure events shows as "<3"; never a reference, a date
finer than the month, or a place finer than the crossing point.

`aggregate()` is that rule. The programme report and the team pages ask it for
cells grouped by the dimensions below (none of them finer than allowed) and
never read records themselves. Everything is grouped in SQL, one row per
operation joined to per-operation sub-totals, so nothing is counted twice; and a
seizure reported by two agencies (a linked seizure event) counts once, as its
primary report, when that one is approved too (policy.counted_in_aggregates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import not_, or_, select
from sqlmodel import Session

from ops import policy
from ops.models import Operation, Seizure
from ops.search.sql import operation_figures, periods

MASK = "<3"
THRESHOLD = 3  # a cell made of fewer seizure events (or operations) than this is shown as MASK
# the only groupings a reader of aggregates may ask for: nothing finer than month or crossing point
DIMENSIONS = ("team", "agency", "crossing_point", "month", "quarter", "category", "kind")


@dataclass(frozen=True)
class Query:
    starts_on: date
    ends_on: date  # inclusive
    dimensions: tuple[str, ...] = ()
    team_ids: tuple[int, ...] | None = None  # None: every team
    item_ids: tuple[int, ...] | None = None  # with "kind": only these items count as used
    with_total: bool = True  # False: the caller has the grand total already (one query less)


@dataclass
class Cell:
    operations: int | str = 0
    joint: int | str = 0
    events: int | str = 0  # seizure events
    kg: Decimal | str = Decimal(0)
    persons: int | str = 0  # persons detained

    @property
    def joint_share(self) -> float | None:
        if isinstance(self.operations, int) and isinstance(self.joint, int) and self.operations:
            return self.joint / self.operations
        return None


@dataclass
class Result:
    cells: dict[tuple, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)


RESTRICTED_CODES = ("H2", "H3")


def aggregate(db: Session, query: Query) -> Result:
    """Cells by query.dimensions and the grand total, with the aggregate rule applied."""
    unknown = set(query.dimensions) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"not an aggregate dimension: {sorted(unknown)}")
    return Result(cells={key: _masked(cell) for key, cell in _raw_cells(db, query).items()}, total=_total(db, query))


# dimensions of the operation itself: each operation lies in exactly one group of each
OPERATION_DIMENSIONS = ("team", "agency", "crossing_point", "month", "quarter")


def aggregate_by_each(db: Session, query: Query) -> dict[str, Result]:
    """aggregate() by each of query.dimensions on its own ({dimension: Result}, each with the grand total).

    One grouped statement by all of them, added up per dimension before masking, instead of one statement
    each: every statement computes the same per-operation sub-totals of every operation in scope (at a million
    seizures, a year's 90,000 operations). Operation dimensions only, where adding up counts nothing twice."""
    if not set(query.dimensions) <= set(OPERATION_DIMENSIONS):
        raise ValueError(
            f"not a dimension of the operation: {sorted(set(query.dimensions) - set(OPERATION_DIMENSIONS))}"
        )
    whole, total = _cells_and_total(db, query) if query.with_total else (_raw_cells(db, query), Cell())
    results = {}
    for position, name in enumerate(query.dimensions):
        raw: dict[tuple, Cell] = {}
        for key, cell in whole.items():
            _fold(raw, (key[position],), cell)
        results[name] = Result(cells={key: _masked(cell) for key, cell in raw.items()}, total=total)
    return results


def _base(query: Query) -> list:
    zone = periods.reporting_zone()  # months of the reporting calendar, as everywhere else
    base = [
        Operation.status == "approved",  # approved records only
        Operation.started_at >= periods.day_start(query.starts_on, zone),
        Operation.started_at < periods.day_start(query.ends_on + timedelta(days=1), zone),
    ]
    if query.team_ids is not None:
        base.append(Operation.owner_team_id.in_(query.team_ids or (-1,)))
    return base


def _restricted():
    """Restricted records (handling code H2 or H3, or marked silent by their owner's supervisors, who give no hit
    on it either) count in the grand total only, never in a cell."""
    return or_(Operation.handling_code.in_(RESTRICTED_CODES), Operation.silent.is_(True))


def _is_restricted(handling_code: str, silent: bool) -> bool:
    """_restricted() of a group's values, in Python."""
    return handling_code in RESTRICTED_CODES or bool(silent)


def _raw_cells(db: Session, query: Query) -> dict[tuple, Cell]:
    """Unmasked cells by query.dimensions, restricted records left out."""
    raw: dict[tuple, Cell] = {}
    for values, cell in _rows(db, query, [*_base(query), not_(_restricted())], _sql_dimensions(query)):
        _fold(raw, _key(query, values), cell)
    return raw


def _cells_and_total(db: Session, query: Query) -> tuple[dict[tuple, Cell], Cell]:
    """_raw_cells() and _total() from one grouped statement instead of two, for dimensions of the operation.

    Grouped by handling code and silence as well: the restricted groups stay out of the cells, and every group
    adds to the total. Each operation lies in exactly one group, so the sum counts nothing twice; and both
    statements computed the same per-operation sub-totals of every operation in scope (at a million seizures, a
    year's 90,000 operations), the costliest part of the programme report."""
    raw: dict[tuple, Cell] = {}
    total = Cell()
    dimensions = (*_sql_dimensions(query), "handling_code", "silent")
    for values, cell in _rows(db, query, _base(query), dimensions):
        total = _add(total, cell)
        if not _is_restricted(*values[-2:]):
            _fold(raw, _key(query, values[:-2]), cell)
    return raw, _masked(total)


def _sql_dimensions(query: Query) -> tuple[str, ...]:
    # quarters are read as months and added up before masking (an operation lies in one month)
    return tuple("month" if name == "quarter" else name for name in query.dimensions)


def _key(query: Query, values: tuple) -> tuple:
    return tuple(_quarter(v) if name == "quarter" else v for name, v in zip(query.dimensions, values, strict=True))


def _fold(cells: dict[tuple, Cell], key: tuple, cell: Cell) -> None:
    cells[key] = _add(cells[key], cell) if key in cells else cell


def _total(db: Session, query: Query) -> Cell:
    """The masked grand total, restricted records included; an empty Cell where the caller has it already."""
    if not query.with_total:
        return Cell()
    return _masked(dict(_rows(db, query, _base(query), ())).get((), Cell()))


def _approved(seizure):
    """The aggregate scope of a linked report's primary: approved records."""
    return seizure.op_status == "approved"


def _quarter(month: str) -> str:
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def _add(a: Cell, b: Cell) -> Cell:
    return Cell(a.operations + b.operations, a.joint + b.joint, a.events + b.events, a.kg + b.kg, a.persons + b.persons)


def _masked(raw: Cell) -> Cell:
    """Small cells say only "fewer than three"; a few seizures' weight or detainees are not shown either."""
    few_events = raw.events < THRESHOLD
    return Cell(
        operations=MASK if raw.operations < THRESHOLD else raw.operations,
        joint=MASK if 0 < raw.joint < THRESHOLD or raw.operations < THRESHOLD else raw.joint,
        events=MASK if few_events else raw.events,
        kg=MASK if few_events else raw.kg,
        persons=MASK if few_events or 0 < raw.persons < THRESHOLD else raw.persons,
    )


def _rows(db: Session, query: Query, where: list, dimensions: tuple[str, ...]):
    """(dimension values, unmasked Cell) per group: the shared grouped SQL (operation_figures.rows)."""
    month = periods.period(db, periods.reporting_zone(), "month", query.starts_on, query.ends_on, Operation.started_at)

    def seizures(columns, in_scope):  # each seizure event once (policy.counted_in_aggregates)
        return select(*columns).where(Seizure.operation_id.in_(in_scope), policy.counted_in_aggregates(_approved))

    found_rows = operation_figures.rows(db, where, dimensions, month=month, seizures=seizures, item_ids=query.item_ids)
    for key, found in found_rows:
        yield key, Cell(found.operations, found.joint, found.events, found.kg, found.persons)
