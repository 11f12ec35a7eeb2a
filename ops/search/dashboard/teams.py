"""The dashboard's team axis: per team, operations, joint operations (two or more agencies) and their share,
seizures and kg-equivalent per commodity category, persons detained and equipment used; and the quarters,
each against the one before. For readers of the records: every figure is filtered by the policy in SQL.

Which operations count: those the reader may see that started in the dashboard's period, of its agencies,
team, place, region and status; when the dashboard also filters seizures (words, commodity, route...), only
operations with such a seizure. Every operation holding one of the dashboard's seizures counts too, and the
seizures counted are exactly the dashboard's, so the teams' seizures add up to the dashboard's total.
The grouped SQL is the programme report's (ops/search/sql/operation_figures.py), without its aggregate rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, timedelta
from decimal import Decimal

from sqlalchemy import func, select, union

from ops import db as database
from ops import policy
from ops.models import Operation, Seizure
from ops.search.language.query import SearchQuery
from ops.search.sql import counting, operation_figures, parallel, periods
from ops.search.sql.facets import Totals
from ops.search.sql.filters import Scope, matching
from ops.search.sql.operation_figures import Figures

# what the dashboard's query asks of the operation itself; anything else filters seizures only
OPERATION_FILTERS = ("date_from", "date_to", "agency", "team", "location", "region", "status")


@dataclass
class TeamRow:
    team_id: int
    code: str
    name: str
    figures: Figures
    categories: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # category -> (seizures, kg)
    items_used: int = 0
    times_used: int = 0


@dataclass
class QuarterRow:
    quarter: str  # YYYY-Qn of the reporting calendar
    figures: Figures
    change: dict[str, float]  # measure -> relative change against the quarter before (where it had any)


@dataclass
class TeamAxis:
    teams: list[TeamRow]
    quarters: list[QuarterRow]
    total: Figures

    @property
    def totals(self) -> Totals:
        """The seizures counted, as the dashboard and the search state them (and audit them)."""
        return Totals(self.total.events, self.total.kg)


def compute(db, query: SearchQuery, scope: Scope, backend) -> TeamAxis:
    """Two grouped queries side by side: the operations by team and month (quarters and team totals are sums
    of its cells) with the equipment each team used, and the dashboard's seizures by team and category."""
    query = query.without_paging()
    where = operations_in_scope(query, scope, backend)
    keys = (Seizure.op_team_id, Seizure.category)
    counted = counting.counted_clause(query.terms, scope.user)  # each seizure event once, the commodity named
    measures = (func.count(), func.sum(Seizure.kg_equivalent))
    by_category = parallel.start(db, matching(query, scope, backend, *keys, *measures).where(counted).group_by(*keys))

    def seizures(columns, _in_scope):  # the dashboard's own seizures, counted as the dashboard counts them
        return matching(query, scope, backend, *columns).where(counted)

    month = periods.period(db, scope.zone, "month", *_months_range(db, query, scope), Operation.started_at)
    found = list(operation_figures.rows_with_equipment(db, where, ("team", "month"), month=month, seizures=seizures))
    cells = [(keys, cell) for keys, cell, _used in found]
    used = {team_id: team_used for (team_id, _month), _cell, team_used in found}
    by_team: dict[tuple, Figures] = defaultdict(Figures)
    for (team_id, _month), cell in cells:
        by_team[(team_id,)] = _sum((by_team[(team_id,)], cell))
    teams = _teams(by_team, by_category.result(), used, scope)
    return TeamAxis(teams, _quarters(((month,), cell) for (_team, month), cell in cells), _sum(by_team.values()))


def operations_in_scope(query: SearchQuery, scope: Scope, backend) -> list:
    """WHERE on Operation: visible to the reader, and as the dashboard's query says (see the module).
    The two ways in are a UNION of ids, each read through its own index, rather than an OR."""
    visible = policy.visible_operations(scope.user)
    holding = matching(query, scope, backend, Seizure.operation_id)
    cleared = {name: SearchQuery.__dataclass_fields__[name].default for name in OPERATION_FILTERS}
    if replace(query, **cleared).has_criteria():  # the query filters seizures: operations holding one
        return [visible, database.among(backend.db, Operation.id, holding)]
    own = _operation_conditions(query, scope)
    if not own:
        return [visible]
    return [visible, database.among(backend.db, Operation.id, union(select(Operation.id).where(*own), holding))]


def _operation_conditions(query: SearchQuery, scope: Scope) -> list:
    """The dashboard's filters read on the operation (its start, owner, place, status), as filters.py reads
    them on the seizure's copies."""
    found = []
    if query.date_from:
        found.append(Operation.started_at >= periods.day_start(query.date_from, scope.zone))
    if query.date_to:
        found.append(Operation.started_at < periods.day_start(query.date_to + timedelta(days=1), scope.zone))
    if query.agency:
        found.append(Operation.owner_agency_id.in_([scope.agency_ids[code] for code in query.agency]))
    if query.team:
        found.append(Operation.owner_team_id == scope.team_ids[query.team])
    for attribute, column in (
        ("location", Operation.place_name),
        ("region", Operation.region),
        ("status", Operation.status),
    ):
        if getattr(query, attribute):
            found.append(column == getattr(query, attribute))
    return found


def _months_range(db, query: SearchQuery, scope: Scope):
    """First and last day whose months the quarters need (SQLite labels months from a list of their starts)."""
    if query.date_from and query.date_to:
        return query.date_from, query.date_to
    # two queries: each reads one end of the index on started_at
    low = db.execute(select(func.min(Operation.started_at))).scalar()
    high = db.execute(select(func.max(Operation.started_at))).scalar()
    if low is None:
        return None, None
    local = lambda value: (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(scope.zone).date()  # noqa: E731
    return query.date_from or local(low), query.date_to or local(high)


def _sum(cells) -> Figures:
    total = Figures()
    for cell in cells:
        total = Figures(
            total.operations + cell.operations,
            total.joint + cell.joint,
            total.events + cell.events,
            total.kg + cell.kg,
            total.persons + cell.persons,
        )
    return total


def _teams(by_team: dict, by_category, used: dict, scope: Scope) -> list[TeamRow]:
    codes = {team_id: code for code, team_id in scope.team_ids.items()}
    rows = {
        team_id: TeamRow(team_id, codes.get(team_id, ""), scope.team_names.get(codes.get(team_id, ""), ""), cell)
        for (team_id,), cell in by_team.items()
    }
    for team_id, category, count, kg in by_category:
        if team_id in rows:
            rows[team_id].categories[category] = (int(count), Decimal(str(kg)) if kg is not None else Decimal(0))
    for team_id, (items, uses) in used.items():
        if team_id in rows:
            rows[team_id].items_used, rows[team_id].times_used = items, uses
    return sorted(rows.values(), key=lambda row: (-row.figures.operations, row.code))


def _quarters(by_month) -> list[QuarterRow]:
    """Months added up into quarters (an operation lies in one month), from the first quarter with data to
    the last, empty quarters included (a gap is information), each against the quarter just before."""
    quarters: dict[tuple[int, int], Figures] = defaultdict(Figures)
    for (month,), cell in by_month:
        if month:
            key = (int(month[:4]), (int(month[5:7]) - 1) // 3 + 1)
            quarters[key] = _sum((quarters[key], cell))
    if not quarters:
        return []
    (year, number), last = min(quarters), max(quarters)
    rows, before = [], None
    while (year, number) <= last:
        now = quarters.get((year, number), Figures())
        rows.append(QuarterRow(f"{year}-Q{number}", now, change(before, now)))
        before = now
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return rows


def change(before: Figures | None, now: Figures) -> dict[str, float]:
    """Relative change per measure against the quarter before, where that quarter had any."""
    if before is None:
        return {}
    return {
        name: float((Decimal(getattr(now, name)) - Decimal(getattr(before, name))) / Decimal(getattr(before, name)))
        for name in ("operations", "joint", "events", "kg", "persons")
        if getattr(before, name)
    }
