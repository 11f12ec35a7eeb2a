"""The programme report: handovers, equipment, utilisation and results for a period and a donor or project.

Written for readers who may not read records: every figure about operations
and seizures comes from ops.equipment.aggregate (the aggregate rule); the
register's own figures (items, batches) are the programme's data and are
shown as they are, by month and never by day. Results are those of the teams
that hold equipment of the chosen donor or project.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from ops import audit, vocab
from ops.equipment.aggregate import MASK, Cell, Query, Result, aggregate, aggregate_by_each
from ops.models import Agency, Team, User
from ops.models_equipment import Donor, EquipmentItem, HandoverBatch, Project


@dataclass(frozen=True)
class ReportQuery:
    starts_on: date
    ends_on: date
    donor_id: int | None = None
    project_id: int | None = None


@dataclass
class Handover:
    month: str  # YYYY-MM: no finer date
    agency: str
    donor: str
    project: str
    items: int
    value: dict[str, Decimal]


@dataclass
class Report:
    query: ReportQuery
    donor: str = ""
    project: str = ""
    handovers: list[Handover] = field(default_factory=list)
    by_status: dict[str, Counter] = field(default_factory=dict)  # holder -> status -> items
    kinds_in_service: Counter = field(default_factory=Counter)
    utilisation: Result | None = None
    teams: Result | None = None
    agencies: Result | None = None
    quarters: Result | None = None
    team_names: dict[int, str] = field(default_factory=dict)
    agency_names: dict[int, str] = field(default_factory=dict)

    def quarter_rows(self) -> list[tuple[str, Cell, dict]]:
        """(quarter, cell, change against the quarter before for each measure that both show)."""
        rows, previous = [], None
        for (quarter,), cell in sorted(self.quarters.cells.items()):
            rows.append((quarter, cell, change(previous, cell)))
            previous = cell
        return rows


def change(before: Cell | None, now: Cell) -> dict:
    """Relative change per measure, only where both quarters show a number (never across a "<3")."""
    if before is None:
        return {}
    found = {}
    for name in ("operations", "events", "kg"):
        old, new = getattr(before, name), getattr(now, name)
        if MASK not in (old, new) and old:
            found[name] = float((Decimal(new) - Decimal(old)) / Decimal(old))
    return found


def selected_batches(db: Session, query: ReportQuery):
    stmt = select(HandoverBatch)
    if query.donor_id:
        stmt = stmt.where(HandoverBatch.donor_id == query.donor_id)
    if query.project_id:
        stmt = stmt.where(HandoverBatch.project_id == query.project_id)
    return list(db.execute(stmt).scalars())


def build(db: Session, query: ReportQuery) -> Report:
    report = Report(query)
    if query.donor_id and (donor := db.get(Donor, query.donor_id)):
        report.donor = donor.name
    if query.project_id and (project := db.get(Project, query.project_id)):
        report.project = f"{project.code} — {project.name}"
    batches = selected_batches(db, query)
    items = list(
        db.execute(select(EquipmentItem).where(EquipmentItem.batch_id.in_([b.id for b in batches] or [-1]))).scalars()
    )
    report.team_names = dict(db.execute(select(Team.id, Team.code)).all())
    report.agency_names = dict(db.execute(select(Agency.id, Agency.name)).all())
    report.handovers = _handovers(db, query, batches, items, report.agency_names)
    report.by_status = _by_status(items, report.team_names)
    report.kinds_in_service = Counter(i.kind for i in items if i.status == "in_service")
    teams = tuple(sorted({i.team_id for i in items if i.team_id}))
    ids = tuple(i.id for i in items)
    period = {"starts_on": query.starts_on, "ends_on": query.ends_on}
    report.utilisation = aggregate(db, Query(**period, dimensions=("kind",), item_ids=ids, with_total=False))
    by = aggregate_by_each(db, Query(**period, dimensions=("team", "agency", "quarter"), team_ids=teams))
    report.teams, report.agencies, report.quarters = by["team"], by["agency"], by["quarter"]
    return report


def _handovers(db, query: ReportQuery, batches, items, agency_names) -> list[Handover]:
    donors = dict(db.execute(select(Donor.id, Donor.name)).all())
    projects = dict(db.execute(select(Project.id, Project.code)).all())
    per_batch = defaultdict(list)
    for item in items:
        per_batch[item.batch_id].append(item)
    rows = []
    for batch in sorted(batches, key=lambda b: (b.handed_over_on, b.id)):
        if not query.starts_on <= batch.handed_over_on <= query.ends_on:
            continue
        value: dict[str, Decimal] = defaultdict(Decimal)
        for item in per_batch[batch.id]:
            value[item.currency] += item.value or 0
        rows.append(
            Handover(
                batch.handed_over_on.strftime("%Y-%m"),
                agency_names.get(batch.agency_id, ""),
                donors.get(batch.donor_id, ""),
                projects.get(batch.project_id, ""),
                len(per_batch[batch.id]),
                dict(value),
            )
        )
    return rows


def _by_status(items, team_names) -> dict[str, Counter]:
    holders: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        if item.team_id:
            holder = team_names.get(item.team_id, "")
        elif item.place_code:
            holder = vocab.place_label(item.place_code)
        else:
            holder = ""
        holders[holder][item.status] += 1
    return dict(sorted(holders.items()))


def record_read(db: Session, user: User, query: ReportQuery, what: str) -> None:
    audit.record(
        db,
        what,
        user=user,
        object_type="programme_report",
        detail={
            "from": query.starts_on.isoformat(),
            "to": query.ends_on.isoformat(),
            "donor": query.donor_id,
            "project": query.project_id,
        },
    )
    db.commit()
