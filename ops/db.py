"""Engine and the per-request session.

One engine per application; one session per request, opened on first use and
closed at teardown. Services commit; a request that fails is rolled back.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from ops import normalize


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # LIFO: the connection used last is handed out next, its page cache and file mapping warm
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, pool_use_lifo=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # JIT compiling a search's plan costs ~30 ms, more than it saves on queries that run well under a second
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args={"options": "-c jit=off"})


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer writes; foreign keys are off by
    # default in SQLite; the busy timeout waits for a lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # searches read far and wide: map the file instead of copying pages through
    # read(), keep more pages per connection, and sort in memory
    cursor.execute("PRAGMA mmap_size=2147418112")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()
    # used by the search index's triggers (migration 0004)
    dbapi_connection.create_function("search_redact", 2, normalize.without_identities, deterministic=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def init_app(app: Flask) -> None:
    app.extensions["ops_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["ops_engine"]


def session() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    if exc is not None:
        db_session.rollback()
    db_session.close()
