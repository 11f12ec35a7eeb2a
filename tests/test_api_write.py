"""Writing through the API: the pages' validation, If-Match versions, workflow steps, mass assignment."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from ops.models import Operation, Seizure
from tests.support.op_forms import API_BODY


@pytest.fixture
def team_people(make_agency, make_team, make_user):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    return {
        "lead": make_user(scc, "lead", teams=[team]),
        "supervisor": make_user(scc, "supervisor"),
        "outsider": make_user("SSS", "lead"),
        "team": team,
    }


def _count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_a_script_creates_a_draft(db, team_people, api_as):
    response = api_as(team_people["lead"]).post("/api/v1/operations", json=API_BODY)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "draft" and body["ref"].startswith("IMT-TER-2026-")
    assert body["seizures"][0]["kg_equivalent"] in ("12.500000", 12.5)
    assert body["vehicles"][0]["plate"] == "01 A 123 BC"
    assert response.headers["Location"] == f"/api/v1/operations/{body['id']}"
    assert db.get(Operation, body["id"]).started_at.hour == 3  # 08:00 in Tashkent is 03:00 UTC


@pytest.mark.parametrize(
    "change, field",
    [
        ({"seizures": [{**API_BODY["seizures"][0], "quantity": "-3"}]}, "seizures.0.quantity"),
        ({"seizures": [{**API_BODY["seizures"][0], "unit": "rounds"}]}, "seizures.0.unit"),
        ({"op_type": "picnic"}, "op_type"),
        ({"started_at": "2026-03-01T08:00:00"}, "started_at"),
        ({"ended_at": "2026-02-01T08:00:00+05:00"}, "ended_at"),
        ({"title": ""}, "title"),
        ({"owner_agency_id": 99}, "owner_agency_id"),
        ({"status": "approved"}, "status"),
        ({"version": 7}, "version"),
    ],
)
def test_bad_bodies_get_422_naming_the_field_and_store_nothing(db, team_people, api_as, change, field):
    response = api_as(team_people["lead"]).post("/api/v1/operations", json={**API_BODY, **change})
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in [error["field"] for error in response.json["errors"]]
    assert _count(db, Operation) == 0 and _count(db, Seizure) == 0


def test_not_json_is_400(team_people, api_as):
    response = api_as(team_people["lead"]).post(
        "/api/v1/operations", data="title=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_update_needs_the_current_version(db, team_people, api_as):
    client = api_as(team_people["lead"])
    created = client.post("/api/v1/operations", json=API_BODY).json
    path = f"/api/v1/operations/{created['id']}"
    body = {
        **API_BODY,
        "title": "Changed title",
        "seizures": [{**API_BODY["seizures"][0], "id": created["seizures"][0]["id"]}],
    }
    body.pop("visibility")
    assert client.put(path, json=body).status_code == 428
    ok = client.put(path, json=body, headers={"If-Match": f'"{created["version"]}"'})
    assert ok.status_code == 200, ok.json
    assert ok.json["title"] == "Changed title" and ok.json["version"] == created["version"] + 1
    stale = client.put(path, json={**body, "title": "Lost?"}, headers={"If-Match": f'"{created["version"]}"'})
    assert stale.status_code == 412 and stale.content_type == "application/problem+json"
    db.expire_all()
    assert db.get(Operation, created["id"]).title == "Changed title"


def test_workflow_through_the_api(team_people, api_as):
    lead, supervisor = api_as(team_people["lead"]), api_as(team_people["supervisor"])
    created = lead.post("/api/v1/operations", json=API_BODY).json
    path = f"/api/v1/operations/{created['id']}"

    def step(client, name, version, **body):
        return client.post(f"{path}/{name}", json=body, headers={"If-Match": f'"{version}"'})

    submitted = step(lead, "submit", created["version"])
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    assert step(lead, "approve", submitted.json["version"]).status_code == 403  # leads do not review
    assert step(supervisor, "return", submitted.json["version"]).status_code == 422  # comment required
    returned = step(supervisor, "return", submitted.json["version"], comment="Add the driver")
    assert returned.json["status"] == "returned"
    resubmitted = step(lead, "submit", returned.json["version"])
    approved = step(supervisor, "approve", resubmitted.json["version"])
    assert approved.status_code == 200 and approved.json["status"] == "approved"


def test_outsiders_cannot_touch_and_read_only_tokens_cannot_write(team_people, api_as):
    created = api_as(team_people["lead"]).post("/api/v1/operations", json=API_BODY).json
    path = f"/api/v1/operations/{created['id']}"
    outsider = api_as(team_people["outsider"])
    assert outsider.put(path, json=API_BODY, headers={"If-Match": '"1"'}).status_code == 404
    assert outsider.post(f"{path}/submit", headers={"If-Match": '"1"'}).status_code == 404
    read_only = api_as(team_people["lead"], read_only=True)
    assert read_only.post("/api/v1/operations", json=API_BODY).status_code == 403


def test_cookie_session_writes_need_csrf(app, client, team_people, login_as):
    login_as(team_people["lead"])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/api/v1/operations", json=API_BODY)
    assert response.status_code == 400


def test_a_nul_character_in_a_body_is_422(db, team_people, api_as):
    response = api_as(team_people["lead"]).post("/api/v1/operations", json={**API_BODY, "title": "a\x00b"})
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "title"
