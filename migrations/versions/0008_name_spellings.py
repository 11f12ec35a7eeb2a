"""persons' name spellings in both alphabets, in the search index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:40:00

`person.name_spellings` holds the usual Latin and Cyrillic spellings of each
part of the person's name (ops.names.name_spellings; written by every writer
of persons, from Python, so that SQLite and PostgreSQL index the very same
words). The search document's `persons` part takes them in, so that:

- a reader who may see the persons finds "Rahimov" by typing "Рахимов";
- the body, from which the persons' words are taken out (search_redact, the
  same rule on both databases since 0004), loses the name in every spelling,
  so a withheld name cannot find a record in either alphabet.

Existing persons get their spellings here, and both indexes are rebuilt.
"""

import sqlalchemy as sa
from alembic import op

from ops import normalize

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ROUTE_WORDS = (
    "CASE WHEN s.origin_country IS NOT NULL THEN ' cty' || s.origin_country ELSE '' END || "
    "CASE WHEN s.transit_countries <> '' THEN ' cty' || replace(trim(s.transit_countries), ' ', ' cty') ELSE '' END || "
    "CASE WHEN s.destination_country IS NOT NULL THEN ' cty' || s.destination_country ELSE '' END"
)


def _source_view(aggregate: str, spellings: bool) -> str:
    """Migration 0004's view; with `spellings`, the persons' part also holds the names' spellings."""
    extra = " || ' ' || p.name_spellings" if spellings else ""
    plates = (
        f"(SELECT {aggregate}(v.plate || ' ' || v.plate_norm, ' ') FROM vehicle v "
        "WHERE v.operation_id = s.operation_id)"
    )
    persons = (
        f"(SELECT {aggregate}(p.full_name || ' ' || coalesce(p.document_number, '') || ' ' || "
        f"coalesce(p.document_norm, ''){extra}, ' ') FROM person p WHERE p.operation_id = s.operation_id)"
    )
    return f"""CREATE VIEW seizure_search_source AS
SELECT seizure_id, operation_id, search_redact(raw_body, persons) AS body, persons FROM (
SELECT s.id AS seizure_id, s.operation_id AS operation_id,
  o.ref || ' ' || o.title || ' ' || o.place_name || ' ' || o.region || ' ' || o.narrative || ' ' ||
  s.category || ' ' || s.commodity || ' ' || s.concealment || ' ' || s.concealment_detail || ' ' ||
  s.conveyance || ' ' || s.detection || {_ROUTE_WORDS} || ' ' || coalesce({plates}, '') AS raw_body,
  coalesce({persons}, '') AS persons
FROM seizure s JOIN operation o ON o.id = s.operation_id) AS d"""


def _person_words(spellings: bool) -> list[str]:
    """SQLite's person_fts (migration 0004) with or without the spellings; must hold every persons' word."""
    extra = " || ' ' || NEW.name_spellings" if spellings else ""
    words = (
        f"NEW.full_name || ' ' || coalesce(NEW.document_number, '') || ' ' || coalesce(NEW.document_norm, ''){extra}"
    )
    columns = "full_name, document_number, document_norm" + (", name_spellings" if spellings else "")
    rows = extra.replace("NEW.", "")
    return [
        "DROP TRIGGER search_person_words_ai",
        "DROP TRIGGER search_person_words_au",
        f"CREATE TRIGGER search_person_words_ai AFTER INSERT ON person BEGIN "
        f"INSERT INTO person_fts (rowid, words) VALUES (NEW.id, {words}); END",
        f"CREATE TRIGGER search_person_words_au AFTER UPDATE OF {columns} ON person "
        f"BEGIN DELETE FROM person_fts WHERE rowid = OLD.id; INSERT INTO person_fts (rowid, words) "
        f"VALUES (NEW.id, {words}); END",
        "DELETE FROM person_fts",
        "INSERT INTO person_fts (rowid, words) SELECT id, full_name || ' ' || coalesce(document_number, '') || ' ' || "
        f"coalesce(document_norm, ''){rows} FROM person",
    ]


def _rebuild(dialect: str, spellings: bool) -> None:
    if dialect == "postgresql":
        op.execute("DROP VIEW seizure_search_source")
        op.execute(_source_view("string_agg", spellings))
        op.execute("SELECT search_upsert_operations(ARRAY(SELECT id FROM operation))")
        return
    op.execute("DROP VIEW seizure_search_source")
    op.execute(_source_view("group_concat", spellings))
    for statement in _person_words(spellings):
        op.execute(statement)
    op.execute("DELETE FROM seizure_fts")
    op.execute(
        "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons FROM seizure_search_source"
    )


def upgrade() -> None:
    # plain ALTER TABLE on both databases: a batch copy of the table would drop its triggers on SQLite
    op.add_column("person", sa.Column("name_spellings", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    person = sa.table("person", sa.column("id"), sa.column("full_name"), sa.column("name_spellings"))
    rows = connection.execute(sa.select(person.c.id, person.c.full_name)).all()
    for start in range(0, len(rows), 1000):
        connection.execute(
            person.update().where(person.c.id == sa.bindparam("pid")).values(name_spellings=sa.bindparam("spelled")),
            [{"pid": pid, "spelled": normalize.spellings(name)} for pid, name in rows[start : start + 1000]],
        )
    _rebuild(connection.dialect.name, spellings=True)


def downgrade() -> None:
    _rebuild(op.get_bind().dialect.name, spellings=False)
    op.execute("ALTER TABLE person DROP COLUMN name_spellings")
