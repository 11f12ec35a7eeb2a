"""Reading the register: lists, one batch, one item and its history, always through ops.policy's SQL filter."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select

from ops import policy
from ops.db import session
from ops.models import Agency, Team, TeamMember, User
from ops.models_equipment import (
    Donor,
    EquipmentAssignment,
    EquipmentItem,
    EquipmentStatusChange,
    HandoverBatch,
    OperationEquipment,
    Project,
)

PAGE_SIZE = 100


@dataclass
class ItemFilter:
    kind: str = ""
    status: str = ""
    agency_id: int | None = None
    team_id: int | None = None
    batch_id: int | None = None
    q: str = ""  # serial or inventory number, prefix


def items(user: User, flt: ItemFilter, page: int = 1) -> tuple[list, int]:
    """(rows, total) of the items the user may read, filtered; each row is (item, batch reference, agency, team)."""
    where = [policy.visible_equipment(user)]
    if flt.kind:
        where.append(EquipmentItem.kind == flt.kind)
    if flt.status:
        where.append(EquipmentItem.status == flt.status)
    if flt.agency_id:
        where.append(EquipmentItem.agency_id == flt.agency_id)
    if flt.team_id:
        where.append(EquipmentItem.team_id == flt.team_id)
    if flt.batch_id:
        where.append(EquipmentItem.batch_id == flt.batch_id)
    if flt.q:
        pattern = flt.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(
            EquipmentItem.serial.like(pattern, escape="\\") | EquipmentItem.inventory_number.like(pattern, escape="\\")
        )
    db = session()
    total = db.execute(select(func.count()).select_from(EquipmentItem).where(*where)).scalar_one()
    query = (
        select(EquipmentItem, HandoverBatch.reference, Agency.name, Team.code)
        .join(HandoverBatch, HandoverBatch.id == EquipmentItem.batch_id)
        .join(Agency, Agency.id == EquipmentItem.agency_id)
        .outerjoin(Team, Team.id == EquipmentItem.team_id)
        .where(*where)
        .order_by(EquipmentItem.kind, EquipmentItem.inventory_number)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    )
    return [tuple(row) for row in db.execute(query)], total


def batches(user: User) -> list:
    """(batch, donor, project, agency, number of items) of the batches the user may read."""
    count = select(func.count()).where(EquipmentItem.batch_id == HandoverBatch.id).scalar_subquery()
    query = (
        select(HandoverBatch, Donor.name, Project.code, Agency.name, count)
        .join(Donor, Donor.id == HandoverBatch.donor_id)
        .join(Project, Project.id == HandoverBatch.project_id)
        .join(Agency, Agency.id == HandoverBatch.agency_id)
        .where(policy.visible_equipment(user, HandoverBatch.agency_id))
        .order_by(HandoverBatch.handed_over_on.desc(), HandoverBatch.id.desc())
    )
    return [tuple(row) for row in session().execute(query)]


def load_batch(user: User, batch_id: int, action: str = "view_equipment") -> HandoverBatch:
    batch = session().get(HandoverBatch, batch_id)
    if batch is None:
        abort(404)
    policy.require(user, action, batch)
    return batch


def load_item(user: User, item_id: int, action: str = "view_equipment") -> EquipmentItem:
    item = session().get(EquipmentItem, item_id)
    if item is None:
        abort(404)
    policy.require(user, action, item)
    return item


def status_history(item_id: int) -> list:
    query = (
        select(EquipmentStatusChange, User.username)
        .outerjoin(User, User.id == EquipmentStatusChange.user_id)
        .where(EquipmentStatusChange.item_id == item_id)
        .order_by(EquipmentStatusChange.changed_on, EquipmentStatusChange.id)
    )
    return [tuple(row) for row in session().execute(query)]


def assignment_history(item_id: int) -> list:
    query = (
        select(EquipmentAssignment, Team.code, User.username)
        .outerjoin(Team, Team.id == EquipmentAssignment.team_id)
        .outerjoin(User, User.id == EquipmentAssignment.user_id)
        .where(EquipmentAssignment.item_id == item_id)
        .order_by(EquipmentAssignment.assigned_on, EquipmentAssignment.id)
    )
    return [tuple(row) for row in session().execute(query)]


def times_used(item_id: int) -> int:
    query = select(func.count()).where(OperationEquipment.item_id == item_id)
    return session().execute(query).scalar_one()


def donors() -> list[Donor]:
    return list(session().execute(select(Donor).order_by(Donor.name)).scalars())


def projects() -> list:
    query = select(Project, Donor.name).join(Donor, Donor.id == Project.donor_id).order_by(Project.code)
    return [tuple(row) for row in session().execute(query)]


def agencies(user: User) -> list[Agency]:
    """Agencies an item may be handed to by this user: their own, or every law-enforcement agency."""
    query = select(Agency).where(Agency.is_programme.is_(False)).order_by(Agency.name)
    if user.role not in policy.NO_RECORD_ROLES:
        query = query.where(Agency.id == user.agency_id)
    return list(session().execute(query).scalars())


def teams_of_agency(agency_id: int) -> list[Team]:
    """Teams in which the agency takes part (one of its officers is a member)."""
    members = select(TeamMember.team_id).join(User, User.id == TeamMember.user_id).where(User.agency_id == agency_id)
    return list(session().execute(select(Team).where(Team.id.in_(members)).order_by(Team.code)).scalars())


def all_teams() -> list[Team]:
    return list(session().execute(select(Team).order_by(Team.code)).scalars())


def names(model, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    column = model.code if hasattr(model, "code") else model.name
    return dict(session().execute(select(model.id, column).where(model.id.in_(ids))).all())
