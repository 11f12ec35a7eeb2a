""" "Same seizure" links: candidate -> proposed -> confirmed (one seizure event), or different; unlinking.

A supervisor of either agency proposes, a supervisor of the other confirms
(policy.may_confirm_link); the national analysis centre's supervisors decide
alone. A confirmed link makes the two reports one seizure event whose primary
report carries the count (models.Seizure.event_primary_id); unlinking recounts.
Each step is checked against the link's version, written with an audit event
for each of the two records' agencies, in one transaction; an unlink is told to
both agencies' supervisors through the inbox (ops/events/inform.py). Bad input raises
LinkError with a message for the user, and nothing is written.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError

from ops import audit, policy
from ops.events import inform
from ops.models import Operation, Seizure, SeizureLink, User, utcnow

OPEN = frozenset({"candidate", "proposed"})
STATUS_LABELS = {
    "candidate": _l("a possible duplicate"),
    "proposed": _l("proposed"),
    "confirmed": _l("confirmed"),
    "different": _l("closed as different seizures"),
    "unlinked": _l("unlinked"),
}


UNREADABLE = _l("Propose a link from a possible-duplicate notice, or between records you may read.")


class LinkError(ValueError):
    """A step that cannot be taken; the message says why. Nothing was written."""


class LinkConflict(Exception):
    """The link changed since the user read it; nothing was saved."""


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def find(db, a: int, b: int) -> SeizureLink | None:
    low, high = pair(a, b)
    return db.execute(
        select(SeizureLink).where(SeizureLink.seizure_id == low, SeizureLink.other_id == high)
    ).scalar_one_or_none()


def new_link(first: Seizure, second: Seizure, found_at: str, matched: dict | None = None) -> SeizureLink:
    low, high = (first, second) if first.id < second.id else (second, first)
    return SeizureLink(
        seizure_id=low.id,
        other_id=high.id,
        agency_id=low.owner_agency_id,
        other_agency_id=high.owner_agency_id,
        found_at=found_at,
        matched=json.dumps(matched or {}, sort_keys=True, default=str),
    )


def check_pair(db, first: Seizure, second: Seizure) -> None:
    """The bad input the issue lists: a seizure with itself, across commodity categories, or two events."""
    if first.id == second.id:
        raise LinkError(_l("A seizure cannot be linked to itself."))
    if first.category != second.category:
        raise LinkError(
            _l(
                "These seizures are of different commodity categories (%(a)s, %(b)s): they cannot be one seizure.",
                a=first.category,
                b=second.category,
            )
        )
    mine, theirs = event_of(db, first.id), event_of(db, second.id)
    if mine & theirs:
        raise LinkError(_l("These two reports are one seizure event already."))
    if len(mine) > 1 and len(theirs) > 1:
        raise LinkError(
            _l(
                "Both reports belong to seizure events of their own: linking them would make two primary reports. "
                "Unlink one of them first."
            )
        )


def event_of(db, seizure_id: int) -> set[int]:
    """The seizure and every report linked to it through confirmed links."""
    members, frontier = {seizure_id}, {seizure_id}
    while frontier:
        rows = db.execute(
            select(SeizureLink.seizure_id, SeizureLink.other_id).where(
                SeizureLink.status == "confirmed",
                or_(SeizureLink.seizure_id.in_(frontier), SeizureLink.other_id.in_(frontier)),
            )
        ).all()
        found = {i for row in rows for i in row} - members
        members |= found
        frontier = found
    return members


def choose_primary(reports: list[tuple[Seizure, datetime | None]]) -> Seizure:
    """The seizing agency's report; where that names none or more than one, the first approved."""
    own = [(s, at) for s, at in reports if s.seizing_agency_id is not None and s.seizing_agency_id == s.owner_agency_id]
    pool = own if own else reports
    never = datetime.max.replace(tzinfo=None)
    return min(pool, key=lambda item: (item[1].replace(tzinfo=None) if item[1] else never, item[0].id))[0]


def recount(db, seizure_ids: set[int]) -> None:
    """Set each event's primary anew over the events these seizures belong to (after a link or an unlink)."""
    done: set[int] = set()
    for seizure_id in sorted(seizure_ids):
        if seizure_id in done:
            continue
        members = event_of(db, seizure_id)
        done |= members
        reports = db.execute(
            select(Seizure, Operation.approved_at)
            .join(Operation, Operation.id == Seizure.operation_id)
            .where(Seizure.id.in_(members))
        ).all()
        primary = choose_primary([(s, at) for s, at in reports]) if len(members) > 1 else None
        for seizure, _at in reports:
            wanted = None if primary is None or seizure.id == primary.id else primary.id
            if seizure.event_primary_id != wanted:
                seizure.event_primary_id = wanted


def _load_pair(db, user: User, link: SeizureLink) -> tuple[Seizure, Seizure]:
    return db.get(Seizure, link.seizure_id), db.get(Seizure, link.other_id)


def _audit(db, user: User, action: str, link: SeizureLink, first: Seizure, second: Seizure) -> None:
    pair = ((first.id, first.owner_agency_id), (second.id, second.owner_agency_id))
    audit_link_step(db, user, action, pair, {"link": link.id, "status": link.status})


def audit_link_step(db, user: User, action: str, pair, detail: dict) -> None:
    """One event per record touched, so that each agency's auditors see the step on their record.
    `pair`: the two seizures as (id, owning agency id)."""
    (first, first_agency), (second, second_agency) = pair
    for own, agency, other in ((first, first_agency, second), (second, second_agency, first)):
        audit.record(
            db,
            action,
            user=user,
            object_type="seizure",
            object_id=own,
            object_agency_id=agency,
            detail={**detail, "other_seizure": other},
        )


def _commit(db) -> None:
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        raise LinkConflict() from None


def _hold(link: SeizureLink, expected_version: int | None) -> None:
    if expected_version is not None and link.version != expected_version:
        raise LinkConflict()


def propose(db, user: User, seizure_id: int, other_id: int) -> SeizureLink:
    """Propose "same seizure" for two seizures (the candidate's row when there is one)."""
    first, second = db.get(Seizure, seizure_id), db.get(Seizure, other_id)
    if seizure_id == other_id:
        raise LinkError(_l("A seizure cannot be linked to itself."))
    if first is None or second is None:  # said as of a seizure one may not read: ids are not probed
        raise LinkError(UNREADABLE)
    link = find(db, first.id, second.id) or new_link(first, second, "proposal")
    if not policy.can(user, "link_seizures", link):
        policy.refuse(user, "link_seizures", link)
    if link.id is None and not _may_read_both(db, user, first, second):
        raise LinkError(UNREADABLE)
    if link.status == "proposed":
        raise LinkError(_l("This link is proposed already; a supervisor of the other agency confirms it."))
    check_pair(db, first, second)
    link.status, link.proposed_by_id, link.proposed_agency_id = "proposed", user.id, user.agency_id
    link.proposed_at = link.updated_at = utcnow()
    link.decided_by_id = link.decided_at = None
    db.add(link)
    db.flush()
    _audit(db, user, "seizure_link_propose", link, first, second)
    _commit(db)
    return link


def _may_read_both(db, user: User, first: Seizure, second: Seizure) -> bool:
    found = db.execute(
        select(Seizure.id).where(Seizure.id.in_([first.id, second.id]), policy.visible_seizures(user))
    ).all()
    return len(found) == 2


def confirm(db, user: User, link: SeizureLink, expected_version: int | None = None) -> None:
    """Confirm: the two reports become one seizure event, and every total counts it once."""
    _hold(link, expected_version)
    if link.status not in OPEN:
        raise LinkError(
            _l(
                "Only an open candidate or proposal can be confirmed; this one is %(status)s.",
                status=STATUS_LABELS[link.status],
            )
        )
    if user.id == link.proposed_by_id:
        raise LinkError(_l("You proposed this link: a supervisor of the other agency confirms it."))
    if not policy.may_confirm_link(user, link):
        if link.status == "candidate" and policy.can(user, "link_seizures", link):
            raise LinkError(_l("Propose the link first: a supervisor of the other agency then confirms it."))
        policy.refuse(user, "link_seizures", link)
    first, second = _load_pair(db, user, link)
    check_pair(db, first, second)
    _decide(db, user, link, "confirmed", (first, second), "seizure_link_confirm", recounts=True)


def mark_different(db, user: User, link: SeizureLink, expected_version: int | None = None) -> None:
    """Not the same seizure: the candidate or proposal is closed."""
    _hold(link, expected_version)
    if link.status not in OPEN:
        raise LinkError(
            _l(
                "Only an open candidate or proposal can be closed; this one is %(status)s.",
                status=STATUS_LABELS[link.status],
            )
        )
    if not policy.can(user, "link_seizures", link):
        policy.refuse(user, "link_seizures", link)
    _decide(db, user, link, "different", _load_pair(db, user, link), "seizure_link_different", recounts=False)


def unlink(db, user: User, link: SeizureLink, expected_version: int | None = None) -> None:
    """Undo a confirmed link: each report counts on its own again (or in what remains of the event)."""
    _hold(link, expected_version)
    if link.status != "confirmed":
        raise LinkError(_l("These reports are not linked, so there is nothing to unlink."))
    if not policy.can(user, "link_seizures", link):
        policy.refuse(user, "link_seizures", link)
    pair = _load_pair(db, user, link)
    _decide(db, user, link, "unlinked", pair, "seizure_link_unlink", recounts=True, notice="seizure_event_unlinked")


def _decide(
    db, user: User, link: SeizureLink, status: str, pair, action: str, recounts: bool, notice: str = ""
) -> None:
    """Decide a link: its status and decider; a recount where it joins or splits an event; audit; the
    supervisors of both agencies told where `notice` names the inbox item; commit."""
    first, second = pair
    link.status, link.decided_by_id = status, user.id
    link.decided_at = link.updated_at = utcnow()
    db.flush()
    if recounts:
        recount(db, {first.id, second.id})
    _audit(db, user, action, link, first, second)
    if notice:
        reports = inform.reports(db, {first.id, second.id})
        inform.supervisors(db, user, notice, reports[first.id], reports[second.id])
    _commit(db)


def load_link(db, user: User, link_id: int) -> SeizureLink:
    """A link for `user` to act on, or 404 (audited) where it is not of their agency and they are not the centre."""
    link = db.get(SeizureLink, link_id)
    if link is None or not (policy.can(user, "link_seizures", link) or policy.can(user, "view_duplicate_queue")):
        policy.refuse(user, "link_seizures", link, 404)
    return link
