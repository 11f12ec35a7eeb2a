"""operations: sign-in attempts per account, counted in the database

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 00:40:00

The per-account limit on sign-in, two-factor and confirmation attempts counts
rows of `loginattempt`, so that it holds with any number of server processes
and without Redis (Flask-Limiter's memory storage counts per process). Only
existing accounts get rows: an unknown user name creates nothing.

It also repairs what 0004 left undone on a database that already held records:
0004 added the copies of the operation's columns to `seizure` and the search
index, but filled them only through triggers for rows written afterwards, so
seizures stored before it had no copies (invisible to every search, count and
export, which filter on them) and no index entry. tests/test_upgrades.py found
it by upgrading a database with data. The repair is idempotent and touches only
rows that lack their copies or their index entry.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


COPIED = [  # seizure column <- operation column, as in 0004
    ("owner_agency_id", "owner_agency_id"),
    ("op_status", "status"),
    ("op_visibility", "visibility"),
    ("op_team_id", "owner_team_id"),
    ("op_share_persons", "share_persons"),
    ("op_place", "place_name"),
    ("op_region", "region"),
]
SQLITE_INDEX_MISSING = (
    "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons FROM seizure_search_source "
    "WHERE seizure_id NOT IN (SELECT rowid FROM seizure_fts)"
)
PG_INDEX_MISSING = (
    "INSERT INTO seizure_search (seizure_id, body_tsv, full_tsv) "
    "SELECT seizure_id, body_tsv, body_tsv || search_words(persons) FROM "
    "(SELECT seizure_id, search_words(body) AS body_tsv, persons FROM seizure_search_source "
    "WHERE seizure_id NOT IN (SELECT seizure_id FROM seizure_search)) d"
)


def _repair_search_copies() -> None:
    targets = ", ".join(target for target, _source in COPIED)
    sources = ", ".join(source for _target, source in COPIED)
    op.execute(
        f"UPDATE seizure SET ({targets}) = (SELECT {sources} FROM operation WHERE operation.id = seizure.operation_id) "
        "WHERE op_status IS NULL"
    )
    op.execute(SQLITE_INDEX_MISSING if op.get_bind().dialect.name == "sqlite" else PG_INDEX_MISSING)


def upgrade() -> None:
    _repair_search_copies()
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
