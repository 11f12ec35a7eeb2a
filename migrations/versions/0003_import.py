"""import batches: state, progress and the dry-run report

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 20:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

COUNTERS = (
    "rows_done",
    "bad_rows",
    "error_count",
    "rows_skipped",
    "operations_extended",
    "persons_created",
    "vehicles_created",
)


def upgrade() -> None:
    with op.batch_alter_table("importbatch", schema=None) as batch_op:
        # batches recorded before this revision were finished imports
        batch_op.add_column(
            sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="done")
        )
        batch_op.add_column(sa.Column("dry_run", sa.Boolean(), nullable=False, server_default=sa.false()))
        for name in COUNTERS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("message", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("report", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_importbatch_agency_id"), ["agency_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("importbatch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_importbatch_agency_id"))
        for name in ("finished_at", "updated_at", "report", "message", *reversed(COUNTERS), "dry_run", "status"):
            batch_op.drop_column(name)
