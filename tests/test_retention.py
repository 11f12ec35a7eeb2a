"""Retention of personal data (issue 21): `ops retention apply` and legal holds.

Old approved records lose their persons' identities — in the persons' fields, in
every free text and in the revisions — and keep their counts; held records,
recent records and drafts keep everything; a dry run writes nothing; a second
run finds nothing to do.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from ops import normalize, retention
from ops.models import AuditEvent, AuditHead, IdentifierKey, Operation, Person, PersonIdentityHash, Revision, Seizure
from tests.support.accounts import login

NAME, DOCUMENT, BORN = "Javlon Ismoilov", "AB 1234567", date(1990, 3, 5)
STORY = "Javlon Ismoilov (passport AB1234567, born 05.03.1990) drove the truck; Ismoilovning sumkasi."
OLD = datetime(2015, 6, 1, 8, 0, tzinfo=UTC)


def _person(db, operation, name=NAME, document=DOCUMENT, born=BORN):
    person = Person(
        operation_id=operation.id,
        full_name=name,
        name_norm=normalize.name(name),
        document_type="passport",
        document_number=document,
        document_norm=normalize.identifier(document),
        birth_date=born,
        role="driver",
        arrested=True,
    )
    db.add(person)
    db.flush()
    return person


def _record(world, started_at, status="approved", name=NAME, document=DOCUMENT):
    operation = world.make(
        world.scc, world.team, status=status, started_at=started_at, narrative=STORY, title=f"Heroin from {name}"
    )
    stored = world.db.get(Operation, operation.id)
    person = _person(world.db, stored, name, document)
    seizure = world.db.scalars(select(Seizure).where(Seizure.operation_id == stored.id)).one()
    seizure.concealment_detail = f"in {name}'s bag"
    snapshot = {"full_name": name, "birth_date": BORN.isoformat(), "document_number": document, "role": "driver"}
    world.db.add(
        Revision(
            operation_id=stored.id,
            action="amend",
            reason=f"{name} added",
            changes=json.dumps(
                [
                    {"field": f"person:{person.id}", "old": None, "new": snapshot},
                    {"field": "narrative", "old": "", "new": STORY},
                ],
                ensure_ascii=False,
            ),
        )
    )
    world.db.commit()
    return stored


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, mia = make_agency("SCC"), make_agency("MIA")
    team = make_team("IMT-TER")
    app.config["RETENTION_YEARS"] = 5
    app.config["RETENTION_KEEP_HASHES"] = False
    w = SimpleNamespace(
        app=app,
        db=db,
        scc=scc,
        team=team,
        make=make_operation,
        supervisor=make_user(scc, role="supervisor"),
        lead=make_user(scc, role="lead", teams=[team]),
        mia_supervisor=make_user(mia, role="supervisor"),
    )
    w.old = _record(w, OLD)
    w.recent = _record(w, datetime.now(UTC).replace(microsecond=0), name="Aziz Karimov", document="CD 7654321")
    w.draft = _record(w, OLD, status="draft", name="Bobur Toshev", document="EF 1112223")
    w.held = _record(w, OLD, name="Dilshod Rahimov", document="GH 4445556")
    held = db.get(Operation, w.held.id)
    held.legal_hold, held.legal_hold_reason = True, "Court case 12/2026"
    db.commit()
    return w


def _state(db) -> dict:
    """Everything retention may touch, as stored."""
    db.expire_all()
    return {
        "persons": [
            (p.id, p.full_name, p.document_number, p.birth_date) for p in db.scalars(select(Person).order_by(Person.id))
        ],
        "operations": [
            (o.id, o.title, o.narrative, o.version, o.identities_removed_at)
            for o in db.scalars(select(Operation).order_by(Operation.id))
        ],
        "revisions": [(r.id, r.reason, r.changes) for r in db.scalars(select(Revision).order_by(Revision.id))],
        "seizures": [
            (s.id, s.quantity, s.concealment_detail) for s in db.scalars(select(Seizure).order_by(Seizure.id))
        ],
        "audit_head": db.get(AuditHead, 1).seq,
        "hashes": db.scalar(select(func.count()).select_from(PersonIdentityHash)),
    }


def _run(runner, *args):
    return runner.invoke(args=["retention", "apply", *args])


def test_dry_run_lists_what_is_due_and_writes_nothing(world, runner):
    before = _state(world.db)
    result = _run(runner)
    assert result.exit_code == 0, result.output
    assert "1 due (1 persons)" in result.output
    assert "1 kept under a legal hold" in result.output
    assert "dry run: nothing written" in result.output
    assert _state(world.db) == before


def test_apply_removes_identities_from_fields_texts_and_revisions(world, runner):
    persons_before = world.db.scalar(select(func.count()).select_from(Person))
    seizures_before = _state(world.db)["seizures"]
    result = _run(runner, "--apply")
    assert result.exit_code == 0, result.output
    assert "identities removed from 1 records" in result.output
    world.db.expire_all()

    person = world.db.scalars(select(Person).where(Person.operation_id == world.old.id)).one()
    assert (person.full_name, person.document_number, person.document_norm, person.birth_date) == (
        retention.MARKER,
        None,
        None,
        None,
    )
    assert person.role == "driver" and person.arrested  # the counts of persons detained stay
    operation = world.db.get(Operation, world.old.id)
    for text in (operation.title, operation.narrative):
        for leaked in ("Javlon", "Ismoilov", "AB1234567", "05.03.1990"):
            assert leaked not in text
    assert "drove the truck" in operation.narrative and operation.identities_removed_at is not None
    seizure = world.db.scalars(select(Seizure).where(Seizure.operation_id == world.old.id)).one()
    assert "Ismoilov" not in seizure.concealment_detail
    revision = world.db.scalars(select(Revision).where(Revision.operation_id == world.old.id)).one()
    assert "Ismoilov" not in revision.changes + revision.reason
    assert "AB 1234567" not in revision.changes and "1990-03-05" not in revision.changes
    person_change = json.loads(revision.changes)[0]["new"]
    assert person_change["full_name"] == retention.MARKER and person_change["role"] == "driver"

    # counts and seizures unchanged
    assert world.db.scalar(select(func.count()).select_from(Person)) == persons_before
    assert [(i, q) for i, q, _d in _state(world.db)["seizures"]] == [(i, q) for i, q, _d in seizures_before]


def test_a_removed_name_or_document_no_longer_finds_the_record(world, runner):
    client = _client(world.app, world.supervisor)
    for query in ("Ismoilov", "AB1234567"):
        assert world.old.ref in client.get(f"/search?q={query}").get_data(as_text=True)
    assert _run(runner, "--apply").exit_code == 0
    for query in ("Ismoilov", "AB1234567"):
        page = client.get(f"/search?q={query}").get_data(as_text=True)
        assert world.old.ref not in page and world.held.ref in page


def test_held_recent_and_draft_records_keep_their_identities(world, runner):
    assert _run(runner, "--apply").exit_code == 0
    world.db.expire_all()
    kept = ((world.held, "Dilshod Rahimov"), (world.recent, "Aziz Karimov"), (world.draft, "Bobur Toshev"))
    for record, name in kept:
        person = world.db.scalars(select(Person).where(Person.operation_id == record.id)).one()
        assert person.full_name == name and person.document_number and person.birth_date == BORN
        operation = world.db.get(Operation, record.id)
        assert "Ismoilov" in operation.narrative and operation.identities_removed_at is None


def test_each_record_gets_an_audit_event_and_a_second_run_does_nothing(world, runner):
    assert _run(runner, "--apply").exit_code == 0
    events = world.db.scalars(select(AuditEvent).where(AuditEvent.action == "retention_apply")).all()
    assert [(e.object_type, e.object_id, e.object_agency_id) for e in events] == [
        ("operation", str(world.old.id), world.scc.id)
    ]
    assert json.loads(events[0].detail)["persons"] == 1
    after_first = _state(world.db)
    again = _run(runner, "--apply")
    assert again.exit_code == 0 and "0 due" in again.output
    assert _state(world.db) == after_first


def test_keyed_hashes_are_kept_only_when_the_setting_says_so(world, runner):
    assert _run(runner, "--apply").exit_code == 0
    assert _state(world.db)["hashes"] == 0

    world.app.config["RETENTION_KEEP_HASHES"] = True
    other = _record(world, OLD, name="Sardor Aliev", document="JK 9998887")
    assert _run(runner, "--apply").exit_code == 0
    person = world.db.scalars(select(Person).where(Person.operation_id == other.id)).one()
    rows = world.db.scalars(select(PersonIdentityHash).where(PersonIdentityHash.person_id == person.id))
    kept = {h.kind: h.hash for h in rows}
    secret = world.app.config["SECRET_KEY"]
    assert kept == {
        "name": retention.identifier_hash(secret, "name", "SARDOR ALIEV"),
        "document": retention.identifier_hash(secret, "document", "JK9998887"),
        "birth_date": retention.identifier_hash(secret, "birth_date", "1990-03-05"),
    }
    assert retention.identifier_hash("another key", "document", "JK9998887") != kept["document"]


def test_records_under_an_access_request_are_kept(world, runner, monkeypatch):
    requested = select(Operation.id).where(Operation.id == world.old.id)
    monkeypatch.setattr(retention, "under_access_request", lambda: requested)
    result = _run(runner, "--apply")
    assert "0 due" in result.output and "1 kept for an open access request" in result.output
    world.db.expire_all()
    assert world.db.scalars(select(Person).where(Person.operation_id == world.old.id)).one().full_name == NAME


def test_without_a_retention_period_the_command_refuses(world, runner):
    world.app.config["RETENTION_YEARS"] = None
    before = _state(world.db)
    result = _run(runner, "--apply")
    assert result.exit_code != 0 and "OPS_RETENTION_YEARS is not set" in result.output
    assert _state(world.db) == before


def test_kept_hashes_still_correlate_a_new_record_with_the_removed_one(world, runner):
    world.app.config["RETENTION_KEEP_HASHES"] = True
    assert _run(runner, "--apply").exit_code == 0
    newer = _record(world, datetime.now(UTC).replace(microsecond=0), name="Javlon Ismoilov", document="AB-1234567")
    client = _client(world.app, world.supervisor)
    page = client.get(f"/operations/{newer.id}").get_data(as_text=True)
    assert f'/operations/{world.old.id}"' in page  # the removed record, found by its kept hashes
    removed_page = client.get(f"/operations/{world.old.id}").get_data(as_text=True)
    assert "Ismoilov" not in removed_page and "identities were removed" in removed_page


def test_without_kept_hashes_a_removed_record_correlates_with_nothing(world, runner):
    assert _run(runner, "--apply").exit_code == 0
    newer = _record(world, datetime.now(UTC).replace(microsecond=0), name="Javlon Ismoilov", document="AB-1234567")
    client = _client(world.app, world.supervisor)
    assert f'/operations/{world.old.id}"' not in client.get(f"/operations/{newer.id}").get_data(as_text=True)


# --- legal hold on the record page ---------------------------------------------------------------


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def test_the_owning_supervisor_sets_and_lifts_a_legal_hold_audited_and_shown(world, runner):
    client = _client(world.app, world.supervisor)
    url = f"/operations/{world.old.id}/legal-hold"
    version = world.db.get(Operation, world.old.id).version

    refused = client.post(url, data={"decision": "hold", "reason": "  "})
    assert refused.status_code == 400 and "Say why the record is held." in refused.get_data(as_text=True)
    world.db.expire_all()
    assert not world.db.get(Operation, world.old.id).legal_hold

    assert client.post(url, data={"decision": "hold", "reason": "Court case 7/2026"}).status_code == 302
    page = client.get(f"/operations/{world.old.id}").get_data(as_text=True)
    assert "Under a legal hold" in page and "Court case 7/2026" in page and "Lift the legal hold" in page
    world.db.expire_all()
    held = world.db.get(Operation, world.old.id)
    assert held.legal_hold and held.legal_hold_by_id == world.supervisor.id
    assert held.version == version  # an editor's open form stays valid

    assert "0 due" in _run(runner, "--apply").output  # retention keeps it now

    assert client.post(url, data={"decision": "lift", "reason": "case closed"}).status_code == 302
    world.db.expire_all()
    assert not world.db.get(Operation, world.old.id).legal_hold
    holds = AuditEvent.action.like("legal_hold%")
    actions = world.db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(world.old.id), holds)).all()
    assert actions == ["legal_hold_set", "legal_hold_lift"]


@pytest.mark.parametrize("who,status", [("lead", 403), ("mia_supervisor", 404)])
def test_only_the_owning_agencys_supervisor_may_hold(world, who, status):
    client = _client(world.app, getattr(world, who))
    response = client.post(f"/operations/{world.old.id}/legal-hold", data={"decision": "hold", "reason": "mine"})
    assert response.status_code == status
    world.db.expire_all()
    assert not world.db.get(Operation, world.old.id).legal_hold


def test_a_removed_persons_phone_number_gives_no_hit_and_finds_nothing(world, runner):
    person = world.db.scalars(select(Person).where(Person.operation_id == world.old.id)).one()
    person.phones = "+998901234567"
    world.db.commit()
    client = _client(world.app, world.supervisor)
    phone_keys = (
        select(func.count())
        .select_from(IdentifierKey)
        .where(IdentifierKey.kind == "phone", IdentifierKey.operation_id == world.old.id)
    )
    assert world.db.scalar(phone_keys) == 1 and world.old.ref in client.get("/search?q=901234567").get_data(
        as_text=True
    )

    assert _run(runner, "--apply").exit_code == 0
    world.db.expire_all()
    assert world.db.get(Person, person.id).phones == ""
    assert world.db.scalar(phone_keys) == 0  # no hit on the number any more
    assert world.old.ref not in client.get("/search?q=901234567").get_data(as_text=True)
