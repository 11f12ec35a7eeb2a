"""Access requests: from a hit, a reader asks the owning agency to read the record; its supervisors answer.

ask -> open; answer -> granted (an AccessGrant: this record, the requester's agency,
with or without identities, optionally until a date), partial (a grant without
identities, with a reason) or refused (with a reason); withdraw -> withdrawn.
Overdue is computed when read: open and past due_at (OPS_ACCESS_REQUEST_HOURS after
it was made). Each step is audited on the record (so it is on the record's history
for the owner), and the other side is told through the inbox. Bad input raises
Refused with a specific message; nothing is written then.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ops import audit, clock, policy
from ops.hits import services as hits
from ops.hits.services import Refused
from ops.inbox import services as inbox
from ops.models import AccessGrant, AccessRequest, Agency, Operation, User

CASE_NUMBER_LENGTH = 64
REASON_LENGTH = 1000
DECISIONS = ("grant", "partial", "refuse")
OUTCOME = {"grant": "granted", "partial": "partial", "refuse": "refused"}


def is_overdue(request: AccessRequest, now: datetime | None = None) -> bool:
    return request.status == "open" and request.due_at < (now or clock.now())


def _agency_name(db, agency_id: int) -> str:
    return db.execute(select(Agency.name).where(Agency.id == agency_id)).scalar_one_or_none() or ""


def _audit(db, user, action: str, request: AccessRequest, **detail) -> None:
    audit.record(
        db,
        action,
        user=user,
        object_type="operation",
        object_id=request.operation_id,
        object_agency_id=request.owner_agency_id,
        detail={"access_request": request.id, "kind": request.match_kind, **detail},
    )


def ask(db, user, identifier: str, hit_token: str, purpose: str | None, case_number: str | None) -> AccessRequest:
    """A request for the record behind a hit the user was given."""
    if not (purpose or "").strip():
        raise Refused(_("Give the purpose of your request."))
    purpose = hits.check_purpose(purpose)
    case_number = " ".join((case_number or "").split())
    if len(case_number) > CASE_NUMBER_LENGTH:
        raise Refused(_("The case number is longer than %(max)d characters.", max=CASE_NUMBER_LENGTH))
    found = hits.held_by_token(db, user, identifier, hit_token, include_readable=True)
    if found is None:
        raise Refused(_("This hit is no longer valid: look the identifier up again."))
    operation_id, owner_id, kinds, readable = found
    if readable:
        raise Refused(_("You can already read this record: there is nothing to ask for."))
    if _open_request(db, operation_id, user.agency_id) is not None:
        raise Refused(_("Your agency already has an open request for this record."))
    now = clock.now()
    request = AccessRequest(
        operation_id=operation_id,
        owner_agency_id=owner_id,
        requester_id=user.id,
        requester_agency_id=user.agency_id,
        match_kind=kinds[0],
        purpose=purpose,
        case_number=case_number,
        due_at=now + timedelta(hours=current_app.config["ACCESS_REQUEST_HOURS"]),
        created_at=now,
    )
    db.add(request)
    db.flush()
    _audit(db, user, "access_request", request, purpose=purpose, case_number=case_number)
    ref = db.execute(select(Operation.ref).where(Operation.id == operation_id)).scalar_one()
    params = {
        "agency": _agency_name(db, user.agency_id),
        "ref": ref,
        "kind": request.match_kind,
        "due": request.due_at.isoformat(),
        "purpose": purpose,
    }
    link = url_for("hits.request_page", request_id=request.id)
    inbox.notify(db, inbox.supervisors_of(db, owner_id), "access_request", params, link, operation_id)
    db.commit()
    return request


def _open_request(db, operation_id: int, agency_id: int) -> AccessRequest | None:
    query = select(AccessRequest).where(
        AccessRequest.operation_id == operation_id,
        AccessRequest.requester_agency_id == agency_id,
        AccessRequest.status == "open",
    )
    return db.execute(query).scalars().first()


def _answerable(request: AccessRequest, user) -> None:
    if request.owner_agency_id != user.agency_id or not policy.can(user, "answer_access_requests"):
        raise Refused(_("This request is for another agency: only its supervisors answer it."))
    if request.status == "withdrawn":
        raise Refused(_("The request was withdrawn: there is nothing to answer."))
    if request.status != "open":
        raise Refused(_("This request was answered already."))


def answer(
    db,
    user,
    request: AccessRequest,
    decision: str,
    expected_version: int,
    reason: str = "",
    persons: bool = False,
    until: datetime | None = None,
) -> None:
    """Grant, grant in part or refuse; the requester is told the outcome."""
    _answerable(request, user)
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise Refused(_("Choose to grant, grant in part or refuse."))
    if decision in ("partial", "refuse") and not reason:
        raise Refused(_("Give the reason for refusing or granting in part."))
    if len(reason) > REASON_LENGTH:
        raise Refused(_("The reason is longer than %(max)d characters.", max=REASON_LENGTH))
    if until is not None and until <= clock.now():
        raise Refused(_("The end of the grant must be in the future."))
    try:
        _hold_version(request, expected_version)
        now = clock.now()
        request.status, request.answered_at, request.answered_by_id = OUTCOME[decision], now, user.id
        request.answer_reason = reason
        db.add(request)
        if decision != "refuse":
            db.add(
                AccessGrant(
                    operation_id=request.operation_id,
                    agency_id=request.requester_agency_id,
                    persons=persons and decision == "grant",
                    until=until,
                    request_id=request.id,
                    granted_by_id=user.id,
                )
            )
        db.flush()
    except StaleDataError:
        db.rollback()
        raise Refused(_("Someone else answered or withdrew this request meanwhile: reload the page.")) from None
    detail = {"decision": decision, "reason": reason, "persons": persons and decision == "grant"}
    _audit(db, user, "access_answer", request, until=until.isoformat() if until else "", **detail)
    link = url_for("operations.view", operation_id=request.operation_id) if decision != "refuse" else ""
    params = {"agency": _agency_name(db, request.owner_agency_id), "kind": request.match_kind, "reason": reason}
    inbox.notify(
        db,
        [request.requester_id],
        f"access_{OUTCOME[decision]}",
        params,
        link or url_for("hits.request_page", request_id=request.id),
        request.operation_id if decision != "refuse" else None,
    )
    db.commit()


def _hold_version(request: AccessRequest, expected_version: int) -> None:
    if request.version != expected_version:
        raise StaleDataError()


def withdraw(db, user, request: AccessRequest) -> None:
    if request.requester_id != user.id:
        raise Refused(_("Only the person who asked can withdraw a request."))
    if request.status != "open":
        raise Refused(_("This request was answered already."))
    request.status = "withdrawn"
    db.add(request)
    _audit(db, user, "access_withdraw", request)
    db.commit()


def load(db, user, request_id: int) -> AccessRequest | None:
    """A request the user may see: their own, their agency's as owner, their agency's requests (supervisors),
    or (overdue) the analysis centre's supervisors."""
    request = db.get(AccessRequest, request_id)
    if request is None:
        return None
    if request.requester_id == user.id or request.owner_agency_id == user.agency_id:
        return request
    if request.requester_agency_id == user.agency_id and user.role == "supervisor":
        return request
    if is_centre_supervisor(db, user) and is_overdue(request):
        return request
    return None


def is_centre_supervisor(db, user) -> bool:
    code = current_app.config.get("ANALYSIS_CENTRE_AGENCY") or ""
    if not code or user.role != "supervisor":
        return False
    return db.execute(select(Agency.code).where(Agency.id == user.agency_id)).scalar_one_or_none() == code


def to_answer(db, user) -> list[AccessRequest]:
    """Open requests for the user's agency's records (supervisors), oldest due first."""
    if not policy.can(user, "answer_access_requests"):
        return []
    query = select(AccessRequest).where(AccessRequest.owner_agency_id == user.agency_id, AccessRequest.status == "open")
    return list(db.execute(query.order_by(AccessRequest.due_at)).scalars())


def overdue_everywhere(db, user) -> list[AccessRequest]:
    """For the national analysis centre's supervisors: every open request past its due time."""
    if not is_centre_supervisor(db, user):
        return []
    query = select(AccessRequest).where(AccessRequest.status == "open", AccessRequest.due_at < clock.now())
    return list(db.execute(query.order_by(AccessRequest.due_at)).scalars())


def mine(db, user) -> list[AccessRequest]:
    query = select(AccessRequest).where(AccessRequest.requester_id == user.id)
    return list(db.execute(query.order_by(AccessRequest.created_at.desc()).limit(100)).scalars())


def of_record(db, user, operation: Operation) -> list[AccessRequest]:
    """The record's requests, for its owning agency's history."""
    if operation.owner_agency_id != user.agency_id:
        return []
    query = select(AccessRequest).where(AccessRequest.operation_id == operation.id)
    return list(db.execute(query.order_by(AccessRequest.created_at.desc())).scalars())


def names(db, requests: list[AccessRequest]) -> tuple[dict[int, str], dict[int, str]]:
    """({agency id: name}, {user id: full name}) for showing requests."""
    if not requests:  # most records have none: the record page asks nothing then
        return {}, {}
    agencies = dict(db.execute(select(Agency.id, Agency.name)).all())
    user_ids = {r.requester_id for r in requests} | {r.answered_by_id for r in requests if r.answered_by_id}
    people = dict(db.execute(select(User.id, User.full_name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    return agencies, people
