"""a pending release refused by a supervisor or withdrawn

Revision ID: 0016_release_answers
Revises: 0015_plans
Create Date: 2026-12-01 07:20:00

- `release.closed_by_id`, `closed_at`, `closed_reason`: who refused (with the reason, masked) or withdrew
  a pending release, and when; `status` takes the values `refused` and `withdrawn` besides `pending` and
  `delivered`. A closed release never reaches the counterpart office.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016_release_answers"
down_revision = "0015_plans"
branch_labels = None
depends_on = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", WHEN(), nullable=True))
        batch_op.add_column(sa.Column("closed_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key("fk_release_closed_by_id_user", "user", ["closed_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_constraint("fk_release_closed_by_id_user", type_="foreignkey")
        batch_op.drop_column("closed_reason")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("closed_by_id")
