"""What a form hands to the services: validated data shapes in SQLModel's family style.

They carry only the fields a user may set. Owning agency and team, status,
version and reference are not among them, so an extra field sent with a
form has nowhere to go.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import SQLModel

from ops.models import PersonBase, SeizureBase, VehicleBase

# Operation fields set by the operation form (create, edit and amend).
CONTENT_FIELDS = (
    "title",
    "op_type",
    "started_at",
    "ended_at",
    "place_code",
    "place_name",
    "region",
    "lat",
    "lon",
    "lead_team_id",
    "narrative",
)
# Set when creating and afterwards only through the visibility form.
VISIBILITY_FIELDS = ("visibility", "share_persons")
# Set when creating and afterwards only by the owning agency's leads and supervisors (change_handling).
HANDLING_FIELDS = ("handling_code", "handling_conditions", "grading")
SEIZURE_FIELDS = tuple(SeizureBase.model_fields)
PERSON_FIELDS = tuple(PersonBase.model_fields)
VEHICLE_FIELDS = tuple(VehicleBase.model_fields)


class OperationContent(SQLModel):
    title: str
    op_type: str
    started_at: datetime
    ended_at: datetime | None = None
    place_code: str | None = None
    place_name: str
    region: str = ""
    lat: float | None = None
    lon: float | None = None
    lead_team_id: int | None = None
    narrative: str = ""
    participant_ids: list[int] = []
    # items of equipment used; None (the API, older clients) leaves them as they are
    equipment_ids: list[int] | None = None


class VisibilityChoice(SQLModel):
    visibility: str = "partners"
    share_persons: bool = False
    # agencies named by the user; empty means "the participating agencies"
    share_agency_ids: list[int] = []
    # partners: the share-list agencies that get identities; agency/all: the exceptions that
    # get them when identities are not for all readers
    persons_agency_ids: list[int] = []


class HandlingChoice(SQLModel):
    handling_code: str = "H0"
    handling_conditions: str = ""  # H3 only
    grading: str = ""  # "" ungraded


class SeizureIn(SeizureBase):
    id: int | None = None  # an existing seizure of this operation, or None for a new one


class PersonIn(PersonBase):
    id: int | None = None
    seizure_row: int | None = None  # 1-based row number of the seizure on the same form


class VehicleIn(VehicleBase):
    id: int | None = None
    seizure_row: int | None = None


class OperationInput(SQLModel):
    """Everything one save of the operation form carries."""

    content: OperationContent
    seizures: list[SeizureIn] = []
    persons: list[PersonIn] = []
    vehicles: list[VehicleIn] = []
