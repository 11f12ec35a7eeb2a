#!/usr/bin/env python3
"""FTS5 MATCH alone, on SQLite files side by side: the full-text index's own cost, without the pages around it.

    python -m bench.fts_bench bench-data/search-bench-20000.sqlite3 /tmp/other.sqlite3

Each query asks `seizure_fts` for the matching rowids, as the search backend does; the files are
read in alternating order, round after round, and the median CPU time of this process per query is
printed (CPU, not wall time: other jobs on a shared machine inflate the latter).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time

from ops import normalize

QUERIES = ['"heroin" AND "truck"', '"nazarov"', '"opium"*', '{body} : ("cannabis" AND "termez")']


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    # as ops.db registers it: the index's view needs it, should anything read the documents
    connection.create_function("search_redact", 2, normalize.without_identities, deterministic=True)
    return connection


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    connections = {path: _connect(path) for path in args.files}
    times: dict[tuple[str, str], list[float]] = {(p, q): [] for p in args.files for q in QUERIES}
    found: dict[tuple[str, str], int] = {}
    for round_ in range(args.rounds):
        order = list(connections.items())
        for path, connection in order if round_ % 2 else reversed(order):
            for query in QUERIES:
                started = time.process_time()
                rows = connection.execute(
                    "SELECT rowid FROM seizure_fts WHERE seizure_fts MATCH ?", (query,)
                ).fetchall()
                times[path, query].append((time.process_time() - started) * 1000)
                found[path, query] = len(rows)
    for query in QUERIES:
        print(query)
        for path in args.files:
            median = statistics.median(times[path, query])
            print(f"  {path}: {median:.2f} ms CPU (median of {args.rounds}), {found[path, query]:,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
