"""Items of the programme's equipment used in an operation (a vehicle, a fibrescope, the radios).

A helper of the floor just above the models (it reads them, nothing else), so that the
operations feature, the searches and exports, and the register can all use it without
depending on one another.

The operation form lists the in-service items of the agencies taking part
(and those assigned to the user's teams); the team ticks those used. An item
already ticked stays listed even if it left service since, so that editing an
old record does not silently drop it. Reads only ops.models_equipment, so the
operations feature does not depend on the register's package.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlmodel import Session

from ops import vocab
from ops.db import among
from ops.models import Agency, TeamMember, User
from ops.models_equipment import EquipmentItem, OperationEquipment


@dataclass(frozen=True)
class Candidate:
    id: int
    agency_id: int
    agency: str  # its agency's name in the reader's language: the form lists the items by agency
    label: str


def linked_ids(db: Session, operation_id: int | None) -> list[int]:
    if operation_id is None:
        return []
    query = select(OperationEquipment.item_id).where(OperationEquipment.operation_id == operation_id)
    return sorted(db.execute(query).scalars())


def agencies_of_teams(db: Session, team_ids) -> set[int]:
    """The agencies taking part in these teams (one of their officers is a member)."""
    if not team_ids:
        return set()
    query = (
        select(User.agency_id).join(TeamMember, TeamMember.user_id == User.id).where(TeamMember.team_id.in_(team_ids))
    )
    return set(db.execute(query).scalars())


def candidates(db: Session, agency_ids, team_ids, keep_ids=()) -> list[Candidate]:
    """What the form offers: in-service items of these agencies or teams, and the items ticked already."""
    offered = (EquipmentItem.status == "in_service") & or_(
        EquipmentItem.agency_id.in_(sorted(agency_ids) or [-1]), EquipmentItem.team_id.in_(sorted(team_ids) or [-1])
    )
    query = (
        select(EquipmentItem, Agency)
        .join(Agency, Agency.id == EquipmentItem.agency_id)
        .where(or_(offered, EquipmentItem.id.in_(list(keep_ids) or [-1])))
        .order_by(Agency.code, EquipmentItem.kind, EquipmentItem.inventory_number)
    )
    return [
        Candidate(
            item.id,
            item.agency_id,
            vocab.local_name(agency),
            f"{vocab.label(vocab.EQUIPMENT_KINDS, item.kind)} {item.inventory_number}",
        )
        for item, agency in db.execute(query)
    ]


def replace(db: Session, operation_id: int, item_ids) -> None:
    db.execute(delete(OperationEquipment).where(OperationEquipment.operation_id == operation_id))
    for item_id in sorted(set(item_ids)):
        db.add(OperationEquipment(operation_id=operation_id, item_id=item_id))


def inventory_numbers(db: Session, operation_id: int) -> list[str]:
    """For the record's revisions: the items used, by inventory number."""
    query = (
        select(EquipmentItem.inventory_number)
        .join(OperationEquipment, OperationEquipment.item_id == EquipmentItem.id)
        .where(OperationEquipment.operation_id == operation_id)
        .order_by(EquipmentItem.inventory_number)
    )
    return list(db.execute(query).scalars())


def items_of(db: Session, operation_ids) -> dict[int, list[EquipmentItem]]:
    """The items used by each of these operations (record page, exports)."""
    ids = sorted(set(operation_ids))
    found: dict[int, list[EquipmentItem]] = {i: [] for i in ids}
    if not ids:
        return found
    query = (
        select(OperationEquipment.operation_id, EquipmentItem)
        .join(EquipmentItem, EquipmentItem.id == OperationEquipment.item_id)
        .where(OperationEquipment.operation_id.in_(ids))
        .order_by(EquipmentItem.kind, EquipmentItem.inventory_number)
    )
    for operation_id, item in db.execute(query):
        found[operation_id].append(item)
    return found


def descriptions_of(db: Session, operation_ids) -> dict[int, str]:
    """items_of as an export's cell per operation: each item described, "; " between them. Reads the four
    columns describe() needs, not the items: an export asks this for every batch of its rows."""
    if not operation_ids:
        return {}
    found: dict[int, list[str]] = {}
    query = (
        select(
            OperationEquipment.operation_id,
            EquipmentItem.kind,
            EquipmentItem.make,
            EquipmentItem.model,
            EquipmentItem.inventory_number,
        )
        .join(EquipmentItem, EquipmentItem.id == OperationEquipment.item_id)
        .where(among(db, OperationEquipment.operation_id, set(operation_ids)))
        .order_by(EquipmentItem.kind, EquipmentItem.inventory_number)
    )
    kinds: dict[str, str] = {}  # each kind's word translated once, not once per item
    for item in db.execute(query):
        kind = kinds.get(item.kind)
        if kind is None:
            kind = kinds[item.kind] = vocab.label(vocab.EQUIPMENT_KINDS, item.kind)
        found.setdefault(item.operation_id, []).append(_described(kind, item))
    return {operation_id: "; ".join(items) for operation_id, items in found.items()}


def describe(item: EquipmentItem) -> str:
    """One item as a reader (or a CSV cell) shows it: kind, make and model, inventory number."""
    return _described(vocab.label(vocab.EQUIPMENT_KINDS, item.kind), item)


def _described(kind: str, item) -> str:
    words = [kind, item.make, item.model]
    return " ".join(w for w in words if w) + f" ({item.inventory_number})"
