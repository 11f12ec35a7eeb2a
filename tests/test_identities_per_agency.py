"""Identities shared per reader agency: partner A with identities, partner B without; agency/all records
with "identities to all readers" and named exceptions; what migration 0005 makes of existing records."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, select, text
from sqlmodel import Session

from ops import policy
from ops.db import make_engine
from ops.migrate import downgrade, upgrade
from ops.models import Operation, OperationIdentityGrant, OperationShare, Person, Revision, Seizure
from tests.support.accounts import login
from tests.support.databases import BASE_URL, ON_POSTGRES
from tests.support.op_forms import form_values

NAME, DOCUMENT = "Tolib Qurbonov", "FA1234567"


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, mia, sbs, ssb = (make_agency(code) for code in ("SCC", "MIA", "SBS", "SSB"))
    team = make_team("IMT-TER")
    users = {code: make_user(agency, role="analyst") for code, agency in (("SCC", scc), ("MIA", mia), ("SBS", sbs))}
    users["lead"] = make_user(scc, role="lead", teams=[team])
    return SimpleNamespace(agencies=(scc, mia, sbs, ssb), team=team, users=users, db=db, make=make_operation)


def _with_person(db, operation):
    db.add(
        Person(
            operation_id=operation.id,
            full_name=NAME,
            name_norm=NAME.upper(),
            document_number=DOCUMENT,
            document_norm=DOCUMENT,
        )
    )
    db.commit()
    return operation


def _sees_identities(app, user, operation_id: int) -> bool:
    client = app.test_client()
    assert login(client, user).status_code == 302
    page = client.get(f"/operations/{operation_id}")
    assert page.status_code == 200
    return NAME in page.get_data(as_text=True)


def _clauses_agree(db, user, operation_id: int) -> bool:
    """persons_clause on the operation and seizure_persons_clause on its seizures' copies say the same."""
    on_operation = db.execute(
        select(Operation.id).where(Operation.id == operation_id, policy.persons_clause(user))
    ).first()
    on_seizures = {
        row[0]
        for row in db.execute(
            select(Seizure.id).where(Seizure.operation_id == operation_id, policy.seizure_persons_clause(user))
        )
    }
    all_seizures = {row[0] for row in db.execute(select(Seizure.id).where(Seizure.operation_id == operation_id))}
    assert on_seizures in (set(), all_seizures)
    assert (on_operation is not None) == (on_seizures == all_seizures)
    return on_operation is not None


def test_partner_a_with_identities_partner_b_without(app, world):
    scc, mia, sbs, _ssb = world.agencies
    op = _with_person(world.db, world.make(scc, world.team, visibility="partners", partners=(mia, sbs)))
    share = world.db.get(OperationShare, (op.id, mia.id))
    share.persons = True
    world.db.commit()
    assert _sees_identities(app, world.users["MIA"], op.id)
    assert not _sees_identities(app, world.users["SBS"], op.id)
    assert _sees_identities(app, world.users["SCC"], op.id)
    for code, expected in (("MIA", True), ("SBS", False), ("SCC", True)):
        assert _clauses_agree(world.db, world.users[code], op.id) is expected


@pytest.mark.parametrize("visibility", ["agency", "all"])
def test_agency_and_all_records_give_identities_to_all_or_to_named_exceptions(app, world, visibility):
    scc, mia, sbs, _ssb = world.agencies
    op = _with_person(world.db, world.make(scc, world.team, visibility=visibility))
    world.db.add(OperationIdentityGrant(operation_id=op.id, agency_id=mia.id))
    world.db.commit()
    assert _clauses_agree(world.db, world.users["MIA"], op.id)
    assert not _clauses_agree(world.db, world.users["SBS"], op.id)
    if visibility == "all":  # only an `all` record is read by other agencies' analysts
        assert _sees_identities(app, world.users["MIA"], op.id)
        assert not _sees_identities(app, world.users["SBS"], op.id)
    stored = world.db.get(Operation, op.id)
    stored.share_persons = True
    world.db.commit()
    assert _clauses_agree(world.db, world.users["SBS"], op.id)


def test_a_share_row_flag_does_not_count_on_an_all_record(world):
    """Per-partner flags are for `partners` records; an `all` record goes by its own switch and exceptions."""
    scc, mia, _sbs, _ssb = world.agencies
    op = world.make(scc, world.team, visibility="all", partners=(mia,))
    world.db.get(OperationShare, (op.id, mia.id)).persons = True
    world.db.commit()
    assert not _clauses_agree(world.db, world.users["MIA"], op.id)


def _identity_ticks(client, operation_id: int):
    page = client.get(f"/operations/{operation_id}").get_data(as_text=True)
    return form_values(page, "visibility-form").get("persons_agencies")


def test_the_sharing_form_sets_identities_per_agency_and_the_history_says_so(app, world):
    scc, mia, sbs, _ssb = world.agencies
    op = _with_person(world.db, world.make(scc, world.team, visibility="partners", partners=(mia, sbs)))
    client = app.test_client()
    assert login(client, world.users["lead"]).status_code == 302
    data = {
        "visibility": "partners",
        "share_agencies": [str(mia.id), str(sbs.id)],
        "persons_agencies": [str(mia.id)],
        "version": str(op.version),
    }
    assert client.post(f"/operations/{op.id}/visibility", data=data).status_code == 302
    world.db.expire_all()
    flags = dict(world.db.execute(select(OperationShare.agency_id, OperationShare.persons)).all())
    assert flags == {mia.id: True, sbs.id: False}
    revision = world.db.execute(select(Revision).where(Revision.action == "visibility")).scalars().one()
    assert {"field": "persons_shares", "old": [], "new": ["MIA"]} in json.loads(revision.changes)
    page = client.get(f"/operations/{op.id}").get_data(as_text=True)
    assert "Partner agencies given identities" in page and "Identities of persons go to: Agency MIA." in page
    assert _identity_ticks(client, op.id) == str(mia.id)  # the record page's sharing form ticks the partner
    assert _sees_identities(app, world.users["MIA"], op.id) and not _sees_identities(app, world.users["SBS"], op.id)
    # an `all` record: identities not for all readers, SBS named as the exception
    data = {"visibility": "all", "persons_agencies": [str(sbs.id)], "version": "2"}
    assert client.post(f"/operations/{op.id}/visibility", data=data).status_code == 302
    world.db.expire_all()
    grants = world.db.execute(select(OperationIdentityGrant.agency_id)).scalars().all()
    assert grants == [sbs.id]
    assert _sees_identities(app, world.users["SBS"], op.id) and not _sees_identities(app, world.users["MIA"], op.id)
    assert _identity_ticks(client, op.id) == str(sbs.id)  # the record page's sharing form ticks the exception


def test_the_api_names_the_agencies_that_get_identities(api_as, world):
    scc, mia, sbs, _ssb = world.agencies
    op = _with_person(world.db, world.make(scc, world.team, visibility="partners", partners=(mia, sbs)))
    world.db.get(OperationShare, (op.id, mia.id)).persons = True
    world.db.commit()
    mine = api_as(world.users["MIA"]).get(f"/api/v1/operations/{op.id}").get_json()
    theirs = api_as(world.users["SBS"]).get(f"/api/v1/operations/{op.id}").get_json()
    assert mine["identities_shared_with"] == ["MIA"] and mine["persons"][0]["full_name"] == NAME
    assert theirs["persons_withheld"] is True and theirs["persons"] is None


# --- migration 0005 on records written before it ------------------------------------------------


@pytest.fixture
def at_0004(tmp_path):
    """A database of its own, migrated up to 0004 (the schema before identities per agency)."""
    if ON_POSTGRES:
        name = BASE_URL.rsplit("/", 1)[1].split("?")[0] + "_mig0005"
        admin = create_engine(BASE_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = BASE_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    upgrade(url, "0004")
    yield url
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


OLD_ROWS = [  # id, visibility, share_persons, shared with agencies
    (1, "partners", True, (2, 3)),
    (2, "partners", False, (2,)),
    (3, "all", True, ()),
    (4, "all", False, ()),
]


def _old_records(engine) -> None:
    now = "2025-05-01 08:00:00+00:00"
    with engine.begin() as conn:
        for agency_id, code in ((1, "SCC"), (2, "MIA"), (3, "SBS")):
            conn.execute(
                text("INSERT INTO agency (id, code, name, created_at) VALUES (:i, :c, :c, :t)"),
                {"i": agency_id, "c": code, "t": now},
            )
        conn.execute(
            text("INSERT INTO team (id, code, name, kind, created_at) VALUES (1, 'T', 'T', 'imt', :t)"), {"t": now}
        )
        for op_id, visibility, share_persons, shares in OLD_ROWS:
            conn.execute(
                text(
                    "INSERT INTO operation (id, title, op_type, started_at, place_name, region, narrative, visibility, "
                    "share_persons, ref, status, owner_agency_id, owner_team_id, version, created_at, updated_at) "
                    "VALUES (:i, 't', 'checkpoint_inspection', :t, 'p', '', '', :v, :s, :r, 'approved', 1, 1, 1, :t, :t)"  # noqa: E501
                ),
                {"i": op_id, "t": now, "v": visibility, "s": share_persons, "r": f"R-{op_id}"},
            )
            for agency_id in shares:
                conn.execute(
                    text("INSERT INTO operationshare (operation_id, agency_id) VALUES (:o, :a)"),
                    {"o": op_id, "a": agency_id},
                )
            conn.execute(
                text(
                    "INSERT INTO seizure (operation_id, owner_agency_id, occurred_at, category, commodity, quantity, "
                    "unit, concealment, concealment_detail, conveyance, detection, transit_countries, created_at) "
                    "VALUES (:o, 1, :t, 'drugs', 'heroin', 1, 'kg', 'other', '', 'truck', 'x_ray', '', :t)"
                ),
                {"o": op_id, "t": now},
            )


def test_migration_keeps_the_meaning_of_existing_records_and_the_copies_follow(at_0004):
    engine = make_engine(at_0004)
    try:
        _old_records(engine)
        upgrade(at_0004, "0005")
        with Session(engine) as db:
            flags = set(
                db.execute(select(OperationShare.operation_id, OperationShare.agency_id, OperationShare.persons))
            )
            assert flags == {(1, 2, True), (1, 3, True), (2, 2, False)}
        upgrade(at_0004, "head")  # today's policy reads tables of later revisions (access grants)
        with Session(engine) as db:
            mia, sbs = SimpleNamespace(agency_id=2), SimpleNamespace(agency_id=3)
            for reader in (mia, sbs):
                with_identities = set(db.execute(select(Operation.id).where(policy.persons_clause(reader))).scalars())
                assert with_identities == {1, 3}
                seizures = db.execute(
                    select(Seizure.operation_id).where(policy.seizure_persons_clause(reader))
                ).scalars()
                assert set(seizures) == with_identities
            assert set(db.execute(select(Seizure.op_handling_code)).scalars()) == {"H0"}
            db.execute(text("UPDATE operation SET handling_code = 'H2' WHERE id = 2"))
            db.commit()
            copies = dict(db.execute(select(Seizure.operation_id, Seizure.op_handling_code)).all())
            assert copies == {1: "H0", 2: "H2", 3: "H0", 4: "H0"}
        downgrade(at_0004, "0004")  # and back, leaving 0004's triggers as they were
        with engine.begin() as conn:
            conn.execute(text("UPDATE operation SET status = 'draft' WHERE id = 1"))
            assert conn.execute(text("SELECT op_status FROM seizure WHERE operation_id = 1")).scalar() == "draft"
    finally:
        engine.dispose()
