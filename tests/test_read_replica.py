"""DATABASE_READ_URL: searches, dashboards, maps, lookups and exports read from the replica, and every write —
their audit events included — goes to the primary. The read URL here refuses writes as a standby does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError

from ops.models import AuditEvent, Vehicle
from tests.support.databases import read_only_url

PAGES = [
    "/search?q=heroin",
    "/search?commodity=heroin",
    "/search/dashboard?commodity=heroin",
    "/search/map?commodity=heroin",
    "/search/export/csv?commodity=heroin",
    "/search/export/xlsx?commodity=heroin",
    "/search/export/unodc?commodity=heroin",
    "/search/lookup?value=01A123BC",
    "/api/v1/search?q=heroin",
]


@pytest.fixture
def app_config(app_config, db_url):
    return app_config | {"DATABASE_READ_URL": read_only_url(db_url)}


@pytest.fixture
def replica(app):
    """What reached the read engine: every statement, in order."""
    engine = app.extensions["ops_read_engine"]
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement))
    yield engine, seen
    engine.dispose()


@pytest.fixture
def analyst(db, make_agency, make_team, make_user, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    operation = make_operation(
        scc, team, visibility="all", started_at=datetime(2024, 6, 1, 6, tzinfo=UTC), narrative="heroin in a tyre"
    )
    db.add(Vehicle(operation_id=operation.id, plate="01 A 123 BC", plate_norm="01A123BC"))
    db.commit()
    return make_user(scc, "analyst")


def test_the_read_url_refuses_writes(replica):
    engine, _seen = replica
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("UPDATE agency SET name = name"))


def _events(db) -> int:
    db.expire_all()
    return db.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


@pytest.mark.parametrize("path", PAGES)
def test_reads_go_to_the_replica_and_their_audit_event_to_the_primary(path, replica, analyst, login_as, db, api_as):
    _engine, seen = replica
    client = api_as(analyst) if path.startswith("/api/") else login_as(analyst)
    before = _events(db)
    seen.clear()
    response = client.get(path)
    body = response.get_data()  # a streamed export reads to its end
    assert response.status_code == 200, body[:300]
    wordless = path.startswith(("/search/export/xlsx", "/search/export/unodc", "/search/lookup"))
    assert wordless or b"heroin" in body.lower()
    assert any(statement.lstrip().upper().startswith(("SELECT", "WITH")) for statement in seen), "nothing read there"
    assert _events(db) > before  # the search or export was audited, on the primary


def test_without_a_read_url_everything_uses_the_one_database(app_config, login_as, analyst):
    from ops.app import create_app

    application = create_app(app_config | {"DATABASE_READ_URL": ""})
    assert application.extensions["ops_read_engine"] is None
    application.extensions["ops_engine"].dispose()
