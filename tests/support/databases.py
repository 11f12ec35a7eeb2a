"""Which database the tests run on, and emptying a PostgreSQL test database between tests."""

from __future__ import annotations

import gc
import os

from sqlalchemy import create_engine, text

from ops import place_seed

BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgresql")


def empty_postgres(url: str) -> None:
    """Empty every table as a fresh migration leaves it, sequences restarted, places seeded.

    DELETE, then VACUUM, of only the tables holding rows: a TRUNCATE of all ~50 tables makes new files for
    each table and index, ~0.6 s a test, a third of the PostgreSQL suite's time. VACUUM keeps the deleted
    rows from piling up over a session on a cluster without autovacuum (CI's has it off)."""
    # Connections a previous test left in reference cycles are finalised now, while their
    # server processes live: finalised later, after pg_terminate_backend below, their failed
    # rollback is logged from inside whatever the interpreter is doing, and Python 3.11's
    # traceback formatting (ast.parse) nested in another ast.parse raises "AST constructor
    # recursion depth mismatch" (CPython gh-106905), failing an unrelated test.
    gc.collect()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        # a connection a previous test left in a transaction (an unread stream) would block the DELETEs
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        filled = _tables_with_rows(conn)
        # replica role skips the audit trail's append-only triggers and the foreign keys, for tests' clean-up only
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in filled:
            conn.execute(text(f'DELETE FROM "{table}"'))
        _restart_sequences(conn)
        conn.execute(text("INSERT INTO audithead (id, seq, last_hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
        _seed_places(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM " + ", ".join(f'"{table}"' for table in {*filled, "audithead", "place"})))
    engine.dispose()


def _tables_with_rows(conn) -> list[str]:
    tables = [
        r[0]
        for r in conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
        )
    ]
    probes = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    return [r[0] for r in conn.execute(text(probes))]


def _restart_sequences(conn) -> None:
    """As TRUNCATE ... RESTART IDENTITY: the next id of every table is 1 (a sequence never used has no last value)."""
    used = [
        r[0]
        for r in conn.execute(
            text(
                "SELECT quote_ident(sequencename) FROM pg_sequences "
                "WHERE schemaname='public' AND last_value IS NOT NULL"
            )
        )
    ]
    if used:
        conn.execute(text("SELECT " + ", ".join(f"setval('{s}', 1, false)" for s in used)))


def _seed_places(conn) -> None:
    """The register of places as migration 0011 leaves it (SQLite's tests copy a freshly migrated file)."""
    rows = place_seed.register_rows()
    columns = ", ".join(rows[0])
    values = ", ".join(f":{key}" for key in rows[0])
    conn.execute(text(f"INSERT INTO place ({columns}) VALUES ({values})"), rows)


def pg_admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def read_only_url(url: str) -> str:
    """The same database through a connection that refuses every write, as a streaming replica does: SQLite
    opened read-only (`mode=ro`), PostgreSQL with read-only transactions (a hot standby's very error)."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url + ("&" if "?" in url else "?") + "options=-c%20default_transaction_read_only%3Don"
