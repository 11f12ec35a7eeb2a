"""Engines and the per-request sessions.

One engine per application, and a second one for reads when DATABASE_READ_URL
names a streaming replica; one session per request, opened on first use and
closed at teardown. Services commit; a request that fails is rolled back.

`read_session()` is where searches, dashboards, maps and exports read: the
replica's session when there is one, else the request's own session (the same
transaction, nothing changes). Nothing is ever written through it: the audit
events of those reads go through `session()`, to the primary.
"""

from __future__ import annotations

import json

from flask import Flask, current_app, g
from sqlalchemy import ARRAY, ColumnElement, CompoundSelect, Select, any_, event, func, literal, select
from sqlalchemy.engine import Engine, make_url
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
    # JIT compiling a search's plan costs ~30 ms, more than it saves on queries that run well under a second.
    # psycopg prepares a statement run five times on a connection, and PostgreSQL then plans it once for any
    # parameters ("generic plan") after five more: the programme report's grouped statements went from 0.7 s
    # to 10-20 s so. Always planned for the values at hand. Options the URL carries itself (`?options=-c ...`)
    # are kept beside these.
    ours = "-c jit=off -c plan_cache_mode=force_custom_plan"
    options = " ".join(filter(None, [make_url(url).query.get("options"), ours]))
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args={"options": options})


WAL_SIZE_LIMIT = 64 * 1024 * 1024


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer writes; foreign keys are off by
    # default in SQLite; the busy timeout waits for a lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # a long transaction (an import) grows the WAL to its size; once checkpointed it shrinks back to this
    cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
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


def among(db: Session, column, ids) -> ColumnElement[bool]:
    """`column IN ids` for many ids: a batch of them (an export's 2,000 operations) or a SELECT of them. On
    PostgreSQL they are one array, `column = ANY(...)`. A list as IN would be a placeholder per id, which
    psycopg converts one by one (8 ms per statement of 2,000 ids, longer than the statement runs); a SELECT as
    IN lets the planner hash the whole table on the other side when it misjudges how many ids come (the
    teams page scanned every visible operation so). On SQLite a list is one JSON text read by json_each, for
    the same reason (2,000 placeholders cost twice the statement); SQLite builds a b-tree of the ids once and
    probes it."""
    if isinstance(ids, Select | CompoundSelect):
        if db.get_bind().dialect.name == "postgresql":
            return column == any_(func.array(ids.scalar_subquery()))
        return column.in_(ids)
    ids = list(ids)
    if db.get_bind().dialect.name == "postgresql":
        return column == any_(literal(ids, ARRAY(column.type)))
    return column.in_(select(func.json_each(json.dumps(ids)).table_valued("value").c.value))


def init_app(app: Flask) -> None:
    app.extensions["ops_engine"] = make_engine(app.config["DATABASE_URL"])
    read_url = app.config.get("DATABASE_READ_URL")
    app.extensions["ops_read_engine"] = make_engine(read_url) if read_url else None
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["ops_engine"]


def read_engine() -> Engine:
    """The replica's engine when DATABASE_READ_URL is set, else the primary's."""
    return current_app.extensions.get("ops_read_engine") or engine()


def session() -> Session:
    """The request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def read_session() -> Session:
    """Where a search, dashboard, map or export reads: the replica's session (created on first use), or the
    request's own session when there is no replica. Never write through it."""
    if current_app.extensions.get("ops_read_engine") is None:
        return session()
    if "db_read_session" not in g:
        g.db_read_session = Session(read_engine(), expire_on_commit=False)
    return g.db_read_session


def _close_session(exc: BaseException | None) -> None:
    for name in ("db_read_session", "db_session"):
        db_session = g.pop(name, None)
        if db_session is None:
            continue
        if exc is not None:
            db_session.rollback()
        db_session.close()
