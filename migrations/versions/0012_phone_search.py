"""persons' phone numbers in the search index's persons part, and out of its body

Revision ID: 0012_phone_search
Revises: 0011_places
Create Date: 2026-12-01 04:50:00

Since 0009 persons have phone numbers (`person.phones`, E.164 separated by
spaces), but narratives, titles and concealment details still carried them
into the index's `body`, which every reader of the record's body searches: a
reader who may not see the persons found the record by typing a person's
number. Now, as names and document numbers since 0004:

- the `persons` part (seizure_search_source, SQLite's person_fts) holds each
  number as stored ("+998901234567") and, for Uzbek numbers, the national
  digits people type ("901234567"); ops.search.language.text turns a typed
  number ("8 (90) 123 45 67") into those words;
- search_redact takes the record's persons' numbers out of the body in the
  forms people write them (masks.indexed_phones: with or without "+", "00",
  the country code or a trunk "8"/"0", any spaces, dashes, dots or brackets);
  SQLite calls normalize.without_identities, PostgreSQL runs the same
  expressions in plpgsql;
- a change of a person's numbers alone re-indexes the operation's seizures.

Both indexes are rebuilt once. Downgrade restores 0011's state (0008's view
and words, 0004's person triggers and search_redact).
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0012_phone_search"
down_revision = "0011_places"
branch_labels = None
depends_on = None


def _migration(name: str):
    """An earlier migration's module, for its helpers (migration files are not importable by name)."""
    spec = importlib.util.spec_from_file_location(f"ops_migration_{name}", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEARCH = _migration("0004_search")
SPELLINGS = _migration("0008_name_spellings")
PERSON_COLUMNS = [*SEARCH.PERSON_TEXT_COLUMNS, "phones"]


def _words(prefix: str) -> str:
    """A person's searchable words: name, document, spellings (0008), and the phone numbers as stored and
    as Uzbek national digits (the same SQL on both databases)."""
    return (
        f"{prefix}full_name || ' ' || coalesce({prefix}document_number, '') || ' ' || "
        f"coalesce({prefix}document_norm, '') || ' ' || {prefix}name_spellings || ' ' || {prefix}phones || "
        f"replace(' ' || {prefix}phones, ' +998', ' ')"
    )


def _source_view(aggregate: str) -> str:
    """0008's view with the persons part of _words."""
    view = SPELLINGS._source_view(aggregate, spellings=True)
    old = "p.full_name || ' ' || coalesce(p.document_number, '') || ' ' || coalesce(p.document_norm, '') || ' ' || p.name_spellings"
    assert view.count(old) == 1, "0008's persons part changed"
    return view.replace(old, _words("p."))


def _sqlite_person_words() -> list[str]:
    """person_fts (0004) and its triggers with every persons' word."""
    return [
        "DROP TRIGGER search_person_words_ai",
        "DROP TRIGGER search_person_words_au",
        f"CREATE TRIGGER search_person_words_ai AFTER INSERT ON person BEGIN "
        f"INSERT INTO person_fts (rowid, words) VALUES (NEW.id, {_words('NEW.')}); END",
        f"CREATE TRIGGER search_person_words_au AFTER UPDATE OF full_name, document_number, document_norm, "
        f"name_spellings, phones ON person BEGIN DELETE FROM person_fts WHERE rowid = OLD.id; "
        f"INSERT INTO person_fts (rowid, words) VALUES (NEW.id, {_words('NEW.')}); END",
        "DELETE FROM person_fts",
        f"INSERT INTO person_fts (rowid, words) SELECT id, {_words('')} FROM person",
    ]


def _person_update_triggers(dialect: str, columns: list[str]) -> list[str]:
    """0004's triggers that re-index an operation's seizures when one of `columns` of a person changes."""
    if dialect == "postgresql":
        function = "CREATE FUNCTION search_person_au()"
        chosen = [s for s in SEARCH._pg_party("person", columns) if s.startswith(function)]
        return [s.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1) for s in chosen]
    names = ("search_person_au", "search_person_au_later")
    chosen = [s for s in SEARCH._sqlite_party_triggers("person", columns) if s.split()[2] in names]
    return [f"DROP TRIGGER {name}" for name in names] + chosen


# masks.indexed_phone_expressions in plpgsql: [[:alnum:]] is Python's [^\W_]
PG_REDACT = r"""CREATE OR REPLACE FUNCTION search_redact(body text, identities text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  sep constant text := '[-\s().]*';
  digits text;
  k integer;
BEGIN
  IF identities = '' THEN
    RETURN body;
  END IF;
  FOR digits IN SELECT m[1] FROM regexp_matches(identities, '\+([0-9]{6,15})(?![0-9])', 'g') AS m LOOP
    FOR k IN 1..3 LOOP
      CONTINUE WHEN length(digits) - k < 5;
      body := regexp_replace(body,
        '(?<![[:alnum:]])(?:(?:\+|00)?' || array_to_string(regexp_split_to_array(left(digits, k), ''), sep)
        || sep || '|[80]' || sep || ')?' || array_to_string(regexp_split_to_array(substr(digits, k + 1), ''), sep)
        || '(?![[:alnum:]])', ' ', 'g');
    END LOOP;
  END LOOP;
  RETURN (SELECT coalesce(string_agg(w, ' ' ORDER BY n), '')
    FROM regexp_split_to_table(body, '[^[:alnum:]]+') WITH ORDINALITY AS t(w, n)
    WHERE w <> '' AND lower(w) NOT IN (
      SELECT lower(x) FROM regexp_split_to_table(identities, '[^[:alnum:]]+') AS x WHERE length(x) > 1));
END $$"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    statements = _person_update_triggers(dialect, PERSON_COLUMNS)
    if dialect == "postgresql":
        statements += [PG_REDACT, "DROP VIEW seizure_search_source", _source_view("string_agg")]
        statements.append("SELECT search_upsert_operations(ARRAY(SELECT id FROM operation))")
    else:
        statements += ["DROP VIEW seizure_search_source", _source_view("group_concat"), *_sqlite_person_words()]
        statements += [
            "DELETE FROM seizure_fts",
            "INSERT INTO seizure_fts (rowid, body, persons) SELECT seizure_id, body, persons FROM seizure_search_source",
        ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _person_update_triggers(dialect, SEARCH.PERSON_TEXT_COLUMNS):
        op.execute(statement)
    if dialect == "postgresql":
        op.execute(SEARCH.PG_REDACT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    SPELLINGS._rebuild(dialect, spellings=True)
