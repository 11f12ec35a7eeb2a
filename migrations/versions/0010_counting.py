"""seizure events: "same seizure" links between reports, and the column that counts an event once

Revision ID: 0010_counting
Revises: 0008
Create Date: 2026-12-01 03:40:00

- `seizurelink`: a pair of seizures that may be (candidate, proposed) or are (confirmed) one
  seizure event, or were judged different, or were unlinked again.
- `seizure.event_primary_id`: on a confirmed link's non-primary report, its primary's id. Totals
  skip a report whose primary the reader may see too (policy.counted_seizures). A plain ADD
  COLUMN without a foreign key: SQLite adds none to a table with rows and foreign keys on
  without a batch copy, and a batch copy of `seizure` fails on the rows that point at it.
- `seizure.size_bucket`: the seizure's size (kg-equivalent, else quantity) on a logarithmic scale of
  ratio 1.25 (ops.models.size_bucket), computed here for existing rows in Python, so that both
  databases hold the same values; `ix_seizure_duplicates` (commodity, size_bucket, occurred_at): duplicate
  candidates are one index seek per neighbouring bucket and a time range.
"""

import math

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_counting"
down_revision = "0009_hits"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.add_column("seizure", sa.Column("event_primary_id", sa.Integer(), nullable=True))
    op.create_index("ix_seizure_event_primary_id", "seizure", ["event_primary_id"])
    op.add_column("seizure", sa.Column("size_bucket", sa.Integer(), nullable=True))
    _fill_size_buckets()
    op.create_index("ix_seizure_duplicates", "seizure", ["commodity", "size_bucket", "occurred_at"])
    op.create_table(
        "seizurelink",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("seizure_id", sa.Integer(), sa.ForeignKey("seizure.id", ondelete="CASCADE"), nullable=False),
        sa.Column("other_id", sa.Integer(), sa.ForeignKey("seizure.id", ondelete="CASCADE"), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("other_agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("found_at", STR(length=16), nullable=False),
        sa.Column("matched", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("proposed_agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=True),
        sa.Column("proposed_at", WHEN(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("decided_at", WHEN(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("updated_at", WHEN(), nullable=False),
        sa.UniqueConstraint("seizure_id", "other_id", name="uq_seizurelink_pair"),
    )
    for column in ("seizure_id", "other_id", "agency_id", "other_agency_id", "status"):
        op.create_index(f"ix_seizurelink_{column}", "seizurelink", [column])


def size_bucket(kg_equivalent, quantity):
    """ops.models.size_bucket as of this revision (kept here so that the migration never changes)."""
    size = kg_equivalent if kg_equivalent is not None else quantity
    if size is None or size <= 0:
        return None
    return math.floor(math.log(float(size)) / math.log(1.25))


def _fill_size_buckets() -> None:
    connection = op.get_bind()
    seizure = sa.table(
        "seizure", sa.column("id"), sa.column("kg_equivalent"), sa.column("quantity"), sa.column("size_bucket")
    )
    rows = connection.execute(sa.select(seizure.c.id, seizure.c.kg_equivalent, seizure.c.quantity)).all()
    values = [{"key": i, "bucket": size_bucket(kg, quantity)} for i, kg, quantity in rows]
    values = [v for v in values if v["bucket"] is not None]
    update = seizure.update().where(seizure.c.id == sa.bindparam("key")).values(size_bucket=sa.bindparam("bucket"))
    for start in range(0, len(values), 5000):
        connection.execute(update, values[start : start + 5000])


def downgrade() -> None:
    op.drop_table("seizurelink")
    op.drop_index("ix_seizure_duplicates", table_name="seizure")
    op.drop_column("seizure", "size_bucket")
    op.drop_index("ix_seizure_event_primary_id", table_name="seizure")
    op.drop_column("seizure", "event_primary_id")
