"""Creating and changing operations. Every write records its revision and audit event
in the same transaction as the change, and commits once.

Optimistic locking: the version the user's form was built from is made the
"committed" version of the loaded row, so SQLAlchemy's UPDATE says
`WHERE id = ? AND version = <the user's>`; the database answers "no row"
when someone saved in between, SQLAlchemy raises StaleDataError, and we
roll everything back and raise Conflict. Nothing is overwritten silently.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from ops import audit, used_equipment
from ops.db import session
from ops.events import edits as event_edits
from ops.models import Agency, Operation, OperationAgency, OperationIdentityGrant, OperationShare, Team, User, utcnow
from ops.operations import children, revisions
from ops.operations.refs import next_ref
from ops.operations.schemas import (
    CONTENT_FIELDS,
    HandlingChoice,
    OperationContent,
    OperationInput,
    VisibilityChoice,
)
from ops.watch import services as watch


class Conflict(Exception):
    """The record changed since the user read it; nothing was saved."""


def reference_data() -> tuple[list[Agency], list[Team]]:
    db = session()
    return (
        # a programme organisation or a foreign counterpart office takes part in no operation and is shared nothing
        list(
            db.exec(
                select(Agency)
                .where(Agency.is_programme.is_(False), Agency.is_foreign_partner.is_(False))
                .order_by(Agency.name)
            ).all()
        ),
        list(db.exec(select(Team).order_by(Team.code)).all()),
    )


def user_teams(user: User, team_ids) -> list[Team]:
    if not team_ids:
        return []
    return list(session().exec(select(Team).where(Team.id.in_(team_ids)).order_by(Team.code)).all())


def agency_ids(db: Session, model, operation_id: int) -> list[int]:
    return sorted(db.exec(select(model.agency_id).where(model.operation_id == operation_id)).all())


def replace_agencies(db: Session, model, operation_id: int, ids) -> None:
    db.execute(delete(model).where(model.operation_id == operation_id))
    for agency_id in sorted(set(ids)):
        db.add(model(operation_id=operation_id, agency_id=agency_id))


def persons_share_ids(db: Session, operation_id: int) -> list[int]:
    """The share-list agencies of a partners record that get identities."""
    query = select(OperationShare.agency_id).where(OperationShare.operation_id == operation_id, OperationShare.persons)
    return sorted(db.exec(query).all())


def replace_shares(db: Session, operation_id: int, ids, persons_ids) -> None:
    """The share list, each agency with or without the persons' identities."""
    db.execute(delete(OperationShare).where(OperationShare.operation_id == operation_id))
    for agency_id in sorted(set(ids)):
        db.add(OperationShare(operation_id=operation_id, agency_id=agency_id, persons=agency_id in set(persons_ids)))


def apply_sharing(db: Session, operation: Operation, choice: VisibilityChoice, participants) -> None:
    """Visibility, share list and who gets identities, as the choice says."""
    operation.visibility, operation.share_persons = choice.visibility, choice.share_persons
    others = set(choice.persons_agency_ids) - {operation.owner_agency_id}
    replace_shares(db, operation.id, shares_for(operation, choice, participants), others)
    exceptions = [] if choice.visibility == "partners" or choice.share_persons else others
    replace_agencies(db, OperationIdentityGrant, operation.id, exceptions)


def _participants(operation: Operation, content: OperationContent) -> list[int]:
    # the owning agency always takes part in its own operation
    return sorted({operation.owner_agency_id, *content.participant_ids})


def _default_shares(operation: Operation, participant_ids) -> list[int]:
    return sorted(set(participant_ids) - {operation.owner_agency_id})


def _apply_content(operation: Operation, content: OperationContent) -> None:
    for name in CONTENT_FIELDS:
        setattr(operation, name, getattr(content, name))


def _write_children(db: Session, operation: Operation, data: OperationInput, persons_editable: bool) -> None:
    seizures = children.sync_seizures(db, operation, data.seizures)
    if persons_editable:
        children.sync_persons(db, operation, data.persons, seizures)
    children.sync_vehicles(db, operation, data.vehicles, seizures)


def audit_operation(db: Session, actor: User, action: str, operation: Operation, **detail) -> None:
    audit.record(
        db,
        action,
        user=actor,
        object_type="operation",
        object_id=operation.id,
        object_agency_id=operation.owner_agency_id,
        detail={"ref": operation.ref, **detail},
    )


def create_operation(
    actor: User,
    owner_team: Team,
    data: OperationInput,
    choice: VisibilityChoice,
    ref_year: int,
    handling: HandlingChoice | None = None,
) -> Operation:
    """A new draft of the actor's agency and team, with its rows (handling checked by the caller's form)."""
    db = session()
    operation = Operation(
        ref=next_ref(db, owner_team, ref_year),
        status="draft",
        owner_agency_id=actor.agency_id,
        owner_team_id=owner_team.id,
        created_by_id=actor.id,
        place_name="",
        title="",
        op_type="",
        started_at=data.content.started_at,
    )
    _apply_content(operation, data.content)
    handling = handling or HandlingChoice()
    operation.handling_code, operation.grading = handling.handling_code, handling.grading
    operation.handling_conditions = handling.handling_conditions.strip()
    db.add(operation)
    db.flush()
    participants = _participants(operation, data.content)
    replace_agencies(db, OperationAgency, operation.id, participants)
    apply_sharing(db, operation, choice, participants)
    if data.content.equipment_ids is not None:
        used_equipment.replace(db, operation.id, data.content.equipment_ids)
    _write_children(db, operation, data, persons_editable=True)
    revisions.add(db, operation, actor, "create", revisions.diff({}, revisions.snapshot(db, operation)))
    audit_operation(
        db,
        actor,
        "operation_create",
        operation,
        seizures=len(data.seizures),
        persons=len(data.persons),
        vehicles=len(data.vehicles),
    )
    db.commit()
    return operation


def shares_for(operation: Operation, choice: VisibilityChoice, participants) -> list[int]:
    if choice.visibility != "partners":
        return []
    return sorted(set(choice.share_agency_ids) - {operation.owner_agency_id}) or _default_shares(
        operation, participants
    )


def hold_version(operation: Operation, expected_version: int) -> None:
    """Make the UPDATE check the version the user started from (see the module's docstring)."""
    set_committed_value(operation, "version", expected_version)


def update_operation(
    actor: User,
    operation: Operation,
    data: OperationInput,
    expected_version: int,
    *,
    action: str = "edit",
    reason: str = "",
    persons_editable: bool = True,
) -> bool:
    """Save the form over the record. False when nothing changed; Conflict when someone saved first."""
    db = session()
    try:
        before = revisions.snapshot(db, operation)
        events_before = event_edits.before_edit(db, operation)
        old_participants = agency_ids(db, OperationAgency, operation.id)
        shares_followed = agency_ids(db, OperationShare, operation.id) == _default_shares(operation, old_participants)
        hold_version(operation, expected_version)
        operation.updated_at = utcnow()  # the versioned UPDATE happens even if only rows change
        _apply_content(operation, data.content)
        participants = _participants(operation, data.content)
        replace_agencies(db, OperationAgency, operation.id, participants)
        if operation.visibility == "partners" and shares_followed:
            # the agencies that keep their place keep their identities flag
            kept = persons_share_ids(db, operation.id)
            replace_shares(db, operation.id, _default_shares(operation, participants), kept)
        if data.content.equipment_ids is not None:
            used_equipment.replace(db, operation.id, data.content.equipment_ids)
        _write_children(db, operation, data, persons_editable)
        children.keep_seizures_in_step(db, operation)
        changes = revisions.diff(before, revisions.snapshot(db, operation))
        if not changes:
            db.rollback()
            return False
        revisions.add(db, operation, actor, action, changes, reason)
        event_edits.after_edit(db, actor, operation, events_before)  # a removed or changed linked seizure
        audit_operation(
            db,
            actor,
            f"operation_{action}",
            operation,
            fields=sorted({c["field"].split(":")[0] for c in changes}),
            reason=reason or None,
        )
        if operation.status == "approved":  # an amendment: watchers of its identifiers hear of it
            watch.tell(db, [operation.id])
        db.commit()
    except StaleDataError:
        db.rollback()
        raise Conflict() from None
    return True


def record_view(actor: User, operation: Operation, page: str = "record", thumbnails=()) -> None:
    """One event per page of a record read, naming the thumbnails the page showed (their reads add none)."""
    db = session()
    audit.record(
        db,
        "view",
        user=actor,
        object_type="operation",
        object_id=operation.id,
        object_agency_id=operation.owner_agency_id,
        detail={"ref": operation.ref, "page": page, **({"thumbnails": list(thumbnails)} if thumbnails else {})},
    )
    db.commit()


def record_list(actor: User, page: int, status: str | None, filters: dict | None = None) -> None:
    """Reading the list shows titles and places: audited like any other read, with the filters used."""
    db = session()
    detail = {"page": page, "status": status, **(filters or {})}
    audit.record(db, "list", user=actor, object_type="operation", detail=detail)
    db.commit()
