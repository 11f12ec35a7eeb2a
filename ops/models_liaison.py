"""Counterpart offices and what national agencies release to them (ops.liaison).

Kept beside ops.models (same floor, importing only from it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from ops.models import utcnow

RELEASE_SUMMARY_MAX_LENGTH = 1000  # one limit for the form and the service
RELEASE_REASON_MAX_LENGTH = 1000  # why a supervisor refused a release


class CounterpartLink(SQLModel, table=True):
    """A national agency and the foreign office that is its counterpart across the border (set by a
    system administrator); what one releases to the other, and the messages between them, go along it."""

    __table_args__ = (UniqueConstraint("agency_id", "partner_agency_id", name="uq_counterpart_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="CASCADE")  # the national agency
    partner_agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="CASCADE")  # the foreign office
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")


class Release(SQLModel, table=True):
    """A non-nominal extract of an approved record, sent to a counterpart office once a supervisor of the
    owning agency approved it. `extract` (JSON) holds codes and figures only, frozen when the sender
    wrote it; labels are put in the receiving office's language when shown."""

    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, ondelete="CASCADE")
    owner_agency_id: int = Field(foreign_key="agency.id", index=True)  # the record's owner, who releases
    to_agency_id: int = Field(foreign_key="agency.id", index=True)
    status: str = Field(default="pending", max_length=16, index=True)  # pending, delivered, refused, withdrawn
    extract: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # masked when written
    include_plate: bool = False
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    approved_by_id: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = None
    condition_met: bool = False  # H2/H3: the approving supervisor ticked that the owner's condition is met
    acknowledged_by_id: int | None = Field(default=None, foreign_key="user.id")
    acknowledged_at: datetime | None = None
    # a pending release closed without being sent: refused by a supervisor (with a reason) or withdrawn
    closed_by_id: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = None
    closed_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # masked when written
    version: int = Field(default=1)

    @declared_attr
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


HEADSUP_TEXT_MAX_LENGTH = 1000
HEADSUP_PLATE_MAX_LENGTH = 32
HEADSUP_MAX_HOURS = 168  # a heads-up is short-lived: a week at most


class HeadsUp(SQLModel, table=True):
    """A short message between counterpart offices about an expected consignment, vehicle or person.

    A reply is a HeadsUp of the same thread (`thread_id` is the first message's id; None on the first),
    from the other side. Both sides read the whole thread; the addressed side acknowledges each message.
    """

    __tablename__ = "headsup"
    id: int | None = Field(default=None, primary_key=True)
    thread_id: int | None = Field(default=None, foreign_key="headsup.id", index=True, ondelete="CASCADE")
    from_agency_id: int = Field(foreign_key="agency.id", index=True)
    to_agency_id: int = Field(foreign_key="agency.id", index=True)
    subject: str = Field(default="consignment", max_length=16)  # consignment, vehicle, person
    plate: str = Field(default="", max_length=HEADSUP_PLATE_MAX_LENGTH)
    place_code: str | None = Field(default=None, max_length=32)  # the crossing point
    window_start: datetime | None = None
    window_end: datetime | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    expires_at: datetime
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    acknowledged_by_id: int | None = Field(default=None, foreign_key="user.id")
    acknowledged_at: datetime | None = None
