"""search: access columns copied onto seizures, full-text index, covering indexes

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 20:10:00

Seizure gets copies of the operation's access and place columns (op_status,
op_visibility, op_team_id, op_share_persons, op_place, op_region; and
owner_agency_id is enforced) so that searches, facets and dashboards filter
and group seizures without a join, from covering indexes. The database keeps
the copies in step with triggers, so no writer (forms, importer, API) has to
know they exist.

The full-text document of a seizure is defined once, by the view
`seizure_search_source` (body: the operation's words and the seizure's codes
and plates; persons: names and document numbers, kept apart so that they are
searched only where the user may see persons). SQLite indexes it with FTS5
(`seizure_fts`), PostgreSQL with tsvector columns and GIN indexes
(`seizure_search`); triggers on seizure, operation, person and vehicle keep
either index in step.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COPIED = [  # seizure column <- operation column
    ("owner_agency_id", "owner_agency_id"),
    ("op_status", "status"),
    ("op_visibility", "visibility"),
    ("op_team_id", "owner_team_id"),
    ("op_share_persons", "share_persons"),
    ("op_place", "place_name"),
    ("op_region", "region"),
]
SEIZURE_TEXT_COLUMNS = [
    "operation_id",
    "category",
    "commodity",
    "concealment",
    "concealment_detail",
    "conveyance",
    "detection",
    "origin_country",
    "transit_countries",
    "destination_country",
]
OPERATION_TEXT_COLUMNS = ["ref", "title", "narrative", "place_name", "region"]
PERSON_TEXT_COLUMNS = ["operation_id", "full_name", "document_number", "document_norm"]
VEHICLE_TEXT_COLUMNS = ["operation_id", "plate", "plate_norm"]

# Country codes become one word each ("ctyaf"), so that two-letter codes never
# collide with English words ("in", "at") and the query side can map
# "Afghanistan" or "Афганистан" to them.
_ROUTE_WORDS = (
    "CASE WHEN s.origin_country IS NOT NULL THEN ' cty' || s.origin_country ELSE '' END || "
    "CASE WHEN s.transit_countries <> '' THEN ' cty' || replace(trim(s.transit_countries), ' ', ' cty') ELSE '' END || "
    "CASE WHEN s.destination_country IS NOT NULL THEN ' cty' || s.destination_country ELSE '' END"
)


def _source_view(aggregate: str) -> str:
    """The one definition of what is searchable about a seizure.

    `persons` holds the names and document numbers of the operation's persons;
    `body` everything else, with those same words taken out of the free text
    (search_redact), since narratives name people and the persons' identities
    may be withheld from the reader.
    """
    plates = f"(SELECT {aggregate}(v.plate || ' ' || v.plate_norm, ' ') FROM vehicle v WHERE v.operation_id = s.operation_id)"
    persons = (
        f"(SELECT {aggregate}(p.full_name || ' ' || coalesce(p.document_number, '') || ' ' || "
        f"coalesce(p.document_norm, ''), ' ') FROM person p WHERE p.operation_id = s.operation_id)"
    )
    return f"""CREATE VIEW seizure_search_source AS
SELECT seizure_id, operation_id, search_redact(raw_body, persons) AS body, persons FROM (
SELECT s.id AS seizure_id, s.operation_id AS operation_id,
  o.ref || ' ' || o.title || ' ' || o.place_name || ' ' || o.region || ' ' || o.narrative || ' ' ||
  s.category || ' ' || s.commodity || ' ' || s.concealment || ' ' || s.concealment_detail || ' ' ||
  s.conveyance || ' ' || s.detection || {_ROUTE_WORDS} || ' ' || coalesce({plates}, '') AS raw_body,
  coalesce({persons}, '') AS persons
FROM seizure s JOIN operation o ON o.id = s.operation_id) AS d"""


def _covering_indexes(dialect: str) -> None:
    """Searches, facets and dashboards read these without touching the table (see README, Search)."""
    access = ["owner_agency_id", "op_status", "op_visibility", "op_team_id", "operation_id"]
    facets = ["commodity", "op_place", "conveyance", "kg_equivalent"]
    by_commodity = (["commodity", "occurred_at"], [c for c in access + facets if c != "commodity"])
    by_agency = (
        ["owner_agency_id", "occurred_at"],
        [c for c in access + facets if c != "owner_agency_id"] + ["origin_country", "destination_country"],
    )
    by_date = (["occurred_at"], access + facets)
    for name, (keys, included) in (
        ("ix_seizure_commodity_date", by_commodity),
        ("ix_seizure_agency_date", by_agency),
        ("ix_seizure_date_cover", by_date),
    ):
        if dialect == "postgresql":
            op.create_index(name, "seizure", keys, postgresql_include=included)
        else:
            op.create_index(name, "seizure", keys + included)
    op.create_index("ix_seizure_op_team", "seizure", ["op_team_id"])
    op.create_index("ix_seizure_kg", "seizure", ["kg_equivalent"])


def _cols(prefix: str, names) -> str:
    return ", ".join(f"{prefix}{name}" for name in names)


COPY_TARGETS = [target for target, _source in COPIED]
COPY_SOURCES = [source for _target, source in COPIED]


# --- bulk loads: index once at the end -----------------------------------------------------

# A bulk writer (the importer) sets search_bulk.active inside its transaction
# (ops.searchindex.deferred): the indexing triggers then only note the
# operations they touch in search_pending, and clearing the flag indexes those
# operations in one pass, still inside the same transaction. The access copies
# on seizures are never deferred.
BULK = "(SELECT active FROM search_bulk WHERE id = 1)"
BULK_TABLES = [
    "CREATE TABLE search_bulk (id INTEGER PRIMARY KEY CHECK (id = 1), active BOOLEAN NOT NULL)",
    "INSERT INTO search_bulk (id, active) VALUES (1, FALSE)",
    "CREATE TABLE search_pending (operation_id INTEGER PRIMARY KEY)",
]


# --- SQLite: FTS5 and row triggers ------------------------------------------------------


def _sqlite_copy(seizure_filter: str) -> str:
    return (
        f"UPDATE seizure SET ({_cols('', COPY_TARGETS)}) = (SELECT {_cols('', COPY_SOURCES)} "
        f"FROM operation WHERE operation.id = seizure.operation_id) WHERE {seizure_filter};"
    )


def _sqlite_reindex(op_filter: str) -> str:
    return (
        f"DELETE FROM seizure_fts WHERE rowid IN (SELECT id FROM seizure WHERE operation_id {op_filter}); "
        f"INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons "
        f"FROM seizure_search_source WHERE operation_id {op_filter};"
    )


def _sqlite_indexing(name: str, event: str, now: str, operations: list[str], when: str = "") -> list[str]:
    """Index now; or, during a bulk load, note the operations for the pass at its end."""
    condition = f"({when}) AND " if when else ""
    note = " ".join(f"INSERT OR IGNORE INTO search_pending (operation_id) VALUES ({op});" for op in operations)
    return [
        f"CREATE TRIGGER {name} {event} WHEN {condition}NOT {BULK} BEGIN {now} END",
        f"CREATE TRIGGER {name}_later {event} WHEN {condition}{BULK} BEGIN {note} END",
    ]


def _sqlite_party_triggers(table: str, columns) -> list[str]:
    """Persons and vehicles are part of the documents of their operation's seizures."""
    return [
        *_sqlite_indexing(
            f"search_{table}_ai",
            f"AFTER INSERT ON {table}",
            _sqlite_reindex("= NEW.operation_id"),
            ["NEW.operation_id"],
        ),
        *_sqlite_indexing(
            f"search_{table}_au",
            f"AFTER UPDATE OF {_cols('', columns)} ON {table}",
            _sqlite_reindex("IN (OLD.operation_id, NEW.operation_id)"),
            ["OLD.operation_id", "NEW.operation_id"],
        ),
        *_sqlite_indexing(
            f"search_{table}_ad",
            f"AFTER DELETE ON {table}",
            _sqlite_reindex("= OLD.operation_id"),
            ["OLD.operation_id"],
        ),
    ]


def _sqlite_upgrade() -> list[str]:
    index_new = (
        "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons "
        "FROM seizure_search_source WHERE seizure_id = NEW.id;"
    )
    operation_text = f"({_cols('OLD.', OPERATION_TEXT_COLUMNS)}) IS NOT ({_cols('NEW.', OPERATION_TEXT_COLUMNS)})"
    return [
        "CREATE VIRTUAL TABLE seizure_fts USING fts5(body, persons, tokenize = 'unicode61 remove_diacritics 0')",
        *BULK_TABLES,
        f"CREATE TRIGGER search_seizure_ai AFTER INSERT ON seizure BEGIN {_sqlite_copy('id = NEW.id')} END",
        # repairs any write that would make the copies differ from the operation
        f"CREATE TRIGGER search_seizure_copy_au AFTER UPDATE OF operation_id, {_cols('', COPY_TARGETS)} ON seizure "
        f"WHEN ({_cols('NEW.', COPY_TARGETS)}) IS NOT (SELECT {_cols('', COPY_SOURCES)} FROM operation "
        f"WHERE operation.id = NEW.operation_id) BEGIN {_sqlite_copy('id = NEW.id')} END",
        f"CREATE TRIGGER search_operation_copy_au AFTER UPDATE OF {_cols('', COPY_SOURCES)} ON operation "
        f"WHEN ({_cols('OLD.', COPY_SOURCES)}) IS NOT ({_cols('NEW.', COPY_SOURCES)}) "
        f"BEGIN UPDATE seizure SET ({_cols('', COPY_TARGETS)}) = ({_cols('NEW.', COPY_SOURCES)}) "
        f"WHERE operation_id = NEW.id; END",
        *_sqlite_indexing("search_seizure_index_ai", "AFTER INSERT ON seizure", index_new, ["NEW.operation_id"]),
        *_sqlite_indexing(
            "search_seizure_text_au",
            f"AFTER UPDATE OF {_cols('', SEIZURE_TEXT_COLUMNS)} ON seizure",
            f"DELETE FROM seizure_fts WHERE rowid = OLD.id; {index_new}",
            ["OLD.operation_id", "NEW.operation_id"],
        ),
        "CREATE TRIGGER search_seizure_ad AFTER DELETE ON seizure BEGIN DELETE FROM seizure_fts WHERE rowid = OLD.id; END",
        *_sqlite_indexing(
            "search_operation_text_au",
            f"AFTER UPDATE OF {_cols('', OPERATION_TEXT_COLUMNS)} ON operation",
            _sqlite_reindex("= NEW.id"),
            ["NEW.id"],
            when=operation_text,
        ),
        *_sqlite_party_triggers("person", PERSON_TEXT_COLUMNS),
        *_sqlite_party_triggers("vehicle", VEHICLE_TEXT_COLUMNS),
        *_sqlite_person_words(),
        # the end of a bulk load: one pass over the operations it touched
        f"CREATE TRIGGER search_bulk_done AFTER UPDATE OF active ON search_bulk WHEN OLD.active AND NOT NEW.active "
        f"BEGIN {_sqlite_reindex('IN (SELECT operation_id FROM search_pending)')} DELETE FROM search_pending; END",
    ]


SQLITE_TRIGGERS = [
    "seizure_ai",
    "seizure_copy_au",
    "operation_copy_au",
    "seizure_ad",
    "bulk_done",
    "person_words_ai",
    "person_words_au",
    "person_words_ad",
] + [
    name + later
    for name in (
        "seizure_index_ai",
        "seizure_text_au",
        "operation_text_au",
        "person_ai",
        "person_au",
        "person_ad",
        "vehicle_ai",
        "vehicle_au",
        "vehicle_ad",
    )
    for later in ("", "_later")
]


def _sqlite_person_words() -> list[str]:
    """Persons' words alone, one row per person: lets a search see at once that no query word is a
    name or document number, and skip the persons part of the match."""
    words = "NEW.full_name || ' ' || coalesce(NEW.document_number, '') || ' ' || coalesce(NEW.document_norm, '')"
    return [
        "CREATE VIRTUAL TABLE person_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER search_person_words_ai AFTER INSERT ON person BEGIN "
        f"INSERT INTO person_fts (rowid, words) VALUES (NEW.id, {words}); END",
        f"CREATE TRIGGER search_person_words_au AFTER UPDATE OF full_name, document_number, document_norm ON person "
        f"BEGIN DELETE FROM person_fts WHERE rowid = OLD.id; INSERT INTO person_fts (rowid, words) "
        f"VALUES (NEW.id, {words}); END",
        "CREATE TRIGGER search_person_words_ad AFTER DELETE ON person BEGIN "
        "DELETE FROM person_fts WHERE rowid = OLD.id; END",
    ]


def _sqlite_downgrade() -> list[str]:
    return [f"DROP TRIGGER search_{name}" for name in SQLITE_TRIGGERS] + [
        "DROP TABLE search_pending",
        "DROP TABLE search_bulk",
        "DROP TABLE person_fts",
        "DROP TABLE seizure_fts",
    ]


# --- PostgreSQL: tsvector + GIN, statement triggers over transition tables ---------------


def _changed(columns) -> str:
    return f"({_cols('n.', columns)}) IS DISTINCT FROM ({_cols('o.', columns)})"


def _pg_function(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"


def _pg_statement_trigger(name: str, event: str, table: str, tables: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


def _pg_party(table: str, columns) -> list[str]:
    reindex = "PERFORM search_index_operations(ARRAY(SELECT DISTINCT operation_id FROM {rows}));"
    moved = (
        f"PERFORM search_index_operations(ARRAY(SELECT DISTINCT n.operation_id FROM new_rows n JOIN old_rows o "
        f"ON o.id = n.id WHERE {_changed(columns)} UNION SELECT o.operation_id FROM new_rows n JOIN old_rows o "
        f"ON o.id = n.id WHERE {_changed(columns)}));"
    )
    return [
        _pg_function(f"search_{table}_ai", reindex.format(rows="new_rows")),
        _pg_statement_trigger(f"search_{table}_ai", "INSERT", table, "NEW TABLE AS new_rows"),
        _pg_function(f"search_{table}_au", moved),
        _pg_statement_trigger(f"search_{table}_au", "UPDATE", table, "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        _pg_function(f"search_{table}_ad", reindex.format(rows="old_rows")),
        _pg_statement_trigger(f"search_{table}_ad", "DELETE", table, "OLD TABLE AS old_rows"),
    ]


def _pg_indexers() -> list[str]:
    upsert = (
        "INSERT INTO seizure_search (seizure_id, body_tsv, full_tsv) "
        "SELECT seizure_id, body_tsv, body_tsv || search_words(persons) FROM "
        "(SELECT seizure_id, search_words(body) AS body_tsv, persons FROM seizure_search_source WHERE {where}) d "
        "ON CONFLICT (seizure_id) DO UPDATE SET body_tsv = EXCLUDED.body_tsv, full_tsv = EXCLUDED.full_tsv"
    )
    deferrable = (
        "CREATE FUNCTION search_index_{kind}(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$ BEGIN "
        f"IF {BULK} THEN INSERT INTO search_pending (operation_id) {{pending}} ON CONFLICT DO NOTHING; "
        "ELSE PERFORM search_upsert_{kind}(ids); END IF; END $$"
    )
    return [
        # the same words as SQLite's unicode61 tokenizer: letters and digits, case folded
        "CREATE FUNCTION search_words(text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
        "$$ SELECT to_tsvector('simple', regexp_replace($1, '[^[:alnum:]]+', ' ', 'g')) $$",
        "CREATE FUNCTION search_upsert_seizures(ids integer[]) RETURNS void LANGUAGE sql AS $$ "
        + upsert.format(where="seizure_id = ANY(ids)")
        + " $$",
        "CREATE FUNCTION search_upsert_operations(ids integer[]) RETURNS void LANGUAGE sql AS $$ "
        + upsert.format(where="operation_id = ANY(ids)")
        + " $$",
        deferrable.format(kind="seizures", pending="SELECT DISTINCT operation_id FROM seizure WHERE id = ANY(ids)"),
        deferrable.format(kind="operations", pending="SELECT DISTINCT unnest(ids)"),
        _pg_function(
            "search_bulk_done",
            "IF OLD.active AND NOT NEW.active THEN "
            "PERFORM search_upsert_operations(ARRAY(SELECT operation_id FROM search_pending)); "
            "DELETE FROM search_pending; END IF;",
        ),
        "CREATE TRIGGER search_bulk_done AFTER UPDATE ON search_bulk FOR EACH ROW EXECUTE FUNCTION search_bulk_done()",
    ]


# ops.normalize.without_identities in SQL (SQLite calls the Python function itself)
PG_REDACT = """CREATE FUNCTION search_redact(body text, identities text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN identities = '' THEN body ELSE (
    SELECT coalesce(string_agg(w, ' ' ORDER BY n), '')
    FROM regexp_split_to_table(body, '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> '' AND lower(w) NOT IN (
      SELECT lower(x) FROM regexp_split_to_table(identities, '[^[:alnum:]]+') AS x WHERE length(x) > 1)) END
$$"""


def _postgresql_upgrade() -> list[str]:
    copy = (
        f"SELECT {_cols('o.', COPY_SOURCES)} INTO {_cols('NEW.', COPY_TARGETS)} "
        f"FROM operation o WHERE o.id = NEW.operation_id; RETURN NEW;"
    )
    copy_to_seizures = (
        f"UPDATE seizure s SET ({_cols('', COPY_TARGETS)}) = ({_cols('n.', COPY_SOURCES)}) "
        f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE s.operation_id = n.id "
        f"AND {_changed(COPY_SOURCES)};"
    )
    return [
        *BULK_TABLES,
        "CREATE TABLE seizure_search (seizure_id integer PRIMARY KEY REFERENCES seizure(id) ON DELETE CASCADE, "
        "body_tsv tsvector NOT NULL, full_tsv tsvector NOT NULL)",
        "CREATE INDEX ix_seizure_search_body ON seizure_search USING gin (body_tsv)",
        "CREATE INDEX ix_seizure_search_full ON seizure_search USING gin (full_tsv)",
        *_pg_indexers(),
        # the copies are taken from the operation on every write of a seizure, whatever the writer sent
        f"CREATE FUNCTION search_seizure_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {copy} END $$",
        "CREATE TRIGGER search_seizure_copy BEFORE INSERT OR UPDATE ON seizure "
        "FOR EACH ROW EXECUTE FUNCTION search_seizure_copy()",
        _pg_function("search_seizure_ai", "PERFORM search_index_seizures(ARRAY(SELECT id FROM new_rows));"),
        _pg_statement_trigger("search_seizure_ai", "INSERT", "seizure", "NEW TABLE AS new_rows"),
        _pg_function(
            "search_seizure_au",
            "PERFORM search_index_seizures(ARRAY(SELECT n.id FROM new_rows n "
            f"JOIN old_rows o ON o.id = n.id WHERE {_changed(SEIZURE_TEXT_COLUMNS)}));",
        ),
        _pg_statement_trigger("search_seizure_au", "UPDATE", "seizure", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        _pg_function(
            "search_operation_au",
            copy_to_seizures + " PERFORM search_index_operations(ARRAY(SELECT n.id "
            f"FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {_changed(OPERATION_TEXT_COLUMNS)}));",
        ),
        _pg_statement_trigger(
            "search_operation_au", "UPDATE", "operation", "OLD TABLE AS old_rows NEW TABLE AS new_rows"
        ),
        *_pg_party("person", PERSON_TEXT_COLUMNS),
        *_pg_party("vehicle", VEHICLE_TEXT_COLUMNS),
    ]


def _postgresql_downgrade() -> list[str]:
    triggers = [
        ("search_seizure_copy", "seizure"),
        ("search_seizure_ai", "seizure"),
        ("search_seizure_au", "seizure"),
        ("search_operation_au", "operation"),
    ]
    triggers += [(f"search_{table}_{event}", table) for table in ("person", "vehicle") for event in ("ai", "au", "ad")]
    triggers += [("search_bulk_done", "search_bulk")]
    statements = [f"DROP TRIGGER {name} ON {table}" for name, table in triggers]
    statements += [f"DROP FUNCTION {name}()" for name, _table in triggers]
    functions = [
        f"search_{verb}_{kind}(integer[])" for verb in ("index", "upsert") for kind in ("operations", "seizures")
    ]
    return statements + [
        "DROP TABLE seizure_search",
        "DROP TABLE search_pending",
        "DROP TABLE search_bulk",
        *[f"DROP FUNCTION {name}" for name in functions],
        "DROP FUNCTION search_words(text)",
    ]


def upgrade() -> None:
    with op.batch_alter_table("seizure") as batch:
        batch.add_column(sa.Column("op_status", sa.String(16), nullable=True))
        batch.add_column(sa.Column("op_visibility", sa.String(16), nullable=True))
        batch.add_column(sa.Column("op_team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("op_share_persons", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("op_place", sa.String(160), nullable=True))
        batch.add_column(sa.Column("op_region", sa.String(80), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_REDACT)
    op.execute(_source_view("string_agg" if dialect == "postgresql" else "group_concat"))
    for statement in _postgresql_upgrade() if dialect == "postgresql" else _sqlite_upgrade():
        op.execute(statement)
    _covering_indexes(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in (
        "ix_seizure_kg",
        "ix_seizure_op_team",
        "ix_seizure_date_cover",
        "ix_seizure_agency_date",
        "ix_seizure_commodity_date",
    ):
        op.drop_index(name, table_name="seizure")
    for statement in _postgresql_downgrade() if dialect == "postgresql" else _sqlite_downgrade():
        op.execute(statement)
    op.execute("DROP VIEW seizure_search_source")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION search_redact(text, text)")
    with op.batch_alter_table("seizure") as batch:
        for column in ("op_region", "op_place", "op_share_persons", "op_team_id", "op_visibility", "op_status"):
            batch.drop_column(column)
