"""equipment register: donors, projects, handover batches, items, their history, equipment used in operations

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:30:00

Also: the agency flag `is_programme` (a programme organisation, not a
law-enforcement agency) and a wider user.role (room for `programme_officer`;
SQLite does not enforce VARCHAR lengths, so only PostgreSQL is altered).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime


def _id():
    return sa.Column("id", sa.Integer(), primary_key=True, nullable=False)


def _created():
    return sa.Column("created_at", WHEN(), nullable=False)


def upgrade() -> None:
    # a plain ADD COLUMN on both databases: a batch copy of `agency` would drop the table that every user,
    # team and record points at, which SQLite refuses with its foreign keys on once there are rows
    op.add_column("agency", sa.Column("is_programme", sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("user", "role", type_=STR(length=24), existing_type=STR(length=16), existing_nullable=False)
    op.create_table("donor", _id(), sa.Column("name", STR(length=120), nullable=False, unique=True), _created())
    op.create_table(
        "project",
        _id(),
        sa.Column("code", STR(length=32), nullable=False),
        sa.Column("name", STR(length=160), nullable=False),
        sa.Column("donor_id", sa.Integer(), sa.ForeignKey("donor.id"), nullable=False, index=True),
        sa.Column("component", STR(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        _created(),
    )
    op.create_index("ix_project_code", "project", ["code"], unique=True)
    op.create_table(
        "handoverbatch",
        _id(),
        sa.Column("reference", STR(length=64), nullable=False, unique=True),
        sa.Column("handed_over_on", sa.Date(), nullable=False, index=True),
        sa.Column("donor_id", sa.Integer(), sa.ForeignKey("donor.id"), nullable=False, index=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False, index=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False, index=True),
        sa.Column("note_filename", STR(length=200), nullable=False),
        sa.Column("note_content_type", STR(length=64), nullable=False),
        sa.Column("note_size", sa.Integer(), nullable=False),
        sa.Column("note_sha256", STR(length=64), nullable=False, index=True),
        sa.Column("note_storage_key", STR(length=128), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        _created(),
    )
    _item_tables()


def _item_tables() -> None:
    op.create_table(
        "equipmentitem",
        _id(),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("handoverbatch.id"), nullable=False, index=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False, index=True),
        sa.Column("kind", STR(length=32), nullable=False, index=True),
        sa.Column("make", STR(length=80), nullable=False),
        sa.Column("model", STR(length=80), nullable=False),
        sa.Column("serial", STR(length=64), nullable=False),
        sa.Column("inventory_number", STR(length=64), nullable=False),
        sa.Column("value", sa.Numeric(14, 2), nullable=True),
        sa.Column("currency", STR(length=3), nullable=False),
        sa.Column("status", STR(length=16), nullable=False, index=True),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=True, index=True),
        sa.Column("place_code", STR(length=32), nullable=True),
        _created(),
        sa.UniqueConstraint("kind", "serial", name="uq_equipment_kind_serial"),
    )
    op.create_index("ix_equipmentitem_inventory_number", "equipmentitem", ["inventory_number"], unique=True)
    op.create_table(
        "equipmentstatuschange",
        _id(),
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("equipmentitem.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        _created(),
    )
    op.create_table(
        "equipmentassignment",
        _id(),
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("equipmentitem.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=True),
        sa.Column("place_code", STR(length=32), nullable=True),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        _created(),
    )
    op.create_table(
        "operationequipment",
        sa.Column("operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("equipmentitem.id"), primary_key=True, index=True),
    )


def downgrade() -> None:
    for table in (
        "operationequipment",
        "equipmentassignment",
        "equipmentstatuschange",
        "equipmentitem",
        "handoverbatch",
        "project",
        "donor",
    ):
        op.drop_table(table)
    # a plain DROP COLUMN (SQLite 3.35+ has it): a batch copy of `agency` would have to drop the table that
    # every user, team and record points at, which SQLite refuses with its foreign keys on
    op.drop_column("agency", "is_programme")
