"""A read of a search page that runs beside the page's other reads, on a connection of its own.

A search page's rows and its facet counts (a dashboard's two grouped queries)
are separate passes over the same matches. On a machine with more than one
core they run side by side and the page waits for the slower pass instead of
both: SQLite and psycopg release the GIL while the database works. The
background read sees the database as committed when it starts, like any
other request; it only ever reads, and its statement carries the policy's
visibility filter like every other.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import Select

# a few threads per server process: more would only queue on the cores
_READERS = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="ops-search-read")
# a grouped pass over many matches is split into this many ranges of ids, counted side by side
PARTS = min(2, os.cpu_count() or 1)


def start(db, stmt: Select) -> Future:
    """Run `stmt` now in the background; `.result()` gives its rows (or raises its error)."""
    engine = db.get_bind()

    def rows() -> list:
        with engine.connect() as connection:
            return connection.execute(stmt).all()

    return _READERS.submit(rows)
