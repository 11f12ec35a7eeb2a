"""planned operations for deconfliction: plans, their targets' keys, the conflict log

Revision ID: 0015_plans
Revises: 0013_retention
Create Date: 2026-12-01 04:45:00

- `plan`: a planned operation of one agency's team (kind, time window, a point with a
  radius, a duty contact, status active/cancelled/expired, version for concurrent edits).
  Indexed on (status, starts_at, ends_at) and (lat, lon) for the conflict check.
- `plantarget`: the plan's targets as normal keys, indexed on (kind, value).
- `planconflict`: conflicts found, kept until both sides mark them resolved.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015_plans"
down_revision = "0014_releases"
branch_labels = None
depends_on = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("owner_team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("kind", STR(length=24), nullable=False),
        sa.Column("starts_at", WHEN(), nullable=False),
        sa.Column("ends_at", WHEN(), nullable=False),
        sa.Column("place_code", STR(length=32), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.Column("duty_contact", STR(length=120), nullable=False),
        sa.Column("status", STR(length=12), nullable=False),
        sa.Column("closed_at", WHEN(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("updated_at", WHEN(), nullable=False),
    )
    op.create_index("ix_plan_owner_agency_id", "plan", ["owner_agency_id"])
    op.create_index("ix_plan_owner_team_id", "plan", ["owner_team_id"])
    op.create_index("ix_plan_window", "plan", ["status", "starts_at", "ends_at"])
    op.create_index("ix_plan_latlon", "plan", ["lat", "lon"])
    op.create_table(
        "plantarget",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", STR(length=12), nullable=False),
        sa.Column("value", STR(length=160), nullable=False),
        sa.Column("typed", STR(length=160), nullable=False),
    )
    op.create_index("ix_plantarget_plan_id", "plantarget", ["plan_id"])
    op.create_index("ix_plantarget_key", "plantarget", ["kind", "value"])
    op.create_table(
        "planconflict",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("plan_a_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("plan_b_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("agency_a_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("agency_b_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("on_place", sa.Boolean(), nullable=False),
        sa.Column("on_target", sa.Boolean(), nullable=False),
        sa.Column("detected_at", WHEN(), nullable=False),
        sa.Column("resolved_a_at", WHEN(), nullable=True),
        sa.Column("resolved_b_at", WHEN(), nullable=True),
        sa.UniqueConstraint("plan_a_id", "plan_b_id", name="uq_planconflict_pair"),
    )
    for column in ("plan_a_id", "plan_b_id", "agency_a_id", "agency_b_id"):
        op.create_index(f"ix_planconflict_{column}", "planconflict", [column])


def downgrade() -> None:
    op.drop_table("planconflict")
    op.drop_table("plantarget")
    op.drop_table("plan")
