"""Review: draft -> submitted -> approved, or returned with a comment; and visibility changes.

Who may do each step is decided by ops.policy (the routes ask before
calling); these functions write the step, its revision and its audit event
in one transaction, checked against the version the user looked at.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ops.db import session
from ops.events import candidates
from ops.inbox import services as inbox
from ops.models import (
    Operation,
    OperationAgency,
    OperationIdentityGrant,
    OperationShare,
    TeamMember,
    User,
    utcnow,
)
from ops.operations import handling, revisions
from ops.operations.schemas import VisibilityChoice
from ops.operations.services import Conflict, agency_ids, apply_sharing, audit_operation, hold_version
from ops.search import news
from ops.watch import services as watch


class NotReady(Exception):
    """The record lacks something the step needs; the message says what."""


def _transition(
    actor: User, operation: Operation, expected_version: int, action: str, status: str, comment: str = ""
) -> None:
    db = session()
    try:
        hold_version(operation, expected_version)
        changes = [{"field": "status", "old": operation.status, "new": status}]
        operation.status, operation.updated_at = status, utcnow()
        if status == "submitted":
            operation.submitted_at = operation.updated_at
        elif status == "returned":
            operation.return_comment = comment
        elif status == "approved":
            operation.approved_at, operation.approved_by_id = operation.updated_at, actor.id
            operation.return_comment = None
        revisions.add(db, operation, actor, action, changes, comment)
        found = candidates.for_operation(db, operation.id, action) if status in ("submitted", "approved") else []
        audit_operation(
            db,
            actor,
            f"operation_{action}",
            operation,
            status=status,
            comment=comment or None,
            possible_duplicates=[link.id for link in found] or None,
        )
        _tell(db, actor, operation, status)
        db.commit()
    except StaleDataError:
        db.rollback()
        raise Conflict() from None


def _tell(db, actor: User, operation: Operation, status: str) -> None:
    """Inbox items: a submitted record to the agency's supervisors, a returned one to the owning team, an
    approved one to the watchers of its identifiers and the owners of saved searches it is new to."""
    link = url_for("operations.view", operation_id=operation.id)
    if status == "approved":
        watch.tell(db, [operation.id])
        news.tell(db, news.of_operation(db, operation.id))
        return
    if status == "submitted":
        people = inbox.supervisors_of(db, operation.owner_agency_id)
        kind = "record_to_review"
    elif status == "returned":
        members = select(TeamMember.user_id).where(TeamMember.team_id == operation.owner_team_id)
        people = list(db.execute(members).scalars())
        kind = "record_returned"
    else:
        return
    recipients = [user_id for user_id in people if user_id != actor.id]
    inbox.notify(db, recipients, kind, {"ref": operation.ref}, link=link, operation_id=operation.id)


def submit(actor: User, operation: Operation, expected_version: int) -> None:
    if handling.needs_grading(operation):
        raise NotReady(handling.grading_required_message())
    _transition(actor, operation, expected_version, "submit", "submitted")


def return_to_team(actor: User, operation: Operation, expected_version: int, comment: str) -> None:
    _transition(actor, operation, expected_version, "return", "returned", comment)


def approve(actor: User, operation: Operation, expected_version: int, comment: str = "") -> None:
    _transition(actor, operation, expected_version, "approve", "approved", comment)


def _visibility_view(db, operation: Operation) -> dict:
    return {
        "visibility": operation.visibility,
        "share_persons": operation.share_persons,
        "shares": revisions.agency_codes(db, OperationShare, operation.id),
        "persons_shares": revisions.persons_share_codes(db, operation.id),
        "identity_grants": revisions.agency_codes(db, OperationIdentityGrant, operation.id),
    }


def change_visibility(actor: User, operation: Operation, choice: VisibilityChoice, expected_version: int) -> bool:
    """Who may read the record and who gets its identities. False when the choice is what is stored already.

    The caller has checked the choice against the handling code (H2 is never for all agencies).
    """
    db = session()
    try:
        before = _visibility_view(db, operation)
        hold_version(operation, expected_version)
        operation.updated_at = utcnow()
        apply_sharing(db, operation, choice, agency_ids(db, OperationAgency, operation.id))
        db.flush()
        changes = revisions.diff(before, _visibility_view(db, operation))
        if not changes:
            db.rollback()
            return False
        revisions.add(db, operation, actor, "visibility", changes)
        audit_operation(
            db, actor, "operation_visibility", operation, **{c["field"]: [c["old"], c["new"]] for c in changes}
        )
        db.commit()
    except StaleDataError:
        db.rollback()
        raise Conflict() from None
    return True
