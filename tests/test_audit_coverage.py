"""Every kind of action the sharing issue lists leaves its audit event, and the chain verifies."""

from __future__ import annotations

from sqlmodel import select

from ops import audit
from ops.models import AuditEvent
from tests.support.accounts import login, token_client
from tests.support.op_forms import API_BODY


def test_each_action_writes_one_event_and_the_chain_verifies(app, db, make_agency, make_team, make_user, runner):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    lead, supervisor = make_user(scc, "lead", teams=[team]), make_user(scc, "supervisor")
    analyst, outsider = make_user("SSS", "analyst"), make_user("MIA", "analyst")
    lead_api, supervisor_api = token_client(app, lead), token_client(app, supervisor)
    created = lead_api.post("/api/v1/operations", json={**API_BODY, "visibility": "all"}).json
    path = f"/api/v1/operations/{created['id']}"
    body = {k: v for k, v in API_BODY.items() if k != "visibility"}
    body["seizures"] = [{**API_BODY["seizures"][0], "id": created["seizures"][0]["id"]}]
    updated = lead_api.put(
        path, json={**body, "title": "Renamed"}, headers={"If-Match": f'"{created["version"]}"'}
    ).json
    step = lead_api.post(f"{path}/submit", headers={"If-Match": f'"{updated["version"]}"'}).json
    supervisor_api.post(f"{path}/approve", headers={"If-Match": f'"{step["version"]}"'})
    web = app.test_client()
    web.post("/login", data={"username": analyst.username, "password": "wrong-wrong-wrong"})
    login(web, analyst)
    web.get(f"/operations/{created['id']}")
    web.get("/search?q=fuel")
    web.get("/search/export/csv?q=fuel")
    stranger = app.test_client()
    login(stranger, outsider)
    lead_web = app.test_client()
    login(lead_web, lead)
    lead_web.post(
        f"/operations/{created['id']}/visibility", data={"visibility": "agency", "version": str(step["version"] + 1)}
    )
    stranger.get(f"/operations/{created['id']}")
    actions = {(e.action, e.outcome) for e in db.exec(select(AuditEvent)).all()}
    for expected in [
        ("operation_create", "ok"),
        ("operation_edit", "ok"),
        ("operation_submit", "ok"),
        ("operation_approve", "ok"),
        ("login", "failed"),
        ("login", "ok"),
        ("view", "ok"),
        ("search", "ok"),
        ("export", "ok"),
        ("operation_visibility", "ok"),
        ("refused:view", "refused"),
    ]:
        assert expected in actions, expected
    assert audit.verify(db).ok
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
