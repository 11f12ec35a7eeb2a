"""Releases and heads-up messages in the JSON API: the pages' services and policy, by token or session.

A counterpart office lists and reads exactly what was delivered to it, acknowledges it, and writes
heads-up messages; another office gets 404 for all of it; national readers see their agency's releases.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from ops.liaison import services
from ops.models import AuditEvent, InboxItem
from ops.models_liaison import HeadsUp, Release
from tests.support import releasekit as kit


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, blo = make_agency("SCC"), make_team("BLO-TER", kind="blo")
    tajik, kyrgyz = kit.office(db, make_agency), kit.office(db, make_agency, "BS-KG", "KG", "en")
    for office in (tajik, kyrgyz):
        kit.pair(app, db, scc, office)
    people = {
        "lead": make_user(scc, "lead", teams=[blo]),
        "supervisor": make_user(scc, "supervisor"),
        "analyst": make_user(scc, "analyst"),
        "outsider": make_user("MIA", "supervisor"),
        "tajik_lead": make_user(tajik, "lead"),
        "tajik_analyst": make_user(tajik, "analyst"),
        "kyrgyz_lead": make_user(kyrgyz, "lead"),
    }
    record = kit.plant(db, make_operation, scc, blo)
    releases = _releases(app, db, people, record, tajik, kyrgyz)
    return {"scc": scc, "tajik": tajik, "kyrgyz": kyrgyz, "record": record, **people, **releases}


def _releases(app, db, people, record, tajik, kyrgyz) -> dict:
    """Delivered to the Tajik office, delivered to the Kyrgyz one, pending, refused: only the first is theirs."""
    found = {}
    with app.test_request_context():
        for name, office in (("delivered", tajik), ("other_office", kyrgyz), ("pending", tajik), ("refused", tajik)):
            found[name] = services.create(db, people["lead"], record, office.id, True, f"{kit.NAME} hid heroin")
        for name in ("delivered", "other_office"):
            services.approve(db, people["supervisor"], found[name], False, None)
        services.refuse(db, people["supervisor"], found["refused"], f"{kit.NAME} is a source", None)
    return {name: release.id for name, release in found.items()}


@pytest.fixture
def as_user(app, api_as):
    """A caller of the API as `who`: by a personal token, or by the browser's signed-in session."""

    def make(user, how: str = "token"):
        if how == "token":
            return api_as(user)
        client = kit.signed_in(app, user)
        page = client.get("/inbox").get_data(as_text=True)
        # a browser session writing to the API proves the page is ours, as the pages' script does
        client.environ_base["HTTP_X_CSRFTOKEN"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return client

    return make


def _problem(response, status: int) -> bool:
    return response.status_code == status and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize("who", ["tajik_lead", "tajik_analyst"])
def test_a_counterpart_office_lists_and_reads_exactly_what_was_delivered_to_it(db, world, as_user, who, how):
    api = as_user(world[who], how)
    listed = api.get("/api/v1/releases")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json["items"]] == [world["delivered"]]
    assert listed.json["items"][0]["operation_ref"] is None  # the source record is not theirs to know
    read = api.get(f"/api/v1/releases/{world['delivered']}")
    assert read.status_code == 200
    body = read.json
    assert (body["from_agency"], body["to_agency"], body["status"]) == ("SCC", "DCA-TJ", "delivered")
    assert body["extract"]["seizures"][0]["commodity"] == "heroin" and body["extract"]["plates"] == [kit.PLATE]
    assert body["operation_ref"] is None and body["refusal_reason"] is None
    for name in ("other_office", "pending", "refused"):
        assert _problem(api.get(f"/api/v1/releases/{world[name]}"), 404), name
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.user_id == world[who].id)).all()
    assert {"release_list", "release_view"} <= set(actions)


def test_national_readers_see_their_agency_releases_and_no_other_agency_any(db, world, as_user):
    analyst = as_user(world["analyst"])
    listed = {item["id"]: item for item in analyst.get("/api/v1/releases").json["items"]}
    assert set(listed) == {world[n] for n in ("delivered", "other_office", "pending", "refused")}
    assert {item["operation_ref"] for item in listed.values()} == {world["record"].ref}
    refused = analyst.get(f"/api/v1/releases/{world['refused']}").json
    assert refused["status"] == "refused" and "is a source" in refused["refusal_reason"]
    assert "Rahimov" not in refused["refusal_reason"]  # masked with the record's identities when written
    outsider = as_user(world["outsider"])
    assert outsider.get("/api/v1/releases").json["items"] == []
    assert _problem(outsider.get(f"/api/v1/releases/{world['delivered']}"), 404)


@pytest.mark.parametrize("how", ["token", "session"])
def test_the_office_acknowledges_a_release_once_and_the_writer_is_told(db, world, as_user, api_as, how):
    path = f"/api/v1/releases/{world['delivered']}/acknowledge"
    assert _problem(api_as(world["tajik_lead"], read_only=True).post(path), 403)
    for other in ("kyrgyz_lead", "lead", "supervisor"):
        assert _problem(as_user(world[other]).post(path), 404), other
    assert _problem(as_user(world["tajik_lead"]).post(f"/api/v1/releases/{world['pending']}/acknowledge"), 404)
    partner = as_user(world["tajik_lead"], how)
    answer = partner.post(path)
    assert answer.status_code == 200 and answer.json["acknowledged_at"]
    again = partner.post(path)
    assert _problem(again, 409) and "already acknowledged" in again.json["detail"]
    db.expire_all()
    assert db.get(Release, world["delivered"]).acknowledged_by_id == world["tajik_lead"].id
    told = db.exec(select(InboxItem.kind).where(InboxItem.user_id == world["lead"].id)).all()
    assert "release_acknowledged" in told


def _message(**change) -> dict:
    body = {"to_agency": "DCA-TJ", "subject": "vehicle", "plate": "01 A 777 KA", "place_code": "AYRITOM"}
    body.update(text="A white truck expected tonight", valid_hours=24)
    body.update(window_start="2026-12-01T18:00:00+05:00", window_end="2026-12-01T23:00:00+05:00")
    return {**body, **change}


@pytest.mark.parametrize("how", ["token", "session"])
def test_a_heads_up_is_sent_read_acknowledged_and_answered_and_another_office_gets_404(db, world, as_user, how):
    national, partner = as_user(world["lead"]), as_user(world["tajik_lead"], how)
    sent = national.post("/api/v1/messages", json=_message())
    assert sent.status_code == 201, sent.json
    first = sent.json
    assert (first["from_agency"], first["to_agency"], first["thread_id"]) == ("SCC", "DCA-TJ", None)
    assert sent.headers["Location"] == f"/api/v1/messages/{first['id']}"
    assert [m["id"] for m in partner.get("/api/v1/messages").json["items"]] == [first["id"]]
    kyrgyz = as_user(world["kyrgyz_lead"])
    assert kyrgyz.get("/api/v1/messages").json["items"] == []
    for step in ("", "/acknowledge", "/reply"):
        method = kyrgyz.get if not step else kyrgyz.post
        assert _problem(method(f"/api/v1/messages/{first['id']}{step}", json={"text": "x"} if step else None), 404)
    assert _problem(national.post(f"/api/v1/messages/{first['id']}/acknowledge"), 404)  # not addressed to SCC
    acknowledged = partner.post(f"/api/v1/messages/{first['id']}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json["acknowledged_at"]
    assert _problem(partner.post(f"/api/v1/messages/{first['id']}/acknowledge"), 409)
    answer = partner.post(f"/api/v1/messages/{first['id']}/reply", json={"text": "We will watch for it"})
    assert answer.status_code == 201 and answer.json["thread_id"] == first["id"]
    thread = national.get(f"/api/v1/messages/{first['id']}").json["items"]
    assert [(m["from_agency"], m["text"]) for m in thread] == [
        ("SCC", "A white truck expected tonight"),
        ("DCA-TJ", "We will watch for it"),
    ]
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.object_type == "headsup")).all())
    assert {"headsup_send", "headsup_view", "headsup_list", "headsup_acknowledge", "headsup_reply"} <= actions


def test_the_office_writes_first_to_its_national_counterpart(db, world, as_user):
    sent = as_user(world["tajik_analyst"]).post("/api/v1/messages", json=_message(to_agency="SCC"))
    assert sent.status_code == 201 and sent.json["from_agency"] == "DCA-TJ"
    assert [m["id"] for m in as_user(world["lead"]).get("/api/v1/messages").json["items"]] == [sent.json["id"]]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"to_agency": "MIA"}, "to_agency"),  # not a counterpart
        ({"to_agency": "NOPE"}, "to_agency"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"window_end": "2026-12-01T17:00:00+05:00"}, "window_end"),
        ({"window_start": "2026-12-01T18:00:00"}, "window_start"),  # no offset
        ({"valid_hours": 500}, "valid_hours"),
        ({"valid_hours": "24"}, "valid_hours"),  # a number, not text
        ({"subject": "gossip"}, "subject"),
        ({"place_code": "NOWHERE"}, "place_code"),
        ({"owner": "SCC"}, "owner"),  # unknown fields are refused, not ignored
    ],
)
def test_a_bad_heads_up_is_422_naming_its_field_and_writes_nothing(db, world, as_user, change, field):
    answer = as_user(world["lead"]).post("/api/v1/messages", json=_message(**change))
    assert _problem(answer, 422) and field in {error["field"] for error in answer.json["errors"]}
    assert db.exec(select(func.count()).select_from(HeadsUp)).one() == 0


def test_who_may_not_send_gets_refused_and_a_body_that_is_no_json_object_is_400(world, as_user, make_user):
    analyst = as_user(world["analyst"])  # national analysts read messages, the liaison offices send them
    assert _problem(analyst.post("/api/v1/messages", json=_message()), 403)
    lead = as_user(world["lead"])
    assert _problem(lead.post("/api/v1/messages", data="[1]", content_type="application/json"), 400)
    assert _problem(lead.get("/api/v1/releases?status=delivered"), 400)  # no filter is silently ignored
    officer = as_user(make_user(role="programme_officer"))
    assert _problem(officer.get("/api/v1/releases"), 404) and _problem(officer.get("/api/v1/messages"), 404)


def test_a_counterpart_office_token_still_gets_nothing_of_records_search_or_lookups(world, as_user):
    partner = as_user(world["tajik_lead"])
    for path in ("/api/v1/operations", f"/api/v1/operations/{world['record'].id}", "/api/v1/search?q=heroin"):
        assert _problem(partner.get(path), 404), path
    assert _problem(partner.get("/api/v1/lookup?value=01A777KA&purpose=check"), 404)
    assert _problem(partner.get("/api/v1/seizures"), 404)
