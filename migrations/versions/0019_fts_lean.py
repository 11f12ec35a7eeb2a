"""SQLite's full-text index without a second copy of the text: FTS5 external content

Revision ID: 0019_fts_lean
Revises: 0017_saved_search_news
Create Date: 2026-12-01 07:30:00

Until now `seizure_fts` and `person_fts` were ordinary FTS5 tables: besides the
index they kept their own copy of every document (`*_content`), a third of a
million-seizure file. No search reads that copy (the backends take only the
rowid; highlighting is done in Python on the page's own text), so here both
become external-content tables over the views that define their documents:

- `seizure_fts(body, persons)` over `seizure_search_source` (rowid `seizure_id`);
- `person_fts(words)` over the new view `person_search_source` (rowid `person_id`).

FTS5 then removes a document from the index only when told its old text
('delete' command with the old values). So every trigger that changes a
document takes it out BEFORE the change, reading the view while it still shows
what was indexed, and indexes it again AFTER. Both are guarded by
`seizure_fts_docsize` (one row per indexed seizure): a seizure is taken out
only if indexed and put in only if not, so neither can happen twice. Deleting
an operation takes its seizures out first (the cascade to them runs once the
operation's row is gone, when the view no longer shows them).

During a bulk load (search_bulk, since 0004) the first change to a record takes
all its seizures out of the index and notes the record in `search_pending`;
later rows of a noted record cost one look-up, and the pass at the load's end
indexes the noted records' seizures. Persons' words are a plain expression of
the person's row: their triggers give FTS5 the OLD row's words.

For the next migration that changes what these views return (or the words of
normalize.without_identities behind `search_redact`): the index must then be
rebuilt with `INSERT INTO seizure_fts(seizure_fts) VALUES('rebuild')` right
after the view is replaced; a `DELETE FROM seizure_fts` would read the new view
and leave the index inconsistent.

PostgreSQL keeps tsvector columns, not a copy of the text: nothing changes there.
Downgrade restores 0015's ordinary tables and triggers (0004, 0008, 0012).
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0019_fts_lean"
down_revision = "0017_saved_search_news"
branch_labels = None
depends_on = None


def _migration(name: str):
    """An earlier migration's module, for its helpers (migration files are not importable by name)."""
    spec = importlib.util.spec_from_file_location(f"ops_migration_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEARCH = _migration("0004_search")
PHONES = _migration("0012_phone_search")

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
BULK = f"coalesce({SEARCH.BULK}, FALSE)"  # a missing flag row (a wholesale TRUNCATE) means: index now
PERSON_WORD_COLUMNS = ["full_name", "document_number", "document_norm", "name_spellings", "phones"]

# 0015's triggers that kept the ordinary tables in step (0004, rewritten by 0008 and 0012)
OLD_TRIGGERS = [
    "search_bulk_done",
    "search_seizure_ad",
    "search_person_words_ai",
    "search_person_words_au",
    "search_person_words_ad",
] + [
    f"search_{name}{later}"
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


def _cols(prefix: str, names) -> str:
    return ", ".join(f"{prefix}{name}" for name in names)


def _changed(names) -> str:
    return f"({_cols('OLD.', names)}) IS NOT ({_cols('NEW.', names)})"


# --- what the triggers do ------------------------------------------------------------------


def _unindex(where: str) -> str:
    """Take the seizures out of the index with the text the view shows now, which is what was indexed."""
    return (
        "INSERT INTO seizure_fts (seizure_fts, rowid, body, persons) SELECT 'delete', seizure_id, body, persons "
        f"FROM seizure_search_source WHERE ({where}) "
        "AND EXISTS (SELECT 1 FROM seizure_fts_docsize d WHERE d.id = seizure_id);"
    )


def _index(where: str) -> str:
    """Index the seizures that are not indexed, with the text the view shows now."""
    return (
        "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons "
        f"FROM seizure_search_source WHERE ({where}) "
        "AND NOT EXISTS (SELECT 1 FROM seizure_fts_docsize d WHERE d.id = seizure_id);"
    )


def _note(operations: list[str]) -> str:
    return " ".join(f"INSERT OR IGNORE INTO search_pending (operation_id) VALUES ({o});" for o in operations)


def _trigger(name: str, event: str, body: str, when: str = "") -> str:
    return f"CREATE TRIGGER {name} {event}{f' WHEN {when}' if when else ''} BEGIN {body} END"


def _both(*conditions: str) -> str:
    return " AND ".join(f"({c})" for c in conditions if c)


def _change(name: str, event: str, operations: list[str], before: str = "", after: str = "", when: str = ""):
    """One kind of change to documents.

    Indexing now: `before` takes the changed documents out of the index before the change, `after` puts
    them back. During a bulk load the records in `operations` are taken out whole, before the change,
    and noted for the pass at the load's end. A noted record has no seizure in the index (nothing
    indexes until that pass), so a record already noted costs its rows nothing more than that look-up:
    an import's persons and vehicles of a new record are not one statement each.
    """
    now = f"NOT {BULK}"
    listed = ", ".join(operations)
    not_noted = " OR ".join(f"NOT EXISTS (SELECT 1 FROM search_pending WHERE operation_id = {o})" for o in operations)
    out = _unindex(f"operation_id IN ({listed}) AND operation_id NOT IN (SELECT operation_id FROM search_pending)")
    triggers = [_trigger(f"{name}_bulk", f"BEFORE {event}", f"{out} {_note(operations)}", _both(when, BULK, not_noted))]
    if before:
        triggers.append(_trigger(f"{name}_before", f"BEFORE {event}", before, _both(when, now)))
    triggers.append(_trigger(f"{name}_after", f"AFTER {event}", after, _both(when, now)))
    return triggers


def _party(table: str, columns: list[str]) -> list[str]:
    """Persons and vehicles are part of the documents of their operation's seizures."""
    moved = "operation_id IN (OLD.operation_id, NEW.operation_id)"
    watched = ["id", "operation_id", *columns]
    return [
        *_change(
            f"fts_{table}_insert",
            f"INSERT ON {table}",
            ["NEW.operation_id"],
            before=_unindex("operation_id = NEW.operation_id"),
            after=_index("operation_id = NEW.operation_id"),
        ),
        *_change(
            f"fts_{table}_update",
            f"UPDATE OF {_cols('', watched)} ON {table}",
            ["OLD.operation_id", "NEW.operation_id"],
            before=_unindex(moved),
            after=_index(moved),
            when=_changed(watched),
        ),
        *_change(
            f"fts_{table}_delete",
            f"DELETE ON {table}",
            ["OLD.operation_id"],
            before=_unindex("operation_id = OLD.operation_id"),
            after=_index("operation_id = OLD.operation_id"),
        ),
    ]


def _person_words(prefix: str) -> str:
    return PHONES._words(prefix)


def _person_triggers() -> list[str]:
    """person_fts: a person's words are an expression of its row, so the OLD row says what was indexed."""
    add = f"INSERT INTO person_fts (rowid, words) VALUES (NEW.id, {_person_words('NEW.')});"
    remove = f"INSERT INTO person_fts (person_fts, rowid, words) VALUES ('delete', OLD.id, {_person_words('OLD.')});"
    watched = ["id", *PERSON_WORD_COLUMNS]
    return [
        _trigger("fts_person_words_insert", "AFTER INSERT ON person", add),
        _trigger(
            "fts_person_words_update",
            f"AFTER UPDATE OF {_cols('', watched)} ON person",
            remove + " " + add,
            _changed(watched),
        ),
        _trigger("fts_person_words_delete", "AFTER DELETE ON person", remove),
    ]


def _triggers() -> list[str]:
    seizure_text = ["id", *SEARCH.SEIZURE_TEXT_COLUMNS]
    operation_text = ["id", *SEARCH.OPERATION_TEXT_COLUMNS]
    pending = "operation_id IN (SELECT operation_id FROM search_pending)"
    return [
        *_change("fts_seizure_insert", "INSERT ON seizure", ["NEW.operation_id"], after=_index("seizure_id = NEW.id")),
        *_change(
            "fts_seizure_update",
            f"UPDATE OF {_cols('', seizure_text)} ON seizure",
            ["OLD.operation_id", "NEW.operation_id"],
            before=_unindex("seizure_id = OLD.id"),
            after=_index("seizure_id = NEW.id"),
            when=_changed(seizure_text),
        ),
        _trigger("fts_seizure_delete", "BEFORE DELETE ON seizure", _unindex("seizure_id = OLD.id")),
        *_change(
            "fts_operation_update",
            f"UPDATE OF {_cols('', operation_text)} ON operation",
            ["OLD.id", "NEW.id"],
            before=_unindex("operation_id = OLD.id"),
            after=_index("operation_id = NEW.id"),
            when=_changed(operation_text),
        ),
        # the cascade to seizures, persons and vehicles runs when the view no longer shows the operation
        _trigger("fts_operation_delete", "BEFORE DELETE ON operation", _unindex("operation_id = OLD.id")),
        *_party("person", PERSON_WORD_COLUMNS),
        *_party("vehicle", SEARCH.VEHICLE_TEXT_COLUMNS[1:]),
        *_person_triggers(),
        # the end of a bulk load: one pass over the operations it noted (at its start, any a load left behind)
        _trigger(
            "fts_bulk_done",
            "AFTER UPDATE OF active ON search_bulk",
            f"{_index(pending)} DELETE FROM search_pending;",
            "OLD.active IS NOT NEW.active",
        ),
    ]


def _trigger_names(statements: list[str]) -> list[str]:
    return [s.split()[2] for s in statements if s.startswith("CREATE TRIGGER")]


# --- upgrade and downgrade -----------------------------------------------------------------


def _sqlite_upgrade() -> list[str]:
    return [
        *[f"DROP TRIGGER {name}" for name in OLD_TRIGGERS],
        "DROP TABLE seizure_fts",
        "DROP TABLE person_fts",
        f"CREATE VIEW person_search_source AS SELECT id AS person_id, {_person_words('')} AS words FROM person",
        f"CREATE VIRTUAL TABLE seizure_fts USING fts5(body, persons, content = 'seizure_search_source', "
        f"content_rowid = 'seizure_id', {TOKENIZE})",
        f"CREATE VIRTUAL TABLE person_fts USING fts5(words, content = 'person_search_source', "
        f"content_rowid = 'person_id', {TOKENIZE})",
        "INSERT INTO seizure_fts (seizure_fts) VALUES ('rebuild')",
        "INSERT INTO person_fts (person_fts) VALUES ('rebuild')",
        *_triggers(),
    ]


def _old_triggers() -> list[str]:
    """0015's trigger statements: 0004's, with 0012's for the persons' words and persons' updates."""
    statements = {name: None for name in OLD_TRIGGERS}
    rewritten = PHONES._person_update_triggers("sqlite", PHONES.PERSON_COLUMNS) + PHONES._sqlite_person_words()
    for statement in SEARCH._sqlite_upgrade() + rewritten:
        if statement.startswith("CREATE TRIGGER") and statement.split()[2] in statements:
            statements[statement.split()[2]] = statement
    return list(statements.values())


def _sqlite_downgrade() -> list[str]:
    return [
        *[f"DROP TRIGGER {name}" for name in _trigger_names(_triggers())],
        "DROP TABLE seizure_fts",
        "DROP TABLE person_fts",
        "DROP VIEW person_search_source",
        f"CREATE VIRTUAL TABLE seizure_fts USING fts5(body, persons, {TOKENIZE})",
        f"CREATE VIRTUAL TABLE person_fts USING fts5(words, {TOKENIZE})",
        "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons FROM seizure_search_source",
        f"INSERT INTO person_fts (rowid, words) SELECT id, {_person_words('')} FROM person",
        *_old_triggers(),
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _sqlite_upgrade():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in _sqlite_downgrade():
        op.execute(statement)
