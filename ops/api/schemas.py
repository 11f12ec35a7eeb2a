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
    handling_code: str  # the attachment's own, else the record's
    grading: str  # the attachment's own, else the record's; "" ungraded


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
    # agencies that get the persons' identities besides the owner (share_persons: all readers)
    identities_shared_with: list[str]
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


# --- what a client sends (documentation of the body; validation is the pages' forms) -----------


class SeizureWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    category: str
    commodity: str
    quantity: str
    unit: str
    concealment: str | None = None
    concealment_detail: str | None = None
    conveyance: str | None = None
    detection: str | None = None
    origin_country: str | None = None
    transit_countries: list[str] | None = None
    destination_country: str | None = None


class PersonWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    full_name: str
    birth_date: str | None = None
    nationality: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    role: str | None = None
    arrested: bool = False
    seizure_row: int | None = None


class VehicleWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    plate: str
    country: str | None = None
    make_model: str | None = None
    vehicle_type: str | None = None
    seizure_row: int | None = None


class OperationWrite(SQLModel):
    """Create (POST) or replace (PUT) an operation; visibility fields only when creating."""

    model_config = ConfigDict(extra="forbid")
    title: str
    op_type: str
    started_at: datetime
    ended_at: datetime | None = None
    place_code: str | None = None
    place_name: str | None = None
    region: str | None = None
    lat: str | None = None
    lon: str | None = None
    lead_team_id: int | None = None
    participants: list[int] | None = None
    narrative: str | None = None
    owner_team_id: int | None = None
    visibility: str | None = None
    share_agencies: list[int] | None = None
    share_persons: bool | None = None
    persons_agencies: list[int] | None = None
    handling_code: str | None = None
    handling_conditions: str | None = None
    grading: str | None = None
    reason: str | None = None
    seizures: list[SeizureWrite] = []
    persons: list[PersonWrite] = []
    vehicles: list[VehicleWrite] = []


class HandlingWrite(SQLModel):
    """Change a record's handling code and grading (the owning agency's leads and supervisors)."""

    model_config = ConfigDict(extra="forbid")
    handling_code: str
    handling_conditions: str | None = None
    grading: str | None = None


class StepWrite(SQLModel):
    comment: str | None = None


class SearchRow(SeizurePublic):
    operation_id: int
    operation_ref: str
    agency: str
    place_name: str


class SearchPage(SQLModel):
    items: list[SearchRow]
    total_seizures: int
    total_kg_equivalent: Decimal
    facets: dict[str, dict[str, int]]
    next_cursor: str | None = None
