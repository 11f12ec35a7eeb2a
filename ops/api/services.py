"""Reading operations and seizures for the API, always through the policy's SQL filter."""

from __future__ import annotations

import base64
import binascii

from sqlmodel import select

from ops import audit, identities, policy
from ops.api.problems import ApiError
from ops.api.schemas import (
    AttachmentPublic,
    OperationPublic,
    OperationSummary,
    PersonPublic,
    SeizurePublic,
    SeizureRow,
    VehiclePublic,
)
from ops.db import session
from ops.models import (
    Agency,
    Attachment,
    Operation,
    OperationAgency,
    OperationIdentityGrant,
    OperationShare,
    Person,
    Seizure,
    Team,
    Vehicle,
)


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id after which the next page starts; a cursor we did not make is a 400, never 'from the start'."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError(text)
        return int(value)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ApiError(400, "cursor: not a cursor returned by this API") from None


def _summary(user, op: Operation, agencies: dict[int, str], teams: dict[int, str]) -> OperationSummary:
    values = op.model_dump() | {
        "title": identities.shown(op.title, op, user),
        "narrative": identities.shown(op.narrative, op, user),
    }
    return OperationSummary(
        **values, owner_agency=agencies.get(op.owner_agency_id, ""), owner_team=teams.get(op.owner_team_id, "")
    )


def _seizure_values(user, seizure: Seizure, operation: Operation) -> dict:
    return seizure.model_dump() | {"concealment_detail": identities.shown(seizure.concealment_detail, operation, user)}


def _lookups() -> tuple[dict[int, str], dict[int, str]]:
    db = session()
    return dict(db.exec(select(Agency.id, Agency.code)).all()), dict(db.exec(select(Team.id, Team.code)).all())


def list_operations(user, conditions, limit: int, cursor: str | None) -> tuple[list[OperationSummary], str | None]:
    after = decode_cursor(cursor)
    query = select(Operation).where(policy.visible_operations(user), *conditions)
    if after is not None:
        query = query.where(Operation.id < after)
    rows = session().exec(query.order_by(Operation.id.desc()).limit(limit + 1)).all()
    agencies, teams = _lookups()
    identities.prefetch(op.id for op in rows[:limit])
    items = [_summary(user, op, agencies, teams) for op in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return items, next_cursor


def list_seizures(user, conditions, limit: int, cursor: str | None) -> tuple[list[SeizureRow], str | None]:
    after = decode_cursor(cursor)
    query = (
        select(Seizure, Operation)
        .join(Operation, Operation.id == Seizure.operation_id)
        .where(policy.visible_operations(user), *conditions)
    )
    if after is not None:
        query = query.where(Seizure.id < after)
    rows = session().exec(query.order_by(Seizure.id.desc()).limit(limit + 1)).all()
    identities.prefetch(op.id for _seizure, op in rows[:limit])
    items = [SeizureRow(**_seizure_values(user, s, op), operation_ref=op.ref) for s, op in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1][0].id) if len(rows) > limit else None
    return items, next_cursor


def _children(model, operation_id: int):
    return session().exec(select(model).where(model.operation_id == operation_id).order_by(model.id)).all()


def identity_agencies(db, operation: Operation) -> list[int]:
    """The agencies named to get the identities: partners ticked, or the exceptions of an agency/all record."""
    if operation.visibility == "partners":
        query = select(OperationShare.agency_id).where(
            OperationShare.operation_id == operation.id, OperationShare.persons
        )
    else:
        query = select(OperationIdentityGrant.agency_id).where(OperationIdentityGrant.operation_id == operation.id)
    return list(db.exec(query).all())


def _attachment(attachment: Attachment, operation: Operation, user) -> AttachmentPublic:
    values = attachment.model_dump() | {"filename": identities.shown(attachment.filename, operation, user)}
    values["handling_code"] = attachment.handling_code or operation.handling_code
    values["grading"] = attachment.grading if attachment.grading is not None else operation.grading
    return AttachmentPublic(**values)


def operation_detail(user, operation: Operation) -> OperationPublic:
    """One visible operation with what it holds; persons only where the policy allows."""
    db = session()
    agencies, teams = _lookups()
    participants = db.exec(select(OperationAgency.agency_id).where(OperationAgency.operation_id == operation.id)).all()
    shared = db.exec(select(OperationShare.agency_id).where(OperationShare.operation_id == operation.id)).all()
    with_identities = identity_agencies(db, operation)
    persons = _children(Person, operation.id)
    withheld = not policy.persons_visible(user, operation)
    detail = OperationPublic(
        **_summary(user, operation, agencies, teams).model_dump(),
        participating_agencies=sorted(agencies[a] for a in participants),
        shared_with=sorted(agencies[a] for a in shared),
        seizures=[SeizurePublic(**_seizure_values(user, s, operation)) for s in _children(Seizure, operation.id)],
        vehicles=[VehiclePublic(**v.model_dump()) for v in _children(Vehicle, operation.id)],
        identities_shared_with=sorted(agencies[a] for a in with_identities),
        attachments=[_attachment(a, operation, user) for a in _children(Attachment, operation.id)],
        persons_count=len(persons),
        persons_withheld=withheld,
        persons_held_by=agencies.get(operation.owner_agency_id) if withheld else None,
        persons=None if withheld else [PersonPublic(**p.model_dump()) for p in persons],
    )
    audit.record(
        db,
        "view",
        user=user,
        object_type="operation",
        object_id=operation.id,
        object_agency_id=operation.owner_agency_id,
        detail={"via": "api"},
    )
    db.commit()
    return detail
