"""operations: sign-in attempts per account, counted in the database

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 00:40:00

The per-account limit on sign-in, two-factor and confirmation attempts counts
rows of `loginattempt`, so that it holds with any number of server processes
and without Redis (Flask-Limiter's memory storage counts per process). Only
existing accounts get rows: an unknown user name creates nothing.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_loginattempt_user_at", "loginattempt", ["user_id", "attempted_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_loginattempt_user_at", table_name="loginattempt")
    op.drop_table("loginattempt")
