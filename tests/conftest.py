"""Fixtures: a migrated database per test (SQLite or PostgreSQL), the app, clients and factories.

The database comes from DATABASE_URL: unset -> SQLite; a postgresql URL ->
PostgreSQL, where each pytest worker gets its own database created from it.
The schema is always built by the Alembic migrations, never by create_all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

_SCRATCH = Path(tempfile.mkdtemp(prefix="ops-tests-"))
os.environ["OPS_INSTANCE_PATH"] = str(_SCRATCH / "instance")  # never touch the checkout's instance/

from sqlalchemy import create_engine, text
from sqlmodel import Session, select

from ops import clock
from ops.app import create_app
from ops.migrate import upgrade
from ops.models import Agency, Operation, OperationAgency, OperationShare, Seizure, Team, TeamMember, User
from tests.support.accounts import PASSWORD_HASH, login, token_client
from tests.support.databases import BASE_URL, ON_POSTGRES, empty_postgres, pg_admin_url


@pytest.fixture(scope="session")
def database_url():
    """A migrated database for this pytest worker."""
    if not ON_POSTGRES:
        template = _SCRATCH / "template.sqlite3"
        upgrade(f"sqlite:///{template}")
        yield f"sqlite:///{template}"
        return
    name = BASE_URL.rsplit("/", 1)[1].split("?")[0] + f"_{os.getpid()}"
    admin = create_engine(pg_admin_url(BASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = BASE_URL.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_sqlite(template_url: str, tmp_path: Path) -> str:
    target = tmp_path / "ops.sqlite3"
    shutil.copyfile(template_url.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def db_url(database_url, tmp_path) -> str:
    if ON_POSTGRES:
        empty_postgres(database_url)
        return database_url
    return _fresh_sqlite(database_url, tmp_path)


@pytest.fixture
def app_config(db_url, tmp_path) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": db_url,
        "SECRET_KEY": "tests-only-secret",
        "WTF_CSRF_ENABLED": False,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture
def app(app_config):
    application = create_app(app_config)
    yield application
    application.extensions["ops_engine"].dispose()


@pytest.fixture
def frozen_clock():
    """ops.clock stopped at a known moment; move it with frozen_clock.advance(minutes=...)."""

    clock.freeze(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC))
    yield clock
    clock.unfreeze()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session of its own (not the request's) for arranging and checking data."""
    with Session(app.extensions["ops_engine"], expire_on_commit=False) as session:
        yield session


# --- factories -------------------------------------------------------------------------


@pytest.fixture
def make_agency(db):
    def make(code: str = "SCC", name: str | None = None) -> Agency:
        found = db.exec(select(Agency).where(Agency.code == code)).first()
        if found:
            return found
        agency = Agency(code=code, name=name or f"Agency {code}")
        db.add(agency)
        db.commit()
        return agency

    return make


@pytest.fixture
def make_team(db):
    def make(code: str = "IMT-TER", name: str | None = None, kind: str = "imt") -> Team:
        found = db.exec(select(Team).where(Team.code == code)).first()
        if found:
            return found
        team = Team(code=code, name=name or f"Team {code}", kind=kind)
        db.add(team)
        db.commit()
        return team

    return make


@pytest.fixture
def make_user(db, make_agency):
    counter = iter(range(1, 10_000))

    def make(
        agency: Agency | str = "SCC",
        role: str = "officer",
        teams=(),
        username: str | None = None,
        is_sysadmin: bool = False,
        is_active: bool = True,
    ) -> User:
        if isinstance(agency, str):
            agency = make_agency(agency)
        user = User(
            username=username or f"{agency.code.lower()}-{role}-{next(counter)}",
            full_name=f"{role} of {agency.code}",
            role=role,
            agency_id=agency.id,
            is_sysadmin=is_sysadmin,
            is_active=is_active,
            password_hash=PASSWORD_HASH,
        )
        db.add(user)
        db.flush()
        for team in teams:
            db.add(TeamMember(team_id=team.id, user_id=user.id))
        db.commit()
        return user

    return make


@pytest.fixture
def make_operation(db):
    counter = iter(range(1, 100_000))

    def make(
        agency: Agency,
        team: Team,
        status: str = "approved",
        visibility: str = "agency",
        partners=(),
        title: str = "Joint inspection",
        narrative: str = "",
        # share_persons: identities to all readers; on a partners record, to each partner (as 0005 reads old records)
        share_persons: bool = False,
        seizures=(("heroin", "drugs", "1.5", "kg"),),
        started_at: datetime | None = None,
        place_name: str = "Ayritom (Termez bridge)",
    ) -> Operation:
        n = next(counter)
        started = started_at or datetime(2025, 5, 1, 8, 0, tzinfo=UTC) + timedelta(hours=n)
        operation = Operation(
            ref=f"{team.code}-{started.year}-{n:04d}",
            title=title,
            op_type="checkpoint_inspection",
            started_at=started,
            place_code="AYRITOM" if place_name == "Ayritom (Termez bridge)" else None,
            place_name=place_name,
            region="Surkhandarya",
            lead_team_id=team.id,
            narrative=narrative,
            status=status,
            visibility=visibility,
            share_persons=share_persons,
            owner_agency_id=agency.id,
            owner_team_id=team.id,
        )
        db.add(operation)
        db.flush()
        db.add(OperationAgency(operation_id=operation.id, agency_id=agency.id))
        for partner in partners:
            db.add(OperationAgency(operation_id=operation.id, agency_id=partner.id))
            db.add(OperationShare(operation_id=operation.id, agency_id=partner.id, persons=share_persons))
        for commodity, category, quantity, unit in seizures:
            db.add(
                Seizure(
                    operation_id=operation.id,
                    owner_agency_id=agency.id,
                    occurred_at=started,
                    category=category,
                    commodity=commodity,
                    quantity=Decimal(quantity),
                    unit=unit,
                    conveyance="truck",
                    concealment="false_floor",
                    detection="x_ray",
                )
            )
        db.commit()
        return operation

    return make


@pytest.fixture
def login_as(client):
    def do(user: User):
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


@pytest.fixture
def api_as(app):
    """api_as(user, read_only=False) -> a test client that sends a fresh personal token of `user` on every request."""

    def make(user: User, read_only: bool = False):
        return token_client(app, user, read_only)

    return make
