"""PostgreSQL's statistics during an import: the tables it writes are analysed each time they have doubled.

An import is one transaction, and autovacuum sees none of its rows before the commit, so PostgreSQL plans the
import's own statements (each batch's look-ups by operation id, the possible duplicates, the search index's
triggers) with the statistics of before it began; into an empty database, with none. Then every `IN (…)` of a
batch's ids looked like most of its table: at 2.4 million identifier keys, each batch's `DELETE … WHERE
operation_id IN (500 ids)` was a sequential scan of 345 ms, and an import's time grew with the square of its size.

ANALYZE inside the transaction samples the transaction's own rows too. It runs after the first batch where the
statistics know of fewer seizures than that, and again each time the import has written as many seizures as they
knew of: about log2(growth) times, each sampling at most 30,000 rows of a table. SKIP_LOCKED: an ANALYZE holds its lock
until the commit, so a second import running at the same time skips the tables instead of waiting for the first.
SQLite plans the same statements with its indexes without statistics: nothing is done there.
"""

from __future__ import annotations

from sqlalchemy import text

# the tables an import writes and then reads by key (search_pending is keyed by its primary key alone)
TABLES = ("operation", "seizure", "person", "vehicle", "identifierkey", "operationagency", "seizurelink")
_ANALYZE = text(f"ANALYZE (SKIP_LOCKED) {', '.join(TABLES)}")
_KNOWN = text("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'seizure'::regclass")


class Statistics:
    def __init__(self, connection, least: int):
        self.connection, self.least = connection, least  # least: seizures written before the first ANALYZE
        self.on = connection.dialect.name == "postgresql"
        self.known = self._known() if self.on else 0  # seizures the statistics know of
        self.since = 0  # seizures written since they were made

    def wrote(self, seizures: int) -> None:
        """`seizures` more were written: analyse once the statistics know of half the table or less."""
        if not self.on:
            return
        self.since += seizures
        if self.since >= max(self.known, self.least):
            self.connection.execute(_ANALYZE)
            self.known, self.since = self._known(), 0

    def _known(self) -> int:
        return int(self.connection.execute(_KNOWN).scalar() or 0)
