"""Reading through the API: the policy's filter, cursors, strict parameters, problem+json."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(make_agency, make_team, make_operation):
    scc, sss, mia = make_agency("SCC"), make_agency("SSS"), make_agency("MIA")
    team = make_team("IMT-TER")
    ops = {
        "scc_all": make_operation(scc, team, visibility="all"),
        "scc_agency": make_operation(scc, team, visibility="agency"),
        "scc_partners_sss": make_operation(scc, team, visibility="partners", partners=[sss]),
        "scc_draft": make_operation(scc, team, status="draft", visibility="all"),
        "mia_agency": make_operation(mia, team, visibility="agency"),
    }
    return {"agencies": (scc, sss, mia), "ops": ops}


def _ids(client, path="/api/v1/operations?limit=200"):
    response = client.get(path)
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def test_list_shows_exactly_what_the_policy_allows(world, make_user, api_as):
    ops = world["ops"]
    sss_analyst = api_as(make_user("SSS", "analyst"))
    assert _ids(sss_analyst) == {ops["scc_all"].id, ops["scc_partners_sss"].id}
    scc_analyst = api_as(make_user("SCC", "analyst"))
    assert _ids(scc_analyst) == {ops["scc_all"].id, ops["scc_agency"].id, ops["scc_partners_sss"].id}


def test_cursor_pagination_walks_every_visible_record_once(world, make_user, api_as):
    client = api_as(make_user("SCC", "analyst"))
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/operations?limit=1" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 3


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=500", "limit"),
        ("limit=abc", "limit"),
        ("cursor=garbage!", "cursor"),
        ("status=lost", "status"),
        ("date_from=2025-13-01", "date_from"),
        ("agency=NOPE", "agency"),
        ("statuss=approved", "statuss"),
    ],
)
def test_bad_parameters_get_400_problem_never_everything(world, make_user, api_as, query, field):
    response = api_as(make_user("SCC", "analyst")).get(f"/api/v1/operations?{query}")
    assert response.status_code == 400 and response.content_type == "application/problem+json"
    assert field in response.json["detail"]


def test_get_operation_withholds_persons_of_other_agencies(world, db, make_user, api_as):
    from ops.models import Person

    op = world["ops"]["scc_all"]
    db.add(Person(operation_id=op.id, full_name="Secret Name", name_norm="SECRET NAME"))
    db.commit()
    other = api_as(make_user("SSS", "analyst")).get(f"/api/v1/operations/{op.id}").json
    assert other["persons"] is None and other["persons_count"] == 1 and other["persons_held_by"] == "SCC"
    assert "Secret Name" not in str(other)
    own = api_as(make_user("SCC", "analyst")).get(f"/api/v1/operations/{op.id}")
    assert own.json["persons"][0]["full_name"] == "Secret Name" and own.headers["ETag"] == f'"{op.version}"'


def test_invisible_operation_is_404_and_audited(world, db, make_user, api_as):
    from sqlmodel import select

    from ops.models import AuditEvent

    op = world["ops"]["mia_agency"]
    response = api_as(make_user("SSS", "analyst")).get(f"/api/v1/operations/{op.id}")
    assert response.status_code == 404 and response.content_type == "application/problem+json"
    refusal = db.exec(select(AuditEvent).where(AuditEvent.outcome == "refused")).one()
    assert refusal.object_id == str(op.id)


def test_seizures_list_filters(world, make_user, api_as):
    client = api_as(make_user("SCC", "analyst"))
    rows = client.get("/api/v1/seizures?commodity=heroin&limit=200").json["items"]
    assert {r["operation_ref"] for r in rows} == {
        world["ops"][k].ref for k in ("scc_all", "scc_agency", "scc_partners_sss")
    }
    assert client.get("/api/v1/seizures?commodity=cocaine").json["items"] == []


def test_read_only_token_cannot_write_and_anonymous_gets_401(app, make_user, api_as):
    response = api_as(make_user("SCC", "lead"), read_only=True).post("/api/v1/operations", json={})
    assert response.status_code in (403, 405)
    anonymous = app.test_client().get("/api/v1/operations")
    assert anonymous.status_code == 401 and anonymous.content_type == "application/problem+json"


def test_openapi_document_is_served(client, make_user, login_as):
    login_as(make_user("SCC", "analyst"))
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1") and "/operations/{operation_id}" in doc["paths"]


def test_search_and_export_through_the_api_follow_the_policy(world, make_user, api_as):
    client = api_as(make_user("SSS", "analyst"))
    found = client.get("/api/v1/search?commodity=heroin")
    assert found.status_code == 200, found.json
    refs = {row["operation_ref"] for row in found.json["items"]}
    assert refs == {world["ops"]["scc_all"].ref, world["ops"]["scc_partners_sss"].ref}
    assert found.json["total_seizures"] == 2
    exported = client.get("/api/v1/export.csv?commodity=heroin").get_data(as_text=True)
    assert world["ops"]["scc_all"].ref in exported and world["ops"]["mia_agency"].ref not in exported
    bad = client.get("/api/v1/search?commodity=sugar")
    assert bad.status_code == 400 and bad.json["errors"][0]["field"] == "commodity"
    assert client.get("/api/v1/search").status_code == 400  # never "everything"


@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/export.csv"])
def test_an_empty_search_parameter_is_refused_not_ignored(world, make_user, api_as, path):
    """`agency=` from a script is a mistake to report, not a filter to drop (the page's form may send it)."""
    response = api_as(make_user("SCC", "analyst")).get(f"{path}?agency=&commodity=heroin")
    assert response.status_code == 400 and response.content_type == "application/problem+json"
    assert [error["field"] for error in response.json["errors"]] == ["agency"]
