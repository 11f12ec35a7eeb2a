"""retention of personal data: legal holds, the mark of removed identities, kept keyed hashes

Revision ID: 0013_retention
Revises: 0012_phone_search
Create Date: 2026-12-01 03:40:00

- `operation.legal_hold` (with its reason, time and the supervisor who set it):
  a held record keeps its persons' identities whatever the retention period.
- `operation.identities_removed_at`: when `ops retention apply` replaced the
  record's identities with the marker (shown on the record page).
- `personidentityhash`: keyed hashes (HMAC-SHA256 with SECRET_KEY) of a
  removed person's normalised name, document number and birth date, written
  only when OPS_RETENTION_KEEP_HASHES is on, so that correlations can still
  match a later record without the identity being readable.

Plain ADD/DROP COLUMN on `operation` (no batch copy: every seizure, person and
revision points at it).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013_retention"
down_revision = "0012_phone_search"
branch_labels = None
depends_on = None

WHEN = sqlmodel.sql.sqltypes.UTCDateTime
STR = sqlmodel.sql.sqltypes.AutoString
NEW_COLUMNS = ("legal_hold", "legal_hold_reason", "legal_hold_at", "legal_hold_by_id", "identities_removed_at")


def upgrade() -> None:
    op.add_column("operation", sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("operation", sa.Column("legal_hold_reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("operation", sa.Column("legal_hold_at", WHEN(), nullable=True))
    op.add_column("operation", sa.Column("legal_hold_by_id", sa.Integer(), nullable=True))
    op.add_column("operation", sa.Column("identities_removed_at", WHEN(), nullable=True))
    op.create_table(
        "personidentityhash",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", STR(length=16), nullable=False),
        sa.Column("hash", STR(length=64), nullable=False),
    )
    op.create_index("ix_personidentityhash_person_id", "personidentityhash", ["person_id"])
    op.create_index("ix_personidentityhash_hash", "personidentityhash", ["hash"])


def downgrade() -> None:
    op.drop_table("personidentityhash")
    for column in reversed(NEW_COLUMNS):
        op.drop_column("operation", column)
