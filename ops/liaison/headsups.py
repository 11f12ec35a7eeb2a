"""Heads-up messages between counterpart offices: sent, acknowledged, answered, expired; each audited.

Both directions go along a counterpart pair (ops.liaison.services.is_counterpart): a national agency to its
foreign counterpart office, and back. Replies belong to the first message's thread; both sides read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlmodel import Session

from ops import audit, clock, policy, vocab
from ops.inbox import services as inbox
from ops.liaison.services import (
    LiaisonError,
    counterparts_of,
    is_counterpart,
    national_counterparts_of,
    office_people,
)
from ops.models import Agency, Team, TeamMember, User
from ops.models_liaison import HEADSUP_MAX_HOURS, HEADSUP_PLATE_MAX_LENGTH, HEADSUP_TEXT_MAX_LENGTH, HeadsUp

SUBJECTS = ("consignment", "vehicle", "person")


@dataclass
class Draft:
    to_agency_id: int | None
    subject: str
    plate: str
    place_code: str | None
    window_start: datetime | None
    window_end: datetime | None
    text: str
    valid_hours: int


def counterparts_for(db: Session, user: User) -> list[Agency]:
    """The offices `user`'s agency may write to: its counterparts, seen from either side."""
    if policy.is_foreign_partner(user):
        return national_counterparts_of(db, user.agency_id)
    return counterparts_of(db, user.agency_id)


def _are_counterparts(db: Session, one: int, other: int) -> bool:
    return is_counterpart(db, one, other) or is_counterpart(db, other, one)


def _check(db: Session, user: User, draft: Draft) -> None:
    if draft.to_agency_id is None or not _are_counterparts(db, user.agency_id, draft.to_agency_id):
        raise LiaisonError("to_agency", _("That office is not a counterpart of your agency: choose one of the list."))
    if draft.subject not in SUBJECTS:
        raise LiaisonError("subject", _("Choose what the message is about."))
    if draft.place_code and not _is_crossing_point(draft.place_code):
        raise LiaisonError("place_code", _("Choose a crossing point of the list."))
    if len(draft.plate) > HEADSUP_PLATE_MAX_LENGTH:
        raise LiaisonError("plate", _("A plate is at most %(limit)s characters.", limit=HEADSUP_PLATE_MAX_LENGTH))
    if not draft.text.strip() or len(draft.text) > HEADSUP_TEXT_MAX_LENGTH:
        raise LiaisonError("text", _("Write the message, at most %(limit)s characters.", limit=HEADSUP_TEXT_MAX_LENGTH))
    if draft.window_start and draft.window_end and draft.window_end < draft.window_start:
        raise LiaisonError("window_end", _("The time window ends before it starts."))
    if not 1 <= draft.valid_hours <= HEADSUP_MAX_HOURS:
        raise LiaisonError("valid_hours", _("A heads-up is valid from 1 to %(limit)s hours.", limit=HEADSUP_MAX_HOURS))


def _is_crossing_point(code: str) -> bool:
    place = vocab.place_register().by_code.get(code)
    return place is not None and place.is_crossing


def send(db: Session, user: User, draft: Draft, thread: HeadsUp | None = None) -> HeadsUp:
    """A new message (or a reply in `thread`), in the addressed office's inbox."""
    _check(db, user, draft)
    message = HeadsUp(
        thread_id=thread.id if thread else None,
        from_agency_id=user.agency_id,
        to_agency_id=draft.to_agency_id,
        subject=draft.subject,
        plate=draft.plate.strip(),
        place_code=draft.place_code or None,
        window_start=draft.window_start,
        window_end=draft.window_end,
        text=draft.text.strip(),
        expires_at=clock.now() + timedelta(hours=draft.valid_hours),
        created_by_id=user.id,
    )
    db.add(message)
    db.flush()
    _audit(db, "headsup_reply" if thread else "headsup_send", user, message)
    _tell(db, message, "headsup_reply" if thread else "headsup_received")
    db.commit()
    return message


def reply(db: Session, user: User, message: HeadsUp, text: str) -> HeadsUp:
    root = db.get(HeadsUp, message.thread_id) if message.thread_id else message
    other = message.from_agency_id if message.from_agency_id != user.agency_id else message.to_agency_id
    draft = Draft(other, root.subject, "", root.place_code, None, None, text, _hours_left(root))
    return send(db, user, draft, thread=root)


def _hours_left(root: HeadsUp) -> int:
    left = int((root.expires_at - clock.now()).total_seconds() // 3600)
    return max(1, min(HEADSUP_MAX_HOURS, left))


def acknowledge(db: Session, user: User, message: HeadsUp) -> None:
    if message.acknowledged_at is not None:
        raise LiaisonError("acknowledge", _("This message was already acknowledged."))
    message.acknowledged_by_id, message.acknowledged_at = user.id, clock.now()
    db.add(message)
    db.flush()
    _audit(db, "headsup_acknowledge", user, message)
    db.commit()


def thread_of(db: Session, user: User, message: HeadsUp) -> list[HeadsUp]:
    """The whole thread, oldest first (read audited)."""
    root_id = message.thread_id or message.id
    query = select(HeadsUp).where(or_(HeadsUp.id == root_id, HeadsUp.thread_id == root_id))
    found = list(db.execute(query.where(policy.visible_headsups(user)).order_by(HeadsUp.id)).scalars())
    _audit(db, "headsup_view", user, message)
    db.commit()
    return found


def threads(db: Session, user: User) -> list[HeadsUp]:
    """The first messages of the threads the user's agency is part of, newest first (read audited)."""
    query = select(HeadsUp).where(policy.visible_headsups(user), HeadsUp.thread_id.is_(None))
    found = list(db.execute(query.order_by(HeadsUp.created_at.desc(), HeadsUp.id.desc()).limit(200)).scalars())
    audit.record(db, "headsup_list", user=user, object_type="headsup", detail={"count": len(found)})
    db.commit()
    return found


def _tell(db: Session, message: HeadsUp, kind: str) -> None:
    office = db.get(Agency, message.to_agency_id)
    sender = db.get(Agency, message.from_agency_id)
    params = {"agency": sender.name, "number": message.thread_id or message.id}
    if office.is_foreign_partner:
        people = office_people(db, office.id)
        params["locale"] = office.receive_language
        params["agency"] = getattr(sender, f"name_{office.receive_language}", "") or sender.name
    else:
        people = _liaison_people(db, office.id)
    link = f"/liaison/messages/{message.thread_id or message.id}"
    inbox.notify(db, people, kind, params, link=link)


def _liaison_people(db: Session, agency_id: int) -> list[int]:
    """A national agency's supervisors and the people of its border liaison offices."""
    query = (
        select(User.id)
        .join(TeamMember, TeamMember.user_id == User.id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(User.agency_id == agency_id, User.is_active, Team.kind == "blo")
    )
    return sorted(set(db.execute(query).scalars()) | set(inbox.supervisors_of(db, agency_id)))


def _audit(db: Session, action: str, user: User, message: HeadsUp) -> None:
    detail = {"from_agency_id": message.from_agency_id, "to_agency_id": message.to_agency_id}
    audit.record(db, action, user=user, object_type="headsup", object_id=message.id, detail=detail)
