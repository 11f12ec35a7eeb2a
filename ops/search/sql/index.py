"""The search index is kept in step by database triggers (0004; on SQLite 0019_fts_lean); bulk writers may defer it.

Every write through any path (forms, API, importer) reindexes what it
touched, row by row. A bulk load does better to index once at its end:

    with searchindex.deferred(session.connection()):
        ... insert thousands of operations, seizures, persons, vehicles ...

Inside, the indexing triggers only note the operations they touch; leaving
the block indexes those operations in one pass, in the same transaction, so
no reader ever sees the records unindexed. The seizures' access copies
(policy.visible_seizures) are never deferred.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress

from sqlalchemy import text


def _set(connection, active: bool) -> None:
    # an upsert: the row exists from the migration on, but a wholesale TRUNCATE (tests) may have removed it
    connection.execute(
        text(
            "INSERT INTO search_bulk (id, active) VALUES (1, :active) "
            "ON CONFLICT (id) DO UPDATE SET active = excluded.active"
        ),
        {"active": active},
    )


@contextmanager
def deferred(connection):
    """Defer indexing to the end of the block (same transaction); on an error the flag is cleared too."""
    _set(connection, True)
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the caller rolls back; should it commit anyway, indexing is not left off
            _set(connection, False)
        raise
    _set(connection, False)
