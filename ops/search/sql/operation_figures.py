"""Grouped figures of operations, in SQL: operations, joint operations (two or more agencies taking part),
seizures, kg-equivalent and persons detained, by team, agency, place, month, commodity category or kind of
equipment used.

One query shape for two kinds of reader: the programme report and the team pages ask it through the
aggregate rule (ops/equipment/aggregate.py: approved records, small cells masked), the dashboard's team axis
through the policy's filter (ops/search/dashboard/teams.py). The caller says which operations count (`where`)
and, optionally, which of their seizures (`seizures`); each operation is one row underneath, joined to its
per-operation sub-totals, so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, distinct, func, select

from ops.models import Operation, OperationAgency, Person, Seizure
from ops.models_equipment import EquipmentItem, OperationEquipment

# "handling_code" and "silent": for callers that fold groups themselves (the aggregate rule's grand total)
DIMENSIONS = ("team", "agency", "crossing_point", "month", "category", "kind", "handling_code", "silent")


@dataclass(frozen=True)
class Figures:
    operations: int = 0
    joint: int = 0
    events: int = 0  # seizures (seizure events)
    kg: Decimal = Decimal(0)
    persons: int = 0  # persons detained

    @property
    def joint_share(self) -> float | None:
        return self.joint / self.operations if self.operations else None


def rows(
    db,
    where: list,
    dimensions: tuple[str, ...],
    month=None,
    seizures: Callable[[list, object], object] | None = None,
    item_ids: tuple[int, ...] | None = None,
) -> Iterator[tuple[tuple, Figures]]:
    """(dimension values, Figures) per group of the operations matching `where`.

    month: the SQL expression of an operation's month ("YYYY-MM"), needed with the "month" dimension;
    seizures(columns, in_scope): a SELECT of those columns FROM seizure restricted to the seizures that count
    (default: every seizure of the operations in scope); `in_scope` is the SELECT of the ids of the operations
    in scope, read from the statement's one CTE; item_ids: with "kind", only these items count."""
    stmt, _scope = _grouped(where, dimensions, month, seizures, item_ids)
    for row in db.execute(stmt):
        yield _decoded(row, len(dimensions), "category" in dimensions)


def rows_with_equipment(
    db, where: list, dimensions: tuple[str, ...], month=None, seizures: Callable[[list, object], object] | None = None
) -> Iterator[tuple[tuple, Figures, tuple[int, int]]]:
    """rows(), the first dimension being "team", with the equipment its owning team used beside each group:
    (distinct items, times used) over all the team's operations in scope. One statement, so that the
    operations in scope (the policy's filter, the costliest part) are read once for both."""
    if dimensions[0] != "team":
        raise ValueError("the equipment is counted per team: the first dimension must be the team")
    stmt, scope = _grouped(where, dimensions, month, seizures, None)
    cells = stmt.subquery("cells")
    used = _equipment_per_team(scope)
    n = len(dimensions)
    joined = select(cells, func.coalesce(used.c.items_used, 0), func.coalesce(used.c.times_used, 0)).select_from(
        cells.outerjoin(used, used.c.team == list(cells.c)[0])
    )
    for row in db.execute(joined):
        keys, figures = _decoded(row[: n + 5], n, False)
        yield keys, figures, (int(row[n + 5]), int(row[n + 6]))


def _grouped(where: list, dimensions: tuple[str, ...], month, seizures, item_ids):
    """The grouped SELECT of `rows` and the CTE of the operations in scope it reads.

    The operations in scope are one common table expression, read once and asked by every part: the
    policy's filter and the caller's conditions are not evaluated again for each sub-total."""
    if "kind" in dimensions:
        # by kind of equipment, an operation that used none is in no group: its sub-totals are not worth asking
        where = [*where, Operation.id.in_(select(OperationEquipment.operation_id))]
    scope = _in_scope(where)
    in_scope = select(scope.c.id)
    parts = _per_operation(select(OperationAgency.operation_id.label("op"), func.count().label("n")), in_scope)
    detained = _per_operation(
        select(Person.operation_id.label("op"), func.count().label("n")).where(Person.arrested.is_(True)), in_scope
    )
    keys = [Seizure.operation_id.label("op")] + ([Seizure.category] if "category" in dimensions else [])
    measures = [func.count().label("events"), func.sum(Seizure.kg_equivalent).label("kg")]
    if seizures is None:
        seized_stmt = select(*keys, *measures).where(Seizure.operation_id.in_(in_scope))
    else:
        seized_stmt = seizures([*keys, *measures], in_scope)
    seized = seized_stmt.group_by(*keys).subquery()
    kinds = _kinds_used(in_scope, item_ids) if "kind" in dimensions else None
    columns = _dimension_columns(dimensions, seized, kinds, month)
    stmt = (
        select(
            *columns,
            func.count(distinct(Operation.id)),
            func.count(distinct(case((parts.c.n >= 2, Operation.id)))),
            func.coalesce(func.sum(seized.c.events), 0),
            func.coalesce(func.sum(seized.c.kg), 0),
            func.coalesce(func.sum(detained.c.n), 0),
        )
        .select_from(Operation)
        .join(parts, parts.c.op == Operation.id)
        .outerjoin(detained, detained.c.op == Operation.id)
        .outerjoin(seized, seized.c.op == Operation.id)
        # IN, not a join with the CTE: SQLite would scan the CTE once per operation of `parts` (no index on
        # a CTE; 3 s for a year at 100,000 seizures), where IN builds a b-tree of the ids once (37 ms)
        .where(Operation.id.in_(in_scope))
    )
    if kinds is not None:
        stmt = stmt.join(kinds, kinds.c.op == Operation.id)
    if "category" in dimensions:
        stmt = stmt.where(seized.c.category.is_not(None))
    if columns:
        stmt = stmt.group_by(*columns)
    return stmt, scope


def _decoded(row, n: int, by_category: bool) -> tuple[tuple, Figures]:
    ops, joint, events, kg, persons = row[n:]
    # by category, detainees would repeat in every category of their operation: not counted there
    persons = 0 if by_category else int(persons)
    return tuple(row[:n]), Figures(int(ops), int(joint), int(events), Decimal(kg or 0), persons)


def _in_scope(where: list):
    """The ids of the operations matching `where`, as a CTE (materialised where it is read more than once)."""
    return select(Operation.id.label("id")).where(*where).cte("in_scope")


def _per_operation(stmt, in_scope):
    """A per-operation sub-total, computed for the operations in scope only, not the whole table."""
    column = stmt.selected_columns[0]
    return stmt.where(column.in_(in_scope)).group_by(column).subquery()


def _kinds_used(in_scope, item_ids: tuple[int, ...] | None):
    """Distinct (operation, kind of item used) pairs, so that two radios on one operation count once."""
    stmt = (
        select(OperationEquipment.operation_id.label("op"), EquipmentItem.kind.label("kind"))
        .join(EquipmentItem, EquipmentItem.id == OperationEquipment.item_id)
        .where(OperationEquipment.operation_id.in_(in_scope))
        .distinct()
    )
    if item_ids is not None:
        stmt = stmt.where(EquipmentItem.id.in_(item_ids or (-1,)))
    return stmt.subquery("kinds_used")


def _dimension_columns(dimensions, seized, kinds, month) -> list:
    by_name = {
        "team": lambda: Operation.owner_team_id,
        "agency": lambda: Operation.owner_agency_id,
        "crossing_point": lambda: Operation.place_code,  # a listed place, never the free-text name
        "month": lambda: month,  # YYYY-MM of the reporting calendar
        "category": lambda: seized.c.category,
        "kind": lambda: kinds.c.kind,
        "handling_code": lambda: Operation.handling_code,
        "silent": lambda: Operation.silent,
    }
    return [by_name[name]() for name in dimensions]


def _equipment_per_team(scope):
    """Per owning team of the operations in `scope` (the CTE): distinct items used, and times used."""
    return (
        select(
            Operation.owner_team_id.label("team"),
            func.count(distinct(OperationEquipment.item_id)).label("items_used"),
            func.count().label("times_used"),
        )
        .select_from(Operation)
        .join(OperationEquipment, OperationEquipment.operation_id == Operation.id)
        # IN, as in _grouped: joined with the CTE, PostgreSQL hashed every operation of the table to find them
        .where(Operation.id.in_(select(scope.c.id)))
        .group_by(Operation.owner_team_id)
        .subquery("used")
    )
