"""What a record page says about its seizures' events: linked reports, and open possible duplicates.

A linked report of another agency is named by its reference where the reader
may read it, else by the agency's name only. An open candidate is shown to the
record's lead and supervisors (and the analysis centre): a readable other record
with a link; an unreadable one by its agency's name only, and only when that
record is approved and not H2/H3 — never any of its content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from ops import policy, seizure_events
from ops.events import candidates
from ops.models import Agency, Operation, Seizure, SeizureLink
from ops.vocab import local_name

NOTICE_ROLES = frozenset({"lead", "supervisor"})


@dataclass
class Notice:
    seizure_id: int
    link: SeizureLink
    agency_name: str
    operation_id: int | None = None  # None: the other record is not readable here
    ref: str | None = None
    matched: dict = field(default_factory=dict)
    may_decide: bool = False  # propose, mark different, unlink
    may_confirm: bool = False


@dataclass
class RecordEvents:
    linked: dict[int, list[seizure_events.OtherReport]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    links: dict[int, SeizureLink] = field(default_factory=dict)  # confirmed link per (own, other) seizure pair


def _shown_to(user, operation: Operation) -> bool:
    own = user.role in NOTICE_ROLES and user.agency_id == operation.owner_agency_id
    return own or (user.role == "supervisor" and policy.is_analysis_centre(user))


def of_record(db, user, operation: Operation, seizure_ids: list[int] | None = None) -> RecordEvents:
    """The events of this record's seizures, as `user` may know them (`seizure_ids`: when read already)."""
    ids = seizure_ids
    if ids is None:
        ids = [row[0] for row in db.execute(select(Seizure.id).where(Seizure.operation_id == operation.id))]
    confirmed = _confirmed(db, ids)
    found = RecordEvents(linked=seizure_events.linked_reports(db, user, ids, confirmed))
    for link in confirmed:
        found.links[link.seizure_id] = found.links.get(link.seizure_id, link)
        found.links[link.other_id] = found.links.get(link.other_id, link)
    if _shown_to(user, operation):
        found.notices = _notices(db, user, set(ids), candidates.open_links_of(db, ids))
    return found


def _confirmed(db, ids: list[int]) -> list[SeizureLink]:
    if not ids:
        return []
    return list(
        db.execute(
            select(SeizureLink).where(
                SeizureLink.status == "confirmed",
                (SeizureLink.seizure_id.in_(ids)) | (SeizureLink.other_id.in_(ids)),
            )
        ).scalars()
    )


def _notices(db, user, own_ids: set[int], links: list[SeizureLink]) -> list[Notice]:
    other_ids = {link.other_id if link.seizure_id in own_ids else link.seizure_id for link in links}
    if not other_ids:
        return []
    facts = {
        row.id: row
        for row in db.execute(
            select(Seizure.id, Agency, policy.holder_disclosed().label("disclosed"))
            .join(Operation, Operation.id == Seizure.operation_id)
            .join(Agency, Agency.id == Seizure.owner_agency_id)
            .where(Seizure.id.in_(other_ids))
        )
    }
    readable = {
        row.id: row
        for row in db.execute(
            select(Seizure.id, Operation.id.label("operation_id"), Operation.ref)
            .join(Operation, Operation.id == Seizure.operation_id)
            .where(Seizure.id.in_(other_ids), policy.visible_seizures(user))
        )
    }
    notices = []
    for link in links:
        own, other = (link.seizure_id, link.other_id)
        if own not in own_ids:
            own, other = other, own
        fact, seen = facts.get(other), readable.get(other)
        if fact is None or (seen is None and not fact.disclosed):
            continue
        notices.append(
            Notice(
                own,
                link,
                local_name(fact.Agency),
                seen.operation_id if seen else None,
                seen.ref if seen else None,
                json.loads(link.matched or "{}"),
                policy.can(user, "link_seizures", link),
                policy.may_confirm_link(user, link),
            )
        )
    return notices
