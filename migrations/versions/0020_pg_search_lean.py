"""PostgreSQL's search rows without a second copy of the text

Revision ID: 0020_pg_search_lean
Revises: 0019_fts_lean
Create Date: 2026-12-01 07:40:00

`seizure_search` held two vectors per seizure: `body_tsv` (everything but the
persons' identities) and `full_tsv` = `body_tsv` || the persons' words, so every
body was stored twice, and a search that counted its matches read both copies
(1.4 GB of rows and 1.2 GB of TOAST at 1,000,000 seizures). Now the row keeps
`body_tsv` and `persons_tsv` (the persons' words alone) and the whole document
exists only in the GIN index on the expression `(body_tsv || persons_tsv)`,
which the search names as it is written here; matching is unchanged (the same
vector, positions included). The table is rebuilt from `seizure_search_source`,
so it comes out compact; the index functions of 0004 write the new columns.
SQLite: nothing (its FTS5 index is 0019's).
"""

from alembic import op

revision = "0020_pg_search_lean"
down_revision = "0019_fts_lean"
branch_labels = None
depends_on = None

_UPSERT = (
    "CREATE OR REPLACE FUNCTION search_upsert_{kind}(ids integer[]) RETURNS void LANGUAGE sql AS $$ "
    "INSERT INTO seizure_search (seizure_id, {columns}) "
    "SELECT seizure_id, {values} FROM seizure_search_source WHERE {key} = ANY(ids) "
    "ON CONFLICT (seizure_id) DO UPDATE SET {updates} $$"
)
_LEAN = {
    "columns": "body_tsv, persons_tsv",
    "values": "search_words(body), search_words(persons)",
    "updates": "body_tsv = EXCLUDED.body_tsv, persons_tsv = EXCLUDED.persons_tsv",
}
_WIDE = {
    "columns": "body_tsv, full_tsv",
    "values": "search_words(body), search_words(body) || search_words(persons)",
    "updates": "body_tsv = EXCLUDED.body_tsv, full_tsv = EXCLUDED.full_tsv",
}


def _rebuild(columns: str, fill: str, indexes: list[str], functions: dict) -> list[str]:
    return [
        "CREATE TABLE seizure_search_new (seizure_id integer NOT NULL, " + columns + ")",
        "INSERT INTO seizure_search_new SELECT " + fill + " FROM seizure_search_source",
        "DROP TABLE seizure_search",
        "ALTER TABLE seizure_search_new RENAME TO seizure_search",
        "ALTER TABLE seizure_search ADD CONSTRAINT seizure_search_pkey PRIMARY KEY (seizure_id)",
        "ALTER TABLE seizure_search ADD CONSTRAINT seizure_search_seizure_id_fkey "
        "FOREIGN KEY (seizure_id) REFERENCES seizure(id) ON DELETE CASCADE",
        *indexes,
        *[
            _UPSERT.format(kind=kind, key=key, **functions)
            for kind, key in (("seizures", "seizure_id"), ("operations", "operation_id"))
        ],
        "ANALYZE seizure_search",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _rebuild(
        "body_tsv tsvector NOT NULL, persons_tsv tsvector NOT NULL",
        "seizure_id, search_words(body), search_words(persons)",
        [
            "CREATE INDEX ix_seizure_search_body ON seizure_search USING gin (body_tsv)",
            "CREATE INDEX ix_seizure_search_all ON seizure_search USING gin ((body_tsv || persons_tsv))",
        ],
        _LEAN,
    ):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _rebuild(
        "body_tsv tsvector NOT NULL, full_tsv tsvector NOT NULL",
        "seizure_id, search_words(body), search_words(body) || search_words(persons)",
        [
            "CREATE INDEX ix_seizure_search_body ON seizure_search USING gin (body_tsv)",
            "CREATE INDEX ix_seizure_search_full ON seizure_search USING gin (full_tsv)",
        ],
        _WIDE,
    ):
        op.execute(statement)
