"""counterpart offices and releases to them

Revision ID: 0014_releases
Revises: 0013_retention
Create Date: 2026-12-01 04:45:00

- `counterpartlink`: a national agency and the foreign counterpart office across the border
  (a pair within one country is refused by the service that writes it, ops.liaison.services).
- `headsup`: short messages between counterpart offices (a reply is of its first message's thread).
- `release`: a non-nominal extract of an approved record for a counterpart office: who wrote it and
  when, the supervisor who approved it (and ticked an H2/H3 condition), when the office acknowledged it.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014_releases"
down_revision = "0013_retention"
branch_labels = None
depends_on = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
STR = sqlmodel.sql.sqltypes.AutoString


def _fk(table: str, **kwargs):
    return sa.ForeignKey(f"{table}.id", **kwargs)


def upgrade() -> None:
    op.create_table(
        "counterpartlink",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("agency_id", sa.Integer(), _fk("agency", ondelete="CASCADE"), nullable=False),
        sa.Column("partner_agency_id", sa.Integer(), _fk("agency", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), _fk("user"), nullable=True),
        sa.UniqueConstraint("agency_id", "partner_agency_id", name="uq_counterpart_pair"),
    )
    op.create_index("ix_counterpartlink_agency_id", "counterpartlink", ["agency_id"])
    op.create_index("ix_counterpartlink_partner_agency_id", "counterpartlink", ["partner_agency_id"])
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("operation_id", sa.Integer(), _fk("operation", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_agency_id", sa.Integer(), _fk("agency"), nullable=False),
        sa.Column("to_agency_id", sa.Integer(), _fk("agency"), nullable=False),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("extract", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("include_plate", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), _fk("user"), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), _fk("user"), nullable=True),
        sa.Column("approved_at", WHEN(), nullable=True),
        sa.Column("condition_met", sa.Boolean(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), _fk("user"), nullable=True),
        sa.Column("acknowledged_at", WHEN(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    for column in ("operation_id", "owner_agency_id", "to_agency_id", "status"):
        op.create_index(f"ix_release_{column}", "release", [column])
    _headsup_table()


def _headsup_table() -> None:
    op.create_table(
        "headsup",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("thread_id", sa.Integer(), _fk("headsup", ondelete="CASCADE"), nullable=True),
        sa.Column("from_agency_id", sa.Integer(), _fk("agency"), nullable=False),
        sa.Column("to_agency_id", sa.Integer(), _fk("agency"), nullable=False),
        sa.Column("subject", STR(length=16), nullable=False),
        sa.Column("plate", STR(length=32), nullable=False),
        sa.Column("place_code", STR(length=32), nullable=True),
        sa.Column("window_start", WHEN(), nullable=True),
        sa.Column("window_end", WHEN(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("expires_at", WHEN(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), _fk("user"), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), _fk("user"), nullable=True),
        sa.Column("acknowledged_at", WHEN(), nullable=True),
    )
    for column in ("thread_id", "from_agency_id", "to_agency_id"):
        op.create_index(f"ix_headsup_{column}", "headsup", [column])


def downgrade() -> None:
    op.drop_table("headsup")
    op.drop_table("release")
    op.drop_table("counterpartlink")
