"""Seizure events as the pages read them: which other agencies' reports a report is linked to.

A confirmed "same seizure" link (models.SeizureLink, written by ops/events) makes
two reports one seizure event. Each page that shows a report says so: the other
report with its reference where the reader may see it, else the other agency's
name only (never any content of a record the reader may not read).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from ops import policy
from ops.models import Agency, Operation, Seizure, SeizureLink

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class OtherReport:
    seizure_id: int
    agency_name: str
    primary: bool  # the other report is the event's primary (it carries the count)
    operation_id: int | None = None  # None where the reader may not see the other report
    ref: str | None = None


def linked_reports(db, user, seizure_ids, confirmed: list[SeizureLink] | None = None) -> dict[int, list[OtherReport]]:
    """seizure id -> the other reports of its seizure event, as `user` may know them. `confirmed`: the confirmed
    links of these seizures when the caller has read them already."""
    seizure_ids = set(seizure_ids)
    if not seizure_ids:
        return {}
    pairs = (
        [(link.seizure_id, link.other_id) for link in confirmed]
        if confirmed is not None
        else db.execute(
            select(SeizureLink.seizure_id, SeizureLink.other_id).where(
                SeizureLink.status == CONFIRMED,
                or_(SeizureLink.seizure_id.in_(seizure_ids), SeizureLink.other_id.in_(seizure_ids)),
            )
        ).all()
    )
    others: dict[int, set[int]] = {}
    for a, b in pairs:
        if a in seizure_ids:
            others.setdefault(a, set()).add(b)
        if b in seizure_ids:
            others.setdefault(b, set()).add(a)
    wanted = set().union(*others.values()) if others else set()
    if not wanted:
        return {}
    facts = {
        row.id: row
        for row in db.execute(
            select(Seizure.id, Seizure.event_primary_id, Agency.name, Seizure.operation_id)
            .join(Agency, Agency.id == Seizure.owner_agency_id)
            .where(Seizure.id.in_(wanted))
        )
    }
    readable = dict(
        db.execute(
            select(Seizure.id, Operation.ref)
            .join(Operation, Operation.id == Seizure.operation_id)
            .where(Seizure.id.in_(wanted), policy.visible_seizures(user))
        ).all()
    )
    found = {}
    for own, other_ids in others.items():
        found[own] = [
            OtherReport(
                other,
                facts[other].name,
                facts[other].event_primary_id is None,
                facts[other].operation_id if other in readable else None,
                readable.get(other),
            )
            for other in sorted(other_ids)
            if other in facts
        ]
    return found


def also_reported_by(db, user, operation_ids) -> dict[int, list[str]]:
    """operation id -> the other agencies that reported one of its seizures (names, once each), for lists."""
    operation_ids = set(operation_ids)
    if not operation_ids:
        return {}
    seizures = dict(
        db.execute(select(Seizure.id, Seizure.operation_id).where(Seizure.operation_id.in_(operation_ids))).all()
    )
    found: dict[int, list[str]] = {}
    for seizure_id, others in linked_reports(db, user, seizures).items():
        names = found.setdefault(seizures[seizure_id], [])
        names.extend(other.agency_name for other in others if other.agency_name not in names)
    return found
