"""Which database the tests run on, and emptying a PostgreSQL test database between tests."""

from __future__ import annotations

import gc
import os

from sqlalchemy import create_engine, text

from ops import place_seed

BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgresql")


def truncate_postgres(url: str) -> None:
    # Connections a previous test left in reference cycles are finalised now, while their
    # server processes live: finalised later, after pg_terminate_backend below, their failed
    # rollback is logged from inside whatever the interpreter is doing, and Python 3.11's
    # traceback formatting (ast.parse) nested in another ast.parse raises "AST constructor
    # recursion depth mismatch" (CPython gh-106905), failing an unrelated test.
    gc.collect()
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
            )
        ]
        # a connection a previous test left in a transaction (an unread stream) would block TRUNCATE
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        # replica role skips the audit trail's append-only triggers, for tests' clean-up only
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO audithead (id, seq, last_hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
        _seed_places(conn)
    engine.dispose()


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
