"""The register of crossing points and places (kept by system administrators).

Kept beside ops.models (same floor, importing only from it). Records keep a place by its
code (operation.place_code, equipment's place_code), so a code never changes and a place
that closes is retired (is_active false), never deleted. Kinds come from ops.place_seed.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from ops.models import Versioned, utcnow


class PlaceBase(SQLModel):
    name_uz: str = Field(max_length=160)
    name_ru: str = Field(max_length=160)
    # the English name is the one records store in place_name, imports and searches match
    name_en: str = Field(max_length=160, unique=True)
    kind: str = Field(max_length=24)
    region: str = Field(max_length=80)
    lat: float
    lon: float
    country: str = Field(max_length=2, default="UZ")  # the place's own country
    # a crossing point's counterpart across the border, entered by the administrator
    counterpart_name: str = Field(default="", max_length=160)
    counterpart_country: str | None = Field(default=None, max_length=2)
    counterpart_lat: float | None = None
    counterpart_lon: float | None = None
    is_active: bool = True


class Place(PlaceBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlaceTeam(SQLModel, table=True):
    """The team based at a place (a team is based at one place at most)."""

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    place_id: int = Field(foreign_key="place.id", index=True, ondelete="CASCADE")
