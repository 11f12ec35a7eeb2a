"""Access requests from a hit: ask, answer (grant with or without identities, until a date; in part; refuse),
withdraw, overdue; each bad step refused with its own message and nothing written; every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from ops import clock
from ops.models import AccessGrant, AccessRequest, AuditEvent, InboxItem
from tests.support.accounts import login
from tests.support.hitkit import PLATE, ask, hit_token, lookup, no_canary, plant, text


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, mia, nac, team = make_agency("SCC"), make_agency("MIA"), make_agency("NAC"), make_team("IMT-TER")
    people = {
        "lead": make_user(scc, "lead", teams=[team]),
        "supervisor": make_user(scc, "supervisor"),
        "analyst": make_user(mia, "analyst"),
        "analyst2": make_user(mia, "analyst"),
        "mia_supervisor": make_user(mia, "supervisor"),
        "centre": make_user(nac, "supervisor"),
    }
    clients = {}
    for name, user in people.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    record = plant(db, make_operation, scc, team)
    app.config["ANALYSIS_CENTRE_AGENCY"] = "NAC"
    return {"record": record, "c": clients, "people": people, "scc": scc, "mia": mia}


def _count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def _ask(client, purpose="joint case 17"):
    token = hit_token(lookup(client, PLATE))
    return ask(client, PLATE, token, purpose=purpose)


def _request(db) -> AccessRequest:
    db.expire_all()
    return db.exec(select(AccessRequest)).one()


def _answer(client, request, **data):
    body = {"decision": "grant", "version": str(request.version), **data}
    return client.post(f"/access/{request.id}/answer", data=body)


def test_grant_lets_the_agency_read_the_record_and_everyone_is_told(world, db):
    c, record = world["c"], world["record"]
    assert c["analyst"].get(f"/operations/{record.id}").status_code == 404
    response = _ask(c["analyst"])
    assert response.status_code == 302
    request = _request(db)
    assert request.status == "open" and request.match_kind == "plate"
    assert request.due_at - request.created_at == timedelta(hours=48)
    inbox = text(c["supervisor"].get("/inbox"))
    assert f"Agency MIA asks for access to {record.ref} (match on plate)" in inbox
    assert _answer(c["supervisor"], request).status_code == 302
    assert _request(db).status == "granted"
    page = text(c["analyst"].get(f"/operations/{record.id}"))
    assert record.ref in page and "Rahimov" not in page  # read without identities unless granted with them
    assert c["analyst2"].get(f"/operations/{record.id}").status_code == 200  # a grant is to the agency
    told = text(c["analyst"].get("/inbox"))
    assert "Agency SCC granted your request for access (match on plate)." in told
    history = text(c["supervisor"].get(f"/operations/{record.id}"))
    assert "Access requests" in history and "Agency MIA" in history
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.object_id == str(record.id))).all()
    assert "access_request" in actions and "access_answer" in actions


def test_a_grant_with_identities_shows_them(world, db):
    c, record = world["c"], world["record"]
    _ask(c["analyst"])
    _answer(c["supervisor"], _request(db), persons="y")
    assert "Rahimov" in text(c["analyst"].get(f"/operations/{record.id}"))


def test_a_grant_ends_at_its_date(world, db):
    c, record = world["c"], world["record"]
    _ask(c["analyst"])
    until = (clock.now() + timedelta(days=3)).date().isoformat()
    _answer(c["supervisor"], _request(db), until=until)
    grant = db.exec(select(AccessGrant)).one()
    assert grant.until.date().isoformat() == until
    assert c["analyst"].get(f"/operations/{record.id}").status_code == 200
    grant.until = clock.now() - timedelta(minutes=1)  # the date has come
    db.add(grant)
    db.commit()
    assert c["analyst"].get(f"/operations/{record.id}").status_code == 404
    assert "1 record held by" in lookup(c["analyst"], PLATE)  # a hit again: it may be asked for again


def test_refuse_needs_a_reason_and_tells_the_requester(world, db):
    c, record = world["c"], world["record"]
    _ask(c["analyst"])
    request = _request(db)
    missing = _answer(c["supervisor"], request, decision="refuse")
    assert missing.status_code == 400 and "Give the reason for refusing or granting in part." in text(missing)
    assert _request(db).status == "open" and _count(db, AccessGrant) == 0
    _answer(c["supervisor"], request, decision="refuse", reason="Ongoing covert phase")
    assert _request(db).status == "refused" and _count(db, AccessGrant) == 0
    assert c["analyst"].get(f"/operations/{record.id}").status_code == 404
    told = text(c["analyst"].get("/inbox"))
    assert "Agency SCC refused your request for access" in told and "Ongoing covert phase" in told
    no_canary(told)


def test_grant_in_part_gives_no_identities(world, db):
    c, record = world["c"], world["record"]
    _ask(c["analyst"])
    _answer(c["supervisor"], _request(db), decision="partial", reason="Persons withheld", persons="y")
    assert _request(db).status == "partial"
    page = text(c["analyst"].get(f"/operations/{record.id}"))
    assert record.ref in page and "Rahimov" not in page


def test_overdue_is_shown_to_the_owner_and_the_analysis_centre(world, db):
    c = world["c"]
    _ask(c["analyst"])
    request = _request(db)
    assert "overdue" not in text(c["supervisor"].get(f"/access/{request.id}"))
    assert c["centre"].get(f"/access/{request.id}").status_code == 404  # not overdue: not the centre's business
    request.due_at = clock.now() - timedelta(minutes=1)  # 48 hours have passed
    db.add(request)
    db.commit()
    assert "overdue" in text(c["supervisor"].get(f"/access/{request.id}"))
    assert "overdue" in text(c["supervisor"].get("/access"))
    centre = text(c["centre"].get("/access"))
    assert "Overdue in every agency" in centre and "From Agency MIA to Agency SCC" in centre
    centre_page = text(c["centre"].get(f"/access/{request.id}"))
    assert "overdue" in centre_page and world["record"].ref not in centre_page
    no_canary(centre_page)


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty purpose", "Give the purpose of your request."),
        ("second open request", "Your agency already has an open request for this record."),
        ("already readable", "You can already read this record: there is nothing to ask for."),
        ("forged token", "This hit is no longer valid: look the identifier up again."),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_nothing_written(world, db, case, message):
    c = world["c"]
    token = hit_token(lookup(c["analyst"], PLATE))
    expected = 0
    if case == "second open request":
        ask(c["analyst2"], PLATE, hit_token(lookup(c["analyst2"], PLATE)))
        expected = 1
    if case == "already readable":
        record = world["record"]
        record.visibility = "all"
        db.add(record)
        db.commit()
    purpose = " " if case == "empty purpose" else "joint case"
    token = "0" * 32 if case == "forged token" else token
    inbox_before = _count(db, InboxItem)
    response = ask(c["analyst"], PLATE, token, purpose=purpose)
    assert message in text(c["analyst"].get(response.headers["Location"]))
    assert _count(db, AccessRequest) == expected and _count(db, InboxItem) == inbox_before


def test_answering_another_agencys_request_or_a_withdrawn_one_is_refused(world, db):
    c = world["c"]
    _ask(c["analyst"])
    request = _request(db)
    assert c["mia_supervisor"].get(f"/access/{request.id}").status_code == 200  # the requester's agency sees it
    other = _answer(c["mia_supervisor"], request)
    assert "This request is for another agency: only its supervisors answer it." in text(other)
    assert c["analyst"].post(f"/access/{request.id}/withdraw").status_code == 302
    assert _request(db).status == "withdrawn"
    late = _answer(c["supervisor"], _request(db))
    assert "The request was withdrawn: there is nothing to answer." in text(late)
    assert _count(db, AccessGrant) == 0


def test_an_answer_on_a_stale_page_is_refused(world, db):
    c = world["c"]
    _ask(c["analyst"])
    request = _request(db)
    stale = {"decision": "grant", "version": "99"}
    response = c["supervisor"].post(f"/access/{request.id}/answer", data=stale)
    assert response.status_code == 409 and _count(db, AccessGrant) == 0
