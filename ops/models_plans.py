"""Planned operations entered for deconfliction (ops.plans), their targets and the conflicts found.

Kept beside ops.models (same floor, importing only from it). A plan is seen only by its own
agency's team and supervisors (ops.policy.visible_plans). Its targets are stored as normal
keys (ops.watch.services.normal: the identifier's normal form, E.164, or a name's sorted
keys), so that a shared target is an indexed equality. The place is a point with a radius:
a crossing point of the register counts as 1 km.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ops.models import Versioned, utcnow


class Plan(Versioned, table=True):
    __table_args__ = (
        Index("ix_plan_window", "status", "starts_at", "ends_at"),
        Index("ix_plan_latlon", "lat", "lon"),
    )
    id: int | None = Field(default=None, primary_key=True)
    owner_agency_id: int = Field(foreign_key="agency.id", index=True)
    owner_team_id: int = Field(foreign_key="team.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(max_length=24)  # vocab.PLAN_KINDS
    starts_at: datetime
    ends_at: datetime
    place_code: str | None = Field(default=None, max_length=32)
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    duty_contact: str = Field(max_length=120)
    status: str = Field(default="active", max_length=12)  # vocab.PLAN_STATUSES
    closed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanTarget(SQLModel, table=True):
    __table_args__ = (Index("ix_plantarget_key", "kind", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=12)  # plate, document, phone, name
    value: str = Field(max_length=160)  # the normal key
    typed: str = Field(max_length=160)  # as the planner wrote it, for their own page


class PlanConflict(SQLModel, table=True):
    """Two plans that overlap in time and in place or target; logged until both sides mark it resolved.

    plan_a is the plan whose save found the conflict, plan_b the one already there.
    """

    __table_args__ = (UniqueConstraint("plan_a_id", "plan_b_id", name="uq_planconflict_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_a_id: int = Field(foreign_key="plan.id", index=True)
    plan_b_id: int = Field(foreign_key="plan.id", index=True)
    agency_a_id: int = Field(foreign_key="agency.id", index=True)
    agency_b_id: int = Field(foreign_key="agency.id", index=True)
    on_place: bool = False
    on_target: bool = False
    detected_at: datetime = Field(default_factory=utcnow)
    resolved_a_at: datetime | None = None
    resolved_b_at: datetime | None = None
