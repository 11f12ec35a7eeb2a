"""The SQLite file's write-ahead log does not keep the size of the largest transaction (an import) on disk."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ops import db as database


def test_the_wal_shrinks_back_after_a_large_transaction(tmp_path, monkeypatch, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write-ahead log")
    monkeypatch.setattr(database, "WAL_SIZE_LIMIT", 64 * 1024)
    engine = database.make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    wal = tmp_path / "wal.sqlite3-wal"
    try:
        with engine.begin() as connection:  # a server connection stays open throughout, as in `ops serve`
            connection.execute(text("CREATE TABLE t (x BLOB)"))
        with engine.begin() as connection:  # an import's one large transaction
            rows = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)"
            connection.execute(text(rows + " INSERT INTO t SELECT randomblob(1000) FROM n"))
        grown = wal.stat().st_size
        with engine.begin() as connection:  # the next small write, e.g. an audit event
            connection.execute(text("INSERT INTO t VALUES (x'00')"))
        assert grown > 4_000_000  # beyond the 1,000 pages at which SQLite checkpoints on its own
        assert wal.stat().st_size <= 64 * 1024
    finally:
        engine.dispose()
