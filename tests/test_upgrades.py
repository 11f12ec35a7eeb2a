"""Upgrades: a database at every earlier revision, holding data, upgraded to head keeps that data;
head downgrades to the revision before it and upgrades again without loss.

The data is written with the columns each revision has (read from the database itself), so the
test needs no change when a migration adds a column; it does when one renames a kept value.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from ops.db import make_engine
from ops.migrate import alembic_config, downgrade, head_revisions, upgrade
from tests.support.databases import BASE_URL, ON_POSTGRES, pg_admin_url

WHEN = datetime(2024, 5, 31, 9, 30, tzinfo=UTC)
# the values that matter, per table; other required columns get a filler of their type
ROWS = {
    "agency": {"id": 1, "code": "SCC", "name": "State Customs Committee"},
    "team": {"id": 1, "code": "IMT-TER", "name": "IMT Termez", "kind": "imt"},
    "user": {"id": 1, "username": "lead", "full_name": "Team Lead", "agency_id": 1, "role": "lead", "is_active": True},
    "operation": {
        "id": 1,
        "ref": "IMT-TER-2024-0001",
        "title": "Heroin in a fuel tank",
        "op_type": "checkpoint_inspection",
        "started_at": WHEN,
        "place_code": "AYRITOM",
        "place_name": "Ayritom (Termez bridge)",
        "region": "Surkhandarya",
        "lead_team_id": 1,
        "owner_agency_id": 1,
        "owner_team_id": 1,
        "status": "approved",
        "visibility": "agency",
        "narrative": "X-ray showed a false floor; upgrade canary",
        "version": 3,
    },
    "seizure": {
        "id": 1,
        "operation_id": 1,
        "occurred_at": WHEN,
        "category": "drugs",
        "commodity": "heroin",
        "quantity": Decimal("12.5"),
        "unit": "kg",
        "kg_equivalent": Decimal("12.5"),
        "conveyance": "truck",
        "concealment": "fuel_tank",
        "detection": "x_ray",
        "owner_agency_id": 1,
    },
    "person": {
        "id": 1,
        "operation_id": 1,
        "full_name": "Botir Akhmedov",
        "name_norm": "BOTIR AKHMEDOV",
        "role": "driver",
    },
    "vehicle": {"id": 1, "operation_id": 1, "plate": "01 A 123 BC", "plate_norm": "01A123BC"},
}


def _chain() -> list[str]:
    """Every revision from the first to head, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(""))
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def _filler(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.DateTime):
        return WHEN
    if isinstance(kind, sa.Date):
        return date(2024, 5, 31)
    if isinstance(kind, sa.Integer | sa.Numeric):
        return 0
    return "x"


def _insert_rows(engine) -> None:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        for name, wanted in ROWS.items():
            table = metadata.tables[name]
            row = {key: value for key, value in wanted.items() if key in table.c}
            for column in table.c:
                if column.name not in row and not column.nullable and column.server_default is None:
                    row[column.name] = _filler(column)
            conn.execute(table.insert().values(**row))
        if ON_POSTGRES:  # ids given explicitly: move the sequences past them
            for name in ROWS:
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), 1)"))


def _check_rows(engine) -> None:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        for name, wanted in ROWS.items():
            stored = (
                conn.execute(sa.select(metadata.tables[name]).where(metadata.tables[name].c.id == 1)).mappings().one()
            )
            for key, value in wanted.items():
                if key in stored:
                    got = stored[key]
                    if isinstance(value, datetime) and got.tzinfo is None:
                        got = got.replace(tzinfo=UTC)
                    assert got == value, (name, key, got, value)
        if "op_status" in metadata.tables["seizure"].c:  # 0004 copies the operation's columns onto seizures
            copied = conn.execute(
                sa.text("SELECT op_status, op_visibility, op_team_id FROM seizure WHERE id = 1")
            ).one()
            assert tuple(copied) == ("approved", "agency", 1)
            index = "seizure_fts" if engine.dialect.name == "sqlite" else "seizure_search"
            assert conn.execute(sa.text(f"SELECT count(*) FROM {index}")).scalar_one() == 1


@pytest.fixture
def empty_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    name = f"ops_upgrade_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_admin_url(BASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield BASE_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _current(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}


@pytest.mark.parametrize("start", _chain()[:-1])
def test_a_database_at_an_earlier_revision_upgrades_with_its_data(empty_url, start):
    upgrade(empty_url, start)
    engine = make_engine(empty_url)
    try:
        _insert_rows(engine)
        upgrade(empty_url)
        assert _current(engine) == set(head_revisions())
        _check_rows(engine)
    finally:
        engine.dispose()


def test_head_downgrades_to_the_revision_before_and_back(empty_url):
    chain = _chain()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        _insert_rows(engine)
        downgrade(empty_url, chain[-2])
        assert _current(engine) == {chain[-2]}
        _check_rows(engine)
        upgrade(empty_url)
        assert _current(engine) == set(head_revisions())
        _check_rows(engine)
    finally:
        engine.dispose()
