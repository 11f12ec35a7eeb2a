"""The API's shapes of releases to counterpart offices and of heads-up messages (ops.liaison).

A release carries what its extract holds (codes and figures) and the masked summary; never a person,
the record's title or narrative. Agencies are named by their codes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict
from pydantic import Field as Check
from sqlmodel import Field, SQLModel

from ops.liaison.headsups import SUBJECTS
from ops.models_liaison import HEADSUP_MAX_HOURS, HEADSUP_PLATE_MAX_LENGTH, HEADSUP_TEXT_MAX_LENGTH

NO_NUL = "^[^\\u0000]*$"  # PostgreSQL can neither store nor compare it
SOME_TEXT = "^[^\\u0000]*[^\\u0000\\s][^\\u0000]*$"  # and something besides spaces
Subject = Literal[SUBJECTS]
ReleaseStatus = Literal["pending", "delivered", "refused", "withdrawn"]


class ReleaseSeizure(SQLModel):
    commodity: str
    quantity: str
    unit: str
    kg: str = Field(description='kilogram equivalent; "" when the unit has none')
    concealment: str
    conveyance: str
    route: list[str] = Field(description="countries: origin, transit, destination (ISO 3166)")


class ReleaseExtract(SQLModel):
    """What the office receives, as written when the release was: codes and figures only."""

    date: str
    place_code: str
    place_name: str
    seizures: list[ReleaseSeizure]
    plates: list[str] = Field(description="only when the sender ticked them")


class ReleaseSummary(SQLModel):
    id: int
    status: ReleaseStatus
    from_agency: str
    to_agency: str
    created_at: datetime
    approved_at: datetime | None = None
    acknowledged_at: datetime | None = None
    closed_at: datetime | None = Field(default=None, description="when it was refused or withdrawn")
    operation_ref: str | None = Field(default=None, description="the source record; only for its own agency")


class ReleasePublic(ReleaseSummary):
    extract: ReleaseExtract
    summary: str = Field(description="the sender's words, persons masked")
    refusal_reason: str | None = Field(default=None, description="only for its own agency")


class ReleaseList(SQLModel):
    items: list[ReleaseSummary]


class HeadsUpPublic(SQLModel):
    id: int
    thread_id: int | None = Field(default=None, description="the first message's id; null on the first")
    from_agency: str
    to_agency: str
    subject: Subject
    plate: str
    place_code: str | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None
    text: str
    expires_at: datetime
    created_at: datetime
    acknowledged_at: datetime | None = None


class HeadsUpList(SQLModel):
    items: list[HeadsUpPublic]


# What a client sends: plain pydantic models (strict: "5" is no number), whose schema states the checks.
class HeadsUpWrite(BaseModel):
    """A new heads-up message to a counterpart of the caller's agency (the pages' rules: ops.liaison.headsups)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    to_agency: str = Check(min_length=1, max_length=32, pattern=NO_NUL, description="the counterpart's code")
    subject: Subject
    plate: str | None = Check(default=None, max_length=HEADSUP_PLATE_MAX_LENGTH, pattern=NO_NUL)
    place_code: str | None = Check(default=None, max_length=32, pattern=NO_NUL, description="a crossing point")
    window_start: AwareDatetime | None = None
    window_end: AwareDatetime | None = Check(default=None, description="not before window_start")
    text: str = Check(min_length=1, max_length=HEADSUP_TEXT_MAX_LENGTH, pattern=SOME_TEXT)
    valid_hours: int = Check(default=48, ge=1, le=HEADSUP_MAX_HOURS)


class HeadsUpReply(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: str = Check(min_length=1, max_length=HEADSUP_TEXT_MAX_LENGTH, pattern=SOME_TEXT)
