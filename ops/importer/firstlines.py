"""The line on which each seizure_id of a file first appears, kept on disk while the file is checked.

A million-row file has a million keys: as a dict of strings and line numbers they took ~150 MB of the
process's memory, and that memory stayed with the process after the check (the strings sat between the
plan's own objects, so the allocator could give back few of its pages). A temporary SQLite file holds them
instead, with a small page cache: the memory no longer grows with the file, and it is deleted when closed.
"""

from __future__ import annotations

import sqlite3

CACHE_KIB = 8 * 1024


class FirstLines:
    """first_line(key, line): the line where `key` was first seen, `line` itself when it is new."""

    def __init__(self) -> None:
        # "" is a temporary on-disk database of SQLite's own, removed on close
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")
        self._db.execute("BEGIN")

    def first_line(self, key: str, line: int) -> int:
        added = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, line)).rowcount
        if added:
            return line
        return self._db.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()[0]

    def close(self) -> None:
        self._db.close()
