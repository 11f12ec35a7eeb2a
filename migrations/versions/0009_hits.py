"""hit/no-hit: persons' phone numbers, the index of normalised identifiers, silent records, "may see hits"
lists, and the inbox

Revision ID: 0009_hits
Revises: 0008
Create Date: 2026-12-01 03:40:00

- person.phones: E.164 numbers separated by spaces (ops.phones).
- identifierkey: one row per normalised plate, document number, phone number and
  name key of each record (ops.identifier_index), with an index on (kind, value):
  hits come from it, never from scanning records. Existing records are indexed here.
- operation.silent: the record gives no hit to other agencies.
- operationhitagency: the agencies that get hits of an H2/H3 record.
- inboxitem: one user's inbox (ops.inbox).
- watch: the identifiers users watch (ops.watch).
- accessrequest, accessgrant: requests from a hit and the per-record, per-agency read grants
  that answer them (checked in ops.policy's visibility SQL).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from ops import identifier_index

revision = "0009_hits"
down_revision = "0008"
branch_labels = None
depends_on = None

STR = sqlmodel.sql.sqltypes.AutoString
WHEN = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    # plain ADD COLUMN: a batch copy of person/operation would fail on SQLite with rows pointing at them
    op.add_column("person", sa.Column("phones", STR(length=100), nullable=False, server_default=""))
    op.add_column("operation", sa.Column("silent", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "identifierkey",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column(
            "operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", STR(length=12), nullable=False),
        sa.Column("value", STR(length=64), nullable=False),
    )
    op.create_index("ix_identifierkey_lookup", "identifierkey", ["kind", "value"])
    op.create_table(
        "operationhitagency",
        sa.Column("operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), primary_key=True, index=True),
    )
    op.create_table(
        "inboxitem",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", STR(length=32), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("link", STR(length=200), nullable=False),
        sa.Column("operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("read_at", WHEN(), nullable=True),
    )
    op.create_index("ix_inboxitem_user_read", "inboxitem", ["user_id", "read_at"])
    _access_tables()
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", STR(length=12), nullable=False),
        sa.Column("value", STR(length=160), nullable=False),
        sa.Column("typed", STR(length=160), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.UniqueConstraint("user_id", "kind", "value", name="uq_watch_user_value"),
    )
    _index_existing_records()


def _access_tables() -> None:
    op.create_table(
        "accessrequest",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column(
            "operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("owner_agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("requester_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("requester_agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False, index=True),
        sa.Column("match_kind", STR(length=12), nullable=False),
        sa.Column("purpose", STR(length=300), nullable=False),
        sa.Column("case_number", STR(length=64), nullable=False),
        sa.Column("status", STR(length=16), nullable=False),
        sa.Column("due_at", WHEN(), nullable=False),
        sa.Column("created_at", WHEN(), nullable=False),
        sa.Column("answered_at", WHEN(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("answer_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_accessrequest_owner_status", "accessrequest", ["owner_agency_id", "status"])
    op.create_table(
        "accessgrant",
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("persons", sa.Boolean(), nullable=False),
        sa.Column("until", WHEN(), nullable=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("accessrequest.id", ondelete="SET NULL"), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("created_at", WHEN(), nullable=False),
    )
    op.create_index("ix_accessgrant_record_agency", "accessgrant", ["operation_id", "agency_id"])


def _index_existing_records() -> None:
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM operation ORDER BY id"))]
    identifier_index.reindex(connection, ids)


def downgrade() -> None:
    op.drop_table("watch")
    op.drop_index("ix_accessgrant_record_agency", table_name="accessgrant")
    op.drop_table("accessgrant")
    op.drop_index("ix_accessrequest_owner_status", table_name="accessrequest")
    op.drop_table("accessrequest")
    op.drop_index("ix_inboxitem_user_read", table_name="inboxitem")
    op.drop_table("inboxitem")
    op.drop_table("operationhitagency")
    op.drop_index("ix_identifierkey_lookup", table_name="identifierkey")
    op.drop_table("identifierkey")
    op.drop_column("operation", "silent")
    op.drop_column("person", "phones")
