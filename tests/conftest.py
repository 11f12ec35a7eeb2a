"""Fixtures: a migrated database per test (SQLite or PostgreSQL), the app, clients and factories.

The database comes from DATABASE_URL: unset -> SQLite; a postgresql URL ->
PostgreSQL, where each pytest worker gets its own database created from it.
The schema is always built by the Alembic migrations, never by create_all.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

_SCRATCH = Path(tempfile.mkdtemp(prefix="ops-tests-"))
os.environ["OPS_INSTANCE_PATH"] = str(_SCRATCH / "instance")  # never touch the checkout's instance/

from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from ops import (
    create_app,  # noqa: E402
    passwords,  # noqa: E402
)
from ops.migrate import upgrade  # noqa: E402
from ops.models import (
    Agency,
    Operation,
    OperationAgency,
    OperationShare,
    Seizure,
    Team,  # noqa: E402
    TeamMember,
    User,
)

PASSWORD = "blue-Harbour-lantern-42"
_PASSWORD_HASH = passwords.hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose
BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgresql")


def _pg_admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


@pytest.fixture(scope="session")
def database_url():
    """A migrated database for this pytest worker."""
    if not ON_POSTGRES:
        template = _SCRATCH / "template.sqlite3"
        upgrade(f"sqlite:///{template}")
        yield f"sqlite:///{template}"
        return
    name = BASE_URL.rsplit("/", 1)[1].split("?")[0] + f"_{os.getpid()}"
    admin = create_engine(_pg_admin_url(BASE_URL), isolation_level="AUTOCOMMIT")
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


def _truncate_postgres(url: str) -> None:
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
    engine.dispose()


@pytest.fixture
def db_url(database_url, tmp_path) -> str:
    if ON_POSTGRES:
        _truncate_postgres(database_url)
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
    from ops import clock

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
            password_hash=_PASSWORD_HASH,
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
        share_persons: bool = False,
        seizures=(("heroin", "drugs", "1.5", "kg"),),
        started_at: datetime | None = None,
    ) -> Operation:
        n = next(counter)
        started = started_at or datetime(2025, 5, 1, 8, 0, tzinfo=UTC) + timedelta(hours=n)
        operation = Operation(
            ref=f"{team.code}-{started.year}-{n:04d}",
            title=title,
            op_type="checkpoint_inspection",
            started_at=started,
            place_code="AYRITOM",
            place_name="Ayritom (Termez bridge)",
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
            db.add(OperationShare(operation_id=operation.id, agency_id=partner.id))
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


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # known secret for test users who need two-factor sign-in


def second_factor_code(app, user: User) -> str:
    """Enrol `user` with TOTP_SECRET if needed and return a code the server will accept now.

    The last accepted step is forgotten first, so that a test may sign the same
    user in several times within 30 seconds (replay is tested in test_two_factor).
    """
    from ops.auth import totp

    with Session(app.extensions["ops_engine"]) as session:
        stored = session.get(User, user.id)
        if not stored.totp_enabled:
            stored.totp_secret, stored.totp_enabled = TOTP_SECRET, True
        stored.totp_last_counter = None
        session.add(stored)
        session.commit()
        return totp.code_at(stored.totp_secret)


def login(client, user: User, password: str = PASSWORD):
    """Sign in; for users who need two-factor sign-in, also the second step with a valid code."""
    from ops.auth.two_factor import required_for

    app = client.application
    if required_for(user, app.config):
        second_factor_code(app, user)  # enrolled before the password step, so it asks for a code
    response = client.post("/login", data={"username": user.username, "password": password})
    if response.status_code == 302 and response.headers["Location"].startswith("/two-factor"):
        response = client.post("/two-factor", data={"code": second_factor_code(app, user)})
    return response


@pytest.fixture
def login_as(client):
    def do(user: User):
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


@pytest.fixture
def api_as(app):
    """api_as(user) -> a test client that sends a fresh personal token of `user` on every request."""
    from ops.api.tokens import create_token

    def make(user: User, read_only: bool = False):
        with app.test_request_context():
            _token, clear = create_token(user, "test", 30, read_only)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
        return client

    return make
