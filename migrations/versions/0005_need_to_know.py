"""need to know: handling codes, grading, identities shared per reader agency

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:40:00

- operation: handling_code (H0..H3, default H0), handling_conditions (H3's text),
  grading ("" ungraded, else reliability letter + assessment digit, e.g. "B2").
- attachment: handling_code and grading of its own; NULL means "as the record".
- operationshare.persons: a `partners` record gives identities to this share-list
  agency. Existing records keep their meaning: where share_persons was on, every
  share-list agency gets identities. share_persons itself keeps meaning "identities to
  all readers" for `agency`/`all` records.
- operationidentitygrant: the named exceptions of an `agency`/`all` record that does not
  give identities to all readers (agencies that get them all the same).
- seizure.op_handling_code: one more copy of the operation on its seizures, so that
  exports filter H2 without a join; the copy triggers of 0004 are replaced by ones that
  copy it too, on SQLite and PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_COPIED = [
    ("owner_agency_id", "owner_agency_id"),
    ("op_status", "status"),
    ("op_visibility", "visibility"),
    ("op_team_id", "owner_team_id"),
    ("op_share_persons", "share_persons"),
    ("op_place", "place_name"),
    ("op_region", "region"),
]
NEW_COPIED = [*OLD_COPIED, ("op_handling_code", "handling_code")]
OPERATION_TEXT_COLUMNS = ["ref", "title", "narrative", "place_name", "region"]


def _cols(prefix: str, names) -> str:
    return ", ".join(f"{prefix}{name}" for name in names)


def _changed(columns) -> str:
    return f"({_cols('n.', columns)}) IS DISTINCT FROM ({_cols('o.', columns)})"


def _sqlite_copy_triggers(copied) -> list[str]:
    """0004's three copy triggers, for the given column list (same names, same logic)."""
    targets, sources = [t for t, _s in copied], [s for _t, s in copied]
    copy = (
        f"UPDATE seizure SET ({_cols('', targets)}) = (SELECT {_cols('', sources)} "
        f"FROM operation WHERE operation.id = seizure.operation_id) WHERE id = NEW.id;"
    )
    return [
        f"CREATE TRIGGER search_seizure_ai AFTER INSERT ON seizure BEGIN {copy} END",
        f"CREATE TRIGGER search_seizure_copy_au AFTER UPDATE OF operation_id, {_cols('', targets)} ON seizure "
        f"WHEN ({_cols('NEW.', targets)}) IS NOT (SELECT {_cols('', sources)} FROM operation "
        f"WHERE operation.id = NEW.operation_id) BEGIN {copy} END",
        f"CREATE TRIGGER search_operation_copy_au AFTER UPDATE OF {_cols('', sources)} ON operation "
        f"WHEN ({_cols('OLD.', sources)}) IS NOT ({_cols('NEW.', sources)}) "
        f"BEGIN UPDATE seizure SET ({_cols('', targets)}) = ({_cols('NEW.', sources)}) "
        f"WHERE operation_id = NEW.id; END",
    ]


SQLITE_COPY_TRIGGERS = ["search_seizure_ai", "search_seizure_copy_au", "search_operation_copy_au"]


def _pg_copy_functions(copied) -> list[str]:
    """0004's two copy functions, replaced in place (the triggers that call them stay)."""
    targets, sources = [t for t, _s in copied], [s for _t, s in copied]
    copy = (
        f"SELECT {_cols('o.', sources)} INTO {_cols('NEW.', targets)} "
        f"FROM operation o WHERE o.id = NEW.operation_id; RETURN NEW;"
    )
    copy_to_seizures = (
        f"UPDATE seizure s SET ({_cols('', targets)}) = ({_cols('n.', sources)}) "
        f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE s.operation_id = n.id "
        f"AND {_changed(sources)};"
    )
    reindex = (
        "PERFORM search_index_operations(ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        f"WHERE {_changed(OPERATION_TEXT_COLUMNS)}));"
    )
    return [
        f"CREATE OR REPLACE FUNCTION search_seizure_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {copy} END $$",
        "CREATE OR REPLACE FUNCTION search_operation_au() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{copy_to_seizures} {reindex} RETURN NULL; END $$",
    ]


def _replace_copy_triggers(copied) -> None:
    if op.get_bind().dialect.name == "postgresql":
        statements = _pg_copy_functions(copied)
    else:
        statements = [f"DROP TRIGGER {name}" for name in SQLITE_COPY_TRIGGERS] + _sqlite_copy_triggers(copied)
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.add_column("operation", sa.Column("handling_code", sa.String(2), nullable=False, server_default="H0"))
    op.add_column("operation", sa.Column("handling_conditions", sa.Text(), nullable=False, server_default=""))
    op.add_column("operation", sa.Column("grading", sa.String(2), nullable=False, server_default=""))
    op.add_column("attachment", sa.Column("handling_code", sa.String(2), nullable=True))
    op.add_column("attachment", sa.Column("grading", sa.String(2), nullable=True))
    op.add_column("operationshare", sa.Column("persons", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "operationidentitygrant",
        sa.Column("operation_id", sa.Integer(), sa.ForeignKey("operation.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agency.id"), primary_key=True),
    )
    op.create_index("ix_operationidentitygrant_agency_id", "operationidentitygrant", ["agency_id"])
    # every operation is H0 now, so the copy starts as H0 too; the triggers keep it so from here
    op.add_column("seizure", sa.Column("op_handling_code", sa.String(2), nullable=True, server_default="H0"))
    _replace_copy_triggers(NEW_COPIED)
    # existing records keep their meaning: identities shared -> shared with every share-list agency
    op.execute(
        "UPDATE operationshare SET persons = TRUE WHERE operation_id IN "
        "(SELECT id FROM operation WHERE share_persons = TRUE)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_COPY_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        _replace_copy_triggers(OLD_COPIED)
    op.execute("ALTER TABLE seizure DROP COLUMN op_handling_code")
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_copy_triggers(OLD_COPIED):
            op.execute(statement)
    op.drop_index("ix_operationidentitygrant_agency_id", table_name="operationidentitygrant")
    op.drop_table("operationidentitygrant")
    for table, column in (
        ("operationshare", "persons"),
        ("attachment", "grading"),
        ("attachment", "handling_code"),
        ("operation", "grading"),
        ("operation", "handling_conditions"),
        ("operation", "handling_code"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
