"""The history of a record: snapshots, field-by-field differences, and Revision rows.

A snapshot is a flat dict of language-neutral values (codes, ISO times,
numbers as text); the difference of two snapshots is what one save changed.
Labels are applied only when the history is shown, in the reader's language.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from ops import used_equipment
from ops.models import (
    Agency,
    Operation,
    OperationAgency,
    OperationIdentityGrant,
    OperationShare,
    Person,
    Revision,
    Seizure,
    Team,
    User,
    Vehicle,
)
from ops.operations.children import children
from ops.operations.schemas import PERSON_FIELDS, SEIZURE_FIELDS, VEHICLE_FIELDS

# what a user writes about the operation itself: kept in revisions and compared on the conflict page
CONTENT_FIELDS = ("title", "op_type", "started_at", "ended_at", "place_name", "region", "lat", "lon", "narrative")
OPERATION_FIELDS = (
    *CONTENT_FIELDS,
    "visibility",
    "share_persons",
    "handling_code",
    "handling_conditions",
    "grading",
    "status",
)
CHILD_KINDS = {
    "seizure": (Seizure, SEIZURE_FIELDS),
    "person": (Person, PERSON_FIELDS),
    "vehicle": (Vehicle, VEHICLE_FIELDS),
}


def plain(value):
    """A JSON-safe, comparable form of a stored value."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):  # date
        return value.isoformat()
    return value


def agency_codes(db: Session, model, operation_id: int) -> list[str]:
    rows = db.exec(
        select(Agency.code)
        .join(model, model.agency_id == Agency.id)
        .where(model.operation_id == operation_id)
        .order_by(Agency.code)
    ).all()
    return list(rows)


def persons_share_codes(db: Session, operation_id: int) -> list[str]:
    """The share-list agencies of a partners record that get identities."""
    rows = db.exec(
        select(Agency.code)
        .join(OperationShare, OperationShare.agency_id == Agency.id)
        .where(OperationShare.operation_id == operation_id, OperationShare.persons)
        .order_by(Agency.code)
    ).all()
    return list(rows)


def snapshot(db: Session, operation: Operation) -> dict:
    """Everything a reader of the record sees, as stored now."""
    data = {name: plain(getattr(operation, name)) for name in OPERATION_FIELDS}
    lead = db.get(Team, operation.lead_team_id) if operation.lead_team_id else None
    data["lead_team"] = lead.code if lead else None
    data["participants"] = agency_codes(db, OperationAgency, operation.id)
    data["shares"] = agency_codes(db, OperationShare, operation.id)
    data["persons_shares"] = persons_share_codes(db, operation.id)
    data["identity_grants"] = agency_codes(db, OperationIdentityGrant, operation.id)
    equipment = used_equipment.inventory_numbers(db, operation.id)
    if equipment:  # absent when none, so records written before equipment existed keep their snapshots
        data["equipment"] = equipment
    for kind, (model, fields) in CHILD_KINDS.items():
        for child in children(db, model, operation.id):
            data[f"{kind}:{child.id}"] = child_values(child, fields)
    return data


def child_values(child, fields) -> dict:
    values = {name: plain(getattr(child, name)) for name in fields}
    if getattr(child, "seizure_id", None):
        values["seizure_id"] = child.seizure_id
    return values


def diff(before: dict, after: dict) -> list[dict]:
    """What changed, in a stable order: the record's fields first, then its rows."""
    keys = (
        [k for k in before if k in after]
        + [k for k in before if k not in after]
        + [k for k in after if k not in before]
    )
    return [
        {"field": key, "old": before.get(key), "new": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key)
    ]


def add(db: Session, operation: Operation, actor: User, action: str, changes: list[dict], reason: str = "") -> Revision:
    revision = Revision(
        operation_id=operation.id,
        user_id=actor.id,
        action=action,
        reason=reason,
        changes=json.dumps(changes, ensure_ascii=False, default=str),
    )
    db.add(revision)
    return revision


def revisions(db: Session, operation_id: int, since: datetime | None = None) -> list[tuple[Revision, User | None]]:
    query = (
        select(Revision, User)
        .join(User, User.id == Revision.user_id, isouter=True)
        .where(Revision.operation_id == operation_id)
    )
    if since is not None:
        query = query.where(Revision.created_at > since)
    return list(db.exec(query.order_by(Revision.created_at.desc(), Revision.id.desc())).all())


def last_change(db: Session, operation_id: int) -> tuple[Revision, User | None] | None:
    found = revisions(db, operation_id)
    return found[0] if found else None


# --- the conflict page: the saved record beside the user's unsaved input --------------------

FORM_KEYS = (*CONTENT_FIELDS, "lead_team", "participants")


def snapshot_of_input(db: Session, operation: Operation, data, persons_editable: bool) -> dict:
    """The user's form in the shape of snapshot(), for the fields the form carries."""
    content = data.content
    mine = {name: plain(getattr(content, name)) for name in FORM_KEYS if hasattr(content, name)}
    lead = db.get(Team, content.lead_team_id) if content.lead_team_id else None
    mine["lead_team"] = lead.code if lead else None
    ids = {operation.owner_agency_id, *content.participant_ids}
    mine["participants"] = sorted(db.exec(select(Agency.code).where(Agency.id.in_(ids))).all())
    rows = {"seizure": data.seizures, "vehicle": data.vehicles, "person": data.persons if persons_editable else []}
    for kind, items in rows.items():
        for number, row in enumerate(items, start=1):
            key = f"{kind}:{row.id}" if row.id else f"{kind}:new-{number}"
            mine[key] = {name: plain(getattr(row, name)) for name in CHILD_KINDS[kind][1]}
    return mine


def _comparable(value):
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "seizure_id"}
    return value


def differences(theirs: dict, mine: dict, persons_editable: bool) -> list[tuple[str, object, object]]:
    """(field, saved value, my value) wherever the user's form and the saved record differ."""

    def shown(key):
        kind = key.split(":", 1)[0]
        return key in FORM_KEYS or (kind in CHILD_KINDS and (kind != "person" or persons_editable))

    keys = [k for k in theirs if shown(k)] + [k for k in mine if k not in theirs and shown(k)]
    pairs = [(k, _comparable(theirs.get(k)), _comparable(mine.get(k))) for k in keys]
    return [(k, saved, typed) for k, saved, typed in pairs if saved != typed]
