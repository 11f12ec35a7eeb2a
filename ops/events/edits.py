"""What an edit of a record does to the seizure events and possible duplicates of its seizures.

Seizures are written in place (ops/operations/children.py), so a seizure that
did not change keeps its id, and with it its links. Two changes still touch an
event, and both are settled here, in the edit's transaction:

- A seizure removed from its record leaves its events: its links go with it
  (the database deletes them with the seizure), and what remains of each event
  is recounted — the primary moves to a remaining report, or the event
  dissolves where one report remains.
- A change to what made two reports one seizure — the seizure's commodity,
  quantity or unit, or its record's time or place — re-opens each confirmed
  link (and proposal) of that seizure: it goes back to a candidate for review,
  with the figures as they are now, and the event is recounted, so no total
  keeps counting two different seizures as one. An open candidate only takes
  the new figures.

Each link that is re-opened or removed is audited on both records, and the
supervisors of both agencies are told through the inbox (ops/events/inform.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select

from ops.events import candidates, inform
from ops.events.services import audit_link_step, event_of, recount
from ops.models import Operation, Seizure, SeizureLink, User, utcnow

LIVE = ("candidate", "proposed", "confirmed")
REOPENED = ("proposed", "confirmed")  # what goes back to a candidate when a report changes
SHAPE = ("commodity", "quantity", "unit", "occurred_at", "place")


@dataclass(frozen=True)
class Shape:
    """What makes a report the same seizure as another's."""

    commodity: str
    quantity: Decimal
    unit: str
    occurred_at: datetime
    place: tuple


@dataclass(frozen=True)
class LinkFacts:
    id: int
    status: str
    seizure_id: int
    other_id: int

    def touches(self, ids) -> bool:
        return self.seizure_id in ids or self.other_id in ids


@dataclass
class Before:
    """The record's linked seizures as they were before the edit."""

    shapes: dict[int, Shape] = field(default_factory=dict)
    links: list[LinkFacts] = field(default_factory=list)
    events: set[int] = field(default_factory=set)  # every report of the events of the record's seizures
    reports: dict[int, inform.Report] = field(default_factory=dict)


def _place(operation: Operation) -> tuple:
    """A crossing point is its code (the form fills in its name and coordinates); any other place, its words
    and coordinates."""
    if operation.place_code:
        return (operation.place_code,)
    return (" ".join((operation.place_name or "").split()).lower(), operation.lat, operation.lon)


def _shapes(db, operation: Operation, ids) -> dict[int, Shape]:
    rows = db.execute(
        select(Seizure.id, Seizure.commodity, Seizure.quantity, Seizure.unit, Seizure.occurred_at).where(
            Seizure.operation_id == operation.id, Seizure.id.in_(sorted(ids))
        )
    ).all()
    place = _place(operation)
    return {row[0]: Shape(row[1], Decimal(str(row[2])), row[3], row[4], place) for row in rows}


def before_edit(db, operation: Operation) -> Before:
    """Read before anything of the record is written: one query where its seizures have no link (nearly always)."""
    own = select(Seizure.id).where(Seizure.operation_id == operation.id)
    links = [
        LinkFacts(*row)
        for row in db.execute(
            select(SeizureLink.id, SeizureLink.status, SeizureLink.seizure_id, SeizureLink.other_id)
            .where(SeizureLink.status.in_(LIVE), or_(SeizureLink.seizure_id.in_(own), SeizureLink.other_id.in_(own)))
            .order_by(SeizureLink.id)
        ).all()
    ]
    if not links:
        return Before()
    ids = {i for link in links for i in (link.seizure_id, link.other_id)}
    shapes = _shapes(db, operation, ids)
    events = set().union(*(event_of(db, i) for i in shapes))
    return Before(shapes, links, events, inform.reports(db, ids | events))


def _changed(before: Shape, after: Shape) -> list[str]:
    return [name for name in SHAPE if getattr(before, name) != getattr(after, name)]


def after_edit(db, actor: User, operation: Operation, before: Before) -> None:
    """Settle the events of the record's seizures after its rows were written (see the module's docstring)."""
    if not before.links:
        return
    db.flush()
    now = _shapes(db, operation, before.shapes)
    removed = set(before.shapes) - set(now)
    changed = {i: fields for i, shape in now.items() if (fields := _changed(before.shapes[i], shape))}
    for link in before.links:
        if link.touches(removed):
            _left(db, actor, link, before, removed)
        elif link.touches(changed):
            fields = sorted({name for i in (link.seizure_id, link.other_id) for name in changed.get(i, [])})
            _reopen(db, actor, link, before, fields)
    if removed:
        recount(db, before.events - removed)


def _left(db, actor: User, link: LinkFacts, before: Before, removed: set[int]) -> None:
    """A link whose seizure was removed from its record (the database deleted the link with it)."""
    first, second = before.reports[link.seizure_id], before.reports[link.other_id]
    gone = sorted(removed & {first.seizure_id, second.seizure_id})
    _audit(db, actor, "seizure_link_removed", link, first, second, removed=gone)
    if link.status == "confirmed":
        inform.supervisors(db, actor, "seizure_event_left", first, second)


def _reopen(db, actor: User, facts: LinkFacts, before: Before, fields: list[str]) -> None:
    """Back to a candidate (a confirmed link or a proposal), or new figures (a candidate)."""
    link = db.get(SeizureLink, facts.id)
    figures = candidates.figures_now(db, link.seizure_id, link.other_id)
    link.matched = json.dumps({**figures, "changed": fields}, sort_keys=True, default=str)
    link.updated_at = utcnow()
    if facts.status not in REOPENED:
        return
    link.status, link.found_at = "candidate", "edit"
    link.proposed_by_id = link.proposed_agency_id = link.proposed_at = None
    link.decided_by_id, link.decided_at = actor.id, link.updated_at
    db.flush()
    recount(db, {link.seizure_id, link.other_id})
    first, second = before.reports[link.seizure_id], before.reports[link.other_id]
    _audit(db, actor, "seizure_link_reopen", facts, first, second, changed=fields)
    inform.supervisors(db, actor, "seizure_event_reopened", first, second)


def _audit(db, actor: User, action: str, link: LinkFacts, first, second, **detail) -> None:
    pair = ((first.seizure_id, first.agency_id), (second.seizure_id, second.agency_id))
    audit_link_step(db, actor, action, pair, {"link": link.id, "was": link.status, **detail})
