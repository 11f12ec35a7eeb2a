"""Counterpart offices and releases to them: every write and read here is audited in its transaction.

A release carries codes and figures only (ops.liaison.extract), never a person, the narrative or a
concealment detail; the sender's summary is masked with the record's identities before it is stored,
so nothing of a person can leave with it, whatever the sender typed.
"""

from __future__ import annotations

import json

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from ops import audit, clock, identities, normalize, policy
from ops.inbox import services as inbox
from ops.liaison import extract as extracts
from ops.models import Agency, Operation, User
from ops.models_liaison import RELEASE_REASON_MAX_LENGTH, RELEASE_SUMMARY_MAX_LENGTH, CounterpartLink, Release
from ops.vocab import CONDITIONS_CODE, NO_FURTHER_DISSEMINATION

CONDITIONAL_CODES = frozenset({NO_FURTHER_DISSEMINATION, CONDITIONS_CODE})


class LiaisonError(ValueError):
    """Input that cannot be sent: `field` says where, `message` what. Nothing was written."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class StaleError(RuntimeError):
    """Someone else changed the release since it was read."""


# --- counterpart offices ---------------------------------------------------------------


def counterparts_of(db: Session, agency_id: int) -> list[Agency]:
    """The foreign offices that are counterparts of a national agency, by code."""
    return _across(db, CounterpartLink.agency_id, CounterpartLink.partner_agency_id, agency_id)


def national_counterparts_of(db: Session, partner_agency_id: int) -> list[Agency]:
    """The national agencies whose counterpart a foreign office is, by code."""
    return _across(db, CounterpartLink.partner_agency_id, CounterpartLink.agency_id, partner_agency_id)


def _across(db: Session, this_side, other_side, agency_id: int) -> list[Agency]:
    """The agencies paired with `agency_id`, which stands in the pair's `this_side` column."""
    query = select(Agency).join(CounterpartLink, other_side == Agency.id).where(this_side == agency_id)
    return list(db.execute(query.order_by(Agency.code)).scalars())


def is_counterpart(db: Session, agency_id: int, partner_agency_id: int) -> bool:
    query = select(CounterpartLink.id).where(
        CounterpartLink.agency_id == agency_id, CounterpartLink.partner_agency_id == partner_agency_id
    )
    return db.execute(query).first() is not None


def link_counterparts(db: Session, national: Agency, partner: Agency, actor: User | None = None) -> CounterpartLink:
    """Make `partner` (a foreign office) the counterpart of `national`; refused across no border."""
    if national.is_foreign_partner or not partner.is_foreign_partner:
        raise LiaisonError("partner", _("A counterpart pair is a national agency and a foreign partner office."))
    if national.country == partner.country:
        raise LiaisonError(
            "partner",
            _(
                "%(a)s and %(b)s are of one country: counterparts work across a border.",
                a=national.code,
                b=partner.code,
            ),
        )
    if is_counterpart(db, national.id, partner.id):
        raise LiaisonError("partner", _("%(b)s is already a counterpart of %(a)s.", a=national.code, b=partner.code))
    link = CounterpartLink(
        agency_id=national.id, partner_agency_id=partner.id, created_by_id=getattr(actor, "id", None)
    )
    db.add(link)
    db.flush()
    detail = {"agency": national.code, "partner": partner.code}
    audit.record(db, "counterpart_link", user=actor, object_type="counterpartlink", object_id=link.id, detail=detail)
    db.commit()
    return link


def unlink_counterparts(db: Session, national: Agency, partner: Agency, actor: User | None = None) -> None:
    link = db.execute(
        select(CounterpartLink).where(
            CounterpartLink.agency_id == national.id, CounterpartLink.partner_agency_id == partner.id
        )
    ).scalar_one_or_none()
    if link is None:
        raise LiaisonError("partner", _("%(b)s is not a counterpart of %(a)s.", a=national.code, b=partner.code))
    detail = {"agency": national.code, "partner": partner.code}
    audit.record(db, "counterpart_unlink", user=actor, object_type="counterpartlink", object_id=link.id, detail=detail)
    db.delete(link)
    db.commit()


# --- releases ---------------------------------------------------------------------------


def prepare(db: Session, operation: Operation, to_agency_id: int | None, include_plate: bool, summary: str) -> dict:
    """The extract the sender reviews, or LiaisonError: what would be sent, nothing written."""
    if to_agency_id is None or not is_counterpart(db, operation.owner_agency_id, to_agency_id):
        raise LiaisonError("to_agency", _("That office is not a counterpart of your agency: choose one of the list."))
    if len(summary or "") > RELEASE_SUMMARY_MAX_LENGTH:
        raise LiaisonError(
            "summary", _("The summary is at most %(limit)s characters.", limit=RELEASE_SUMMARY_MAX_LENGTH)
        )
    found = extracts.build(db, operation, include_plate)
    if include_plate and not found["plates"]:
        raise LiaisonError("include_plate", _("This record has no vehicle: there is no plate to send. Untick it."))
    return {"extract": found, "summary": masked_summary(db, operation, summary)}


def masked_summary(db: Session, operation: Operation, summary: str) -> str:
    """The sender's summary with the record's persons masked, whoever reads it (free text is personal data)."""
    known = identities.of_operations(db, [operation.id])[operation.id]
    return normalize.mask_identities((summary or "").strip(), known)


def create(db: Session, actor: User, operation: Operation, to_agency_id, include_plate: bool, summary: str) -> Release:
    """A release waiting for a supervisor's approval; the owner agency's supervisors are told."""
    prepared = prepare(db, operation, to_agency_id, include_plate, summary)
    release = Release(
        operation_id=operation.id,
        owner_agency_id=operation.owner_agency_id,
        to_agency_id=to_agency_id,
        extract=json.dumps(prepared["extract"], sort_keys=True, ensure_ascii=False),
        summary=prepared["summary"],
        include_plate=include_plate,
        created_by_id=actor.id,
    )
    db.add(release)
    db.flush()
    _audit(db, "release_create", actor, release, {"ref": operation.ref, "include_plate": include_plate})
    reviewers = [i for i in inbox.supervisors_of(db, operation.owner_agency_id) if i != actor.id]
    link = f"/liaison/releases/{release.id}"
    inbox.notify(db, reviewers, "release_to_approve", {"ref": operation.ref}, link=link, operation_id=operation.id)
    db.commit()
    return release


def approve(db: Session, actor: User, release: Release, condition_met: bool, version: int | None) -> Release:
    """Deliver an approved release to the counterpart office's inbox, in the office's language."""
    _must_be_pending(release, version)
    if release.created_by_id == actor.id:
        raise LiaisonError("approve", _("Another supervisor approves a release: not the one who wrote it."))
    operation = db.get(Operation, release.operation_id)
    if operation.handling_code in CONDITIONAL_CODES and not condition_met:
        raise LiaisonError(
            "condition_met",
            _(
                "This record is %(code)s: tick that the owner's condition is met, or do not release it.",
                code=operation.handling_code,
            ),
        )
    if not is_counterpart(db, release.owner_agency_id, release.to_agency_id):
        raise LiaisonError("to_agency", _("That office is no longer a counterpart of your agency."))
    release.status, release.approved_by_id, release.approved_at = "delivered", actor.id, clock.now()
    release.condition_met = bool(condition_met)
    _save(db, release)
    _audit(db, "release_approve", actor, release, {"ref": operation.ref, "condition_met": release.condition_met})
    office = db.get(Agency, release.to_agency_id)
    sender = db.get(Agency, release.owner_agency_id)
    with force_locale(office.receive_language):
        params = {"agency": _name_in(sender, office.receive_language), "number": release.id}
        params["text"] = extracts.one_line(json.loads(release.extract))
    params["locale"] = office.receive_language
    people = office_people(db, office.id)
    inbox.notify(db, people, "release_received", params, link=f"/liaison/releases/{release.id}")
    db.commit()
    return release


def refuse(db: Session, actor: User, release: Release, reason: str, version: int | None) -> Release:
    """A supervisor of the owning agency refuses a pending release: it is never sent; the writer is told why."""
    _must_be_pending(release, version)
    if release.created_by_id == actor.id:
        raise LiaisonError("writer", _("You wrote this release: withdraw it rather than refuse it."))
    if not (reason or "").strip():
        raise LiaisonError("reason", _("Say why the release is refused: the writer reads it."))
    if len(reason) > RELEASE_REASON_MAX_LENGTH:
        raise LiaisonError("reason", _("The reason is at most %(limit)s characters.", limit=RELEASE_REASON_MAX_LENGTH))
    operation = db.get(Operation, release.operation_id)
    _close(db, release, actor, "refused", masked_summary(db, operation, reason))
    _audit(db, "release_refuse", actor, release, {"ref": operation.ref})
    params = {"ref": operation.ref, "number": release.id, "reason": release.closed_reason}
    inbox.notify(
        db,
        [release.created_by_id],
        "release_refused",
        params,
        link=f"/liaison/releases/{release.id}",
        operation_id=operation.id,
    )
    db.commit()
    return release


def withdraw(db: Session, actor: User, release: Release, version: int | None) -> Release:
    """The writer (or a supervisor of the owning agency) takes a pending release back: it is never sent."""
    _must_be_pending(release, version)
    operation = db.get(Operation, release.operation_id)
    _close(db, release, actor, "withdrawn", "")
    _audit(db, "release_withdraw", actor, release, {"ref": operation.ref})
    db.commit()
    return release


CLOSED_MESSAGES = {
    "delivered": _l("This release was already approved and delivered."),
    "refused": _l("This release was already refused."),
    "withdrawn": _l("This release was already withdrawn."),
}


def _must_be_pending(release: Release, version: int | None) -> None:
    """Only a pending release is approved, refused or withdrawn; a form read before a change is stale."""
    if release.status != "pending":
        message = CLOSED_MESSAGES.get(release.status, _l("This release no longer waits for approval."))
        raise LiaisonError("status", str(message))
    if version is not None and version != release.version:
        raise StaleError()


def _close(db: Session, release: Release, actor: User, status: str, reason: str) -> None:
    release.status, release.closed_by_id, release.closed_at = status, actor.id, clock.now()
    release.closed_reason = reason
    _save(db, release)


def _save(db: Session, release: Release) -> None:
    """Write the change; the version column refuses it when another request changed the release meanwhile."""
    db.add(release)
    try:
        db.flush()
    except StaleDataError:
        db.rollback()
        raise StaleError() from None


def acknowledge(db: Session, actor: User, release: Release) -> Release:
    if release.acknowledged_at is not None:
        raise LiaisonError("acknowledge", _("This release was already acknowledged."))
    release.acknowledged_by_id, release.acknowledged_at = actor.id, clock.now()
    _save(db, release)
    _audit(db, "release_acknowledge", actor, release, {})
    office = db.get(Agency, release.to_agency_id)
    params = {"agency": office.name, "number": release.id}
    inbox.notify(db, [release.created_by_id], "release_acknowledged", params, link=f"/liaison/releases/{release.id}")
    db.commit()
    return release


def record_read(db: Session, actor: User, release: Release) -> None:
    _audit(db, "release_view", actor, release, {})
    db.commit()


def visible(db: Session, actor: User, operation_id: int | None = None) -> list[Release]:
    """The releases `actor` may read (policy.visible_releases), newest first; of one record when asked."""
    query = select(Release).where(policy.visible_releases(actor))
    if operation_id is not None:
        query = query.where(Release.operation_id == operation_id)
    rows = list(db.execute(query.order_by(Release.created_at.desc(), Release.id.desc()).limit(200)).scalars())
    if operation_id is not None and not rows:
        # a record with no release (nearly all): nothing was read beyond the record, whose view event the page
        # has written; no second event and commit on every record page
        return rows
    detail = {"operation_id": operation_id, "count": len(rows)}
    audit.record(db, "release_list", user=actor, object_type="release", detail=detail)
    db.commit()
    return rows


def office_people(db: Session, agency_id: int) -> list[int]:
    return list(db.execute(select(User.id).where(User.agency_id == agency_id, User.is_active)).scalars())


def _name_in(agency: Agency, language: str) -> str:
    return getattr(agency, f"name_{language}", "") or agency.name


def _audit(db: Session, action: str, actor: User, release: Release, detail: dict) -> None:
    detail = {"to_agency_id": release.to_agency_id, "operation_id": release.operation_id, **detail}
    audit.record(
        db,
        action,
        user=actor,
        object_type="release",
        object_id=release.id,
        object_agency_id=release.owner_agency_id,
        detail=detail,
    )
