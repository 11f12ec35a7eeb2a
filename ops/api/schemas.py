"""The API's data shapes, in SQLModel's family style (Base -> Public/Create/Update).

The OpenAPI description takes its schemas from these very classes, so the
document and the answers cannot drift apart.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import ConfigDict
from sqlmodel import SQLModel

from ops.models import OperationBase, PersonBase, SeizureBase, VehicleBase


class SeizurePublic(SeizureBase):
    id: int
    occurred_at: datetime
    kg_equivalent: Decimal | None = None


class PersonPublic(PersonBase):
    id: int
    seizure_id: int | None = None


class VehiclePublic(VehicleBase):
    id: int
    seizure_id: int | None = None


class AttachmentPublic(SQLModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class OperationSummary(OperationBase):
    id: int
    ref: str
    status: str
    version: int
    owner_agency: str
    owner_team: str
    created_at: datetime
    updated_at: datetime


class OperationPublic(OperationSummary):
    participating_agencies: list[str]
    shared_with: list[str]
    seizures: list[SeizurePublic]
    vehicles: list[VehiclePublic]
    attachments: list[AttachmentPublic]
    persons_count: int
    persons_withheld: bool
    persons_held_by: str | None = None
    persons: list[PersonPublic] | None = None


class OperationPage(SQLModel):
    items: list[OperationSummary]
    next_cursor: str | None = None


class SeizureRow(SeizurePublic):
    operation_id: int
    operation_ref: str


class SeizurePage(SQLModel):
    items: list[SeizureRow]
    next_cursor: str | None = None


class Problem(SQLModel):
    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str | None = None
    request_id: str | None = None
