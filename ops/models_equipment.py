"""The programme's equipment register: donors, projects, handover batches, items and their history.

Kept beside ops.models (same floor, importing only from it) so that neither
file grows past a readable size. Codes (kind, status, currency) come from
ops.vocab; an item's current status and assignment are kept on the item for
lists and filters, and every change is also written to its history table.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ops.models import utcnow


class Donor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=160)
    donor_id: int = Field(foreign_key="donor.id", index=True)
    component: str = Field(default="", max_length=120)  # the programme component it funds
    starts_on: date
    ends_on: date
    created_at: datetime = Field(default_factory=utcnow)


class HandoverBatch(SQLModel, table=True):
    """One handover to one agency, with its signed note (stored like an operation's attachments)."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=64, unique=True)
    handed_over_on: date = Field(index=True)
    donor_id: int = Field(foreign_key="donor.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    note_filename: str = Field(max_length=200)
    note_content_type: str = Field(max_length=64)
    note_size: int
    note_sha256: str = Field(max_length=64, index=True)
    note_storage_key: str = Field(max_length=128)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class EquipmentItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("kind", "serial", name="uq_equipment_kind_serial"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="handoverbatch.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)  # the recipient agency owns the item
    kind: str = Field(max_length=32, index=True)
    make: str = Field(default="", max_length=80)
    model: str = Field(default="", max_length=80)
    serial: str = Field(max_length=64)
    inventory_number: str = Field(max_length=64, unique=True, index=True)
    value: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 2)))
    currency: str = Field(default="USD", max_length=3)
    status: str = Field(default="in_service", max_length=16, index=True)
    status_since: date
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    place_code: str | None = Field(default=None, max_length=32)  # a crossing point, when not a team
    created_at: datetime = Field(default_factory=utcnow)


class EquipmentStatusChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="equipmentitem.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=16)
    changed_on: date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class EquipmentAssignment(SQLModel, table=True):
    """Where an item was, from when to when (ended_on is empty for the current one)."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="equipmentitem.id", index=True, ondelete="CASCADE")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    place_code: str | None = Field(default=None, max_length=32)
    assigned_on: date
    ended_on: date | None = None
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class OperationEquipment(SQLModel, table=True):
    """Items of equipment used in an operation, ticked by its team."""

    operation_id: int = Field(foreign_key="operation.id", primary_key=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="equipmentitem.id", primary_key=True, index=True)
