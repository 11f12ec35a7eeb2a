"""The API's data shapes, in SQLModel's family style (Base -> Public/Create/Update).

The OpenAPI description takes its schemas from these very classes, so the
document and the answers cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from ops import phones, vocab
from ops.models import OperationBase, PersonBase, SeizureBase, VehicleBase


class SeizurePublic(SeizureBase):
    id: int
    occurred_at: datetime
    kg_equivalent: Decimal | None = None


class PersonPublic(PersonBase):
    id: int
    seizure_id: int | None = None
    phones: list[str] = Field(default=[], description="E.164")  # type: ignore[assignment]

    @field_validator("phones", mode="before")
    @classmethod
    def _stored_phones(cls, value):
        return phones.stored(value) if isinstance(value, str) else value


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


# --- what a client sends (validation is the pages' forms; these say what the forms check) ----------
# Codes are enumerated from the vocabulary the forms choose from, so the description and the checks
# agree. What a schema cannot state (a quantity that fits its unit, a start in the past, a team the
# caller belongs to, a seizure_row naming a row of the same body) is the forms' and answers 422.
Category = Literal[tuple(vocab.CATEGORIES)]
Commodity = Literal[tuple(vocab.COMMODITIES)]
Unit = Literal[tuple(vocab.UNITS)]
Concealment = Literal[tuple(vocab.CONCEALMENTS)]
Conveyance = Literal[tuple(vocab.CONVEYANCES)]
Detection = Literal[tuple(vocab.DETECTION_METHODS)]
PersonRole = Literal[tuple(vocab.PERSON_ROLES)]
DocumentType = Literal[tuple(vocab.DOCUMENT_TYPES)]
OperationType = Literal[tuple(vocab.OPERATION_TYPES)]
Visibility = Literal[tuple(vocab.VISIBILITIES)]
HandlingCode = Literal[tuple(vocab.HANDLING_CODES)]
Grading = Literal[tuple(sorted(vocab.GRADINGS))]


class SeizureWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    category: Category
    commodity: Commodity
    quantity: str
    unit: Unit
    concealment: Concealment
    concealment_detail: str | None = Field(default=None, max_length=200)
    conveyance: Conveyance
    detection: Detection
    origin_country: str | None = None
    transit_countries: list[str] | None = None
    destination_country: str | None = None


class PersonWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    full_name: str = Field(max_length=160)
    birth_date: str | None = None
    nationality: str | None = None
    document_type: DocumentType | None = Field(default=None, description="required when document_number is given")
    document_number: str | None = Field(default=None, max_length=40)
    phones: list[str] | None = Field(
        default=None, max_length=phones.MAX_PER_PERSON, description="phone numbers; without a country code, Uzbek"
    )
    role: PersonRole
    arrested: bool = False
    seizure_row: int | None = Field(default=None, ge=1, description="the 1-based number of a seizure in this body")


class VehicleWrite(SQLModel):
    model_config = ConfigDict(extra="forbid")
    id: int | None = None
    plate: str
    country: str | None = None
    make_model: str | None = None
    vehicle_type: str | None = None
    seizure_row: int | None = Field(default=None, ge=1, description="the 1-based number of a seizure in this body")


class OperationFields(SQLModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    op_type: OperationType
    started_at: datetime
    ended_at: datetime | None = None
    place_code: str | None = None
    place_name: str | None = None
    region: str | None = None
    lat: str | None = None
    lon: str | None = None
    lead_team_id: int | None = None
    participants: list[int] | None = None
    narrative: str | None = Field(default=None, max_length=vocab.NARRATIVE_MAX_LENGTH)
    seizures: list[SeizureWrite] = Field(default=[], min_length=1)
    persons: list[PersonWrite] = []
    vehicles: list[VehicleWrite] = []


class OperationWrite(OperationFields):
    """Create (POST): the owning team and who may read the record are chosen once, here."""

    owner_team_id: int | None = None
    visibility: Visibility | None = None
    share_agencies: list[int] | None = None
    share_persons: bool | None = None
    persons_agencies: list[int] | None = Field(default=None, description="agencies that also get the identities")
    # set once here; changed afterwards only by PUT /operations/{id}/handling
    handling_code: HandlingCode = Field(default="H0")
    handling_conditions: str | None = Field(default=None, description="required with H3")
    grading: Grading | None = Field(default=None, description="source reliability A-D or X, assessment 1-4")


class OperationReplace(OperationFields):
    """Replace (PUT): a draft's content, or an approved record's with the reason for the amendment."""

    reason: str | None = Field(default=None, description="required, and only accepted, when the record is approved")


class HandlingWrite(SQLModel):
    """Change a record's handling code and grading (the owning agency's leads and supervisors)."""

    model_config = ConfigDict(extra="forbid")
    handling_code: HandlingCode
    handling_conditions: str | None = Field(default=None, description="required with H3")
    grading: Grading | None = None


class StepWrite(SQLModel):
    comment: str | None = None


class SearchRow(SeizurePublic):
    operation_id: int
    operation_ref: str
    agency: str
    place_name: str
    # counted in the totals: false for a row found through its record's text only (text_only_words), or for
    # a second report of a seizure event whose primary the caller may read too
    counted: bool = True
    text_only_words: list[str] = Field(default_factory=list)
    also_reported_by: list[str] = Field(default_factory=list)  # other agencies' names (same seizure event)


class SearchPage(SQLModel):
    items: list[SearchRow]
    total_seizures: int
    total_kg_equivalent: Decimal
    listed_not_counted: int = 0
    facets: dict[str, dict[str, int]]
    next_cursor: str | None = None


class InboxItemPublic(SQLModel):
    id: int
    kind: str
    title: str
    message: str
    link: str
    created_at: datetime
    read_at: datetime | None = None


class InboxPage(SQLModel):
    items: list[InboxItemPublic]
    total: int
    unread: int
    page: int
    pages: int


class HitPublic(SQLModel):
    """A record of another agency matching the identifier: who holds it, its year, what matched; nothing else."""

    agency: str
    year: int
    match_on: list[str]
    token: str = Field(description="opaque; names the hit in an access request")


class LookupAnswer(SQLModel):
    value: str
    readable: list[str] = Field(description="references of the matching records the caller may read")
    hits: list[HitPublic]
    lookups_today: int
    daily_limit: int
    note: str | None = Field(default=None, description="why no other agency's records were looked up")
