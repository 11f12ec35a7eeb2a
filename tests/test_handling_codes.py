"""Handling codes and grading: entered, shown, exported and enforced (issue 11).

H2 records stay out of other agencies' exports (and are counted as left out), are never
shared with all agencies, and only the owning agency's leads and supervisors change a
code or grade. Grading is required on submit for intelligence and risk profiling.
"""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from ops.models import AuditEvent, Operation, Revision, Seizure
from tests.support.accounts import login
from tests.support.op_forms import create, operation_form


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, mia, sbs = make_agency("SCC"), make_agency("MIA"), make_agency("SBS")
    ter, tas = make_team("IMT-TER"), make_team("IMT-TAS")
    users = {
        "lead": make_user(scc, role="lead", teams=[ter]),
        "other_team_lead": make_user(scc, role="lead", teams=[tas]),
        "supervisor": make_user(scc, role="supervisor"),
        "officer": make_user(scc, role="officer", teams=[ter]),
        "analyst": make_user(scc, role="analyst"),
        "mia_analyst": make_user(mia, role="analyst"),
        "mia_lead": make_user(mia, role="lead"),
        "sbs_lead": make_user(sbs, role="lead"),
    }
    return SimpleNamespace(scc=scc, mia=mia, sbs=sbs, team=ter, users=users, db=db, make=make_operation)


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _coded(db, operation, code="H0", grading="", conditions=""):
    stored = db.get(Operation, operation.id)
    stored.handling_code, stored.grading, stored.handling_conditions = code, grading, conditions
    db.commit()
    return stored


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _two_records(world):
    """Two SCC records shared with MIA: one H2, one H1 graded B2."""
    h2 = _coded(world.db, world.make(world.scc, world.team, visibility="partners", partners=(world.mia,)), "H2")
    h1 = _coded(world.db, world.make(world.scc, world.team, visibility="partners", partners=(world.mia,)), "H1", "B2")
    return h2, h1


# --- exports ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reader,expected_refs,left_out",
    [("analyst", {"h2", "h1"}, 0), ("supervisor", {"h2", "h1"}, 0), ("mia_analyst", {"h1"}, 1)],
)
def test_h2_is_left_out_of_other_agencies_exports_and_counted(app, world, reader, expected_refs, left_out):
    h2, h1 = _two_records(world)
    refs = {h2.ref: "h2", h1.ref: "h1"}
    client = _client(app, world.users[reader])
    response = client.get("/search/export/csv?from=2024-01-01")
    rows = _csv(response)
    header = rows[0]
    assert {refs[row[header.index("Record")]] for row in rows[1:]} == expected_refs
    assert response.headers["X-Ops-Left-Out"] == str(left_out)
    by_ref = {row[header.index("Record")]: row for row in rows[1:]}
    assert by_ref[h1.ref][header.index("Handling code")] == "H1"
    assert by_ref[h1.ref][header.index("Grading")] == "B2"
    book = load_workbook(io.BytesIO(client.get("/search/export/xlsx?from=2024-01-01").data), read_only=True)
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(sheet) - 1 == len(expected_refs) and "Handling code" in sheet[0]
    notes = [ws.title for ws in book.worksheets[1:]]
    assert notes == (["Notes"] if left_out else [])
    unodc = load_workbook(io.BytesIO(client.get("/search/export/unodc?from=2024-01-01").data), read_only=True)
    unodc_rows = list(unodc.worksheets[0].iter_rows(values_only=True))
    assert len(unodc_rows) - 1 == len(expected_refs)
    assert "Handling code" not in unodc_rows[0], "the UNODC sheet's format is fixed"
    page = client.get("/search?from=2024-01-01").get_data(as_text=True)
    assert ('id="export-left-out"' in page) is bool(left_out)
    event = world.db.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars().first()
    assert json.loads(event.detail)["left_out"] == left_out


@pytest.mark.parametrize("reader,left_out", [("analyst", 0), ("mia_analyst", 1)])
def test_a_search_with_words_says_what_an_export_would_leave_out(app, world, reader, left_out):
    """The search with words counts it in its own pass over the matches: the same number the export leaves out."""
    _two_records(world)
    client = _client(app, world.users[reader])
    page = client.get("/search?q=joint+inspection&from=2024-01-01").get_data(as_text=True)
    assert ('id="export-left-out"' in page) is bool(left_out)
    if left_out:
        note = page.split('id="export-left-out">', 1)[1].split("</p>", 1)[0]
        assert note.startswith(f"{left_out} seizure")
    exported = client.get("/search/export/csv?q=joint+inspection&from=2024-01-01")
    assert exported.headers["X-Ops-Left-Out"] == str(left_out)


def test_the_api_export_leaves_h2_out_too(api_as, world):
    h2, h1 = _two_records(world)
    response = api_as(world.users["mia_analyst"]).get("/api/v1/export.csv?from=2024-01-01")
    refs = {row[1] for row in _csv(response)[1:]}
    assert refs == {h1.ref} and response.headers["X-Ops-Left-Out"] == "1"


# --- shown wherever the record is ----------------------------------------------------------------


def test_banner_on_record_page_and_print_view_with_h3_conditions(app, world):
    op = world.make(world.scc, world.team, visibility="all")
    _coded(world.db, op, "H3", "A1", "Not for the press before the trial.")
    for user in ("lead", "mia_analyst"):
        client = _client(app, world.users[user])
        for path in (f"/operations/{op.id}", f"/operations/{op.id}/print"):
            page = client.get(path).get_data(as_text=True)
            assert 'id="handling"' in page and "H3 — other conditions" in page, path
            assert "Not for the press before the trial." in page and "A1 (A — always reliable" in page
    body = _client(app, world.users["mia_analyst"]).get(f"/operations/{op.id}/print").get_data(as_text=True)
    assert "css/print.css" in body and 'id="print-header"' in body and world.scc.name in body


def test_print_view_is_for_readers_only_and_audited(app, world):
    op = world.make(world.scc, world.team, visibility="partners", partners=(world.mia,))
    assert _client(app, world.users["sbs_lead"]).get(f"/operations/{op.id}/print").status_code == 404
    assert _client(app, world.users["mia_analyst"]).get(f"/operations/{op.id}/print").status_code == 200
    events = world.db.execute(select(AuditEvent).where(AuditEvent.action == "view")).scalars().all()
    assert any(json.loads(e.detail).get("page") == "print" for e in events)


def test_print_stylesheet_numbers_pages(client):
    with client.get("/static/css/print.css") as response:
        css = response.get_data(as_text=True)
    assert "@page" in css and "counter(page)" in css and "counter(pages)" in css


def test_api_carries_codes_of_record_and_attachments(api_as, world):
    op = _coded(world.db, world.make(world.scc, world.team, visibility="all"), "H1", "C3")
    body = api_as(world.users["mia_analyst"]).get(f"/api/v1/operations/{op.id}").get_json()
    assert (body["handling_code"], body["grading"], body["handling_conditions"]) == ("H1", "C3", "")
    spec = api_as(world.users["mia_analyst"]).get("/api/v1/openapi.json").get_json()
    assert {"handling_code", "grading"} <= set(spec["components"]["schemas"]["OperationPublic"]["properties"])
    assert "/operations/{operation_id}/handling" in spec["paths"]


# --- who may change a code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "user,status",
    [
        ("lead", 302),
        ("other_team_lead", 302),  # a lead of the owning agency, whatever the team
        ("supervisor", 302),
        ("officer", 403),
        ("analyst", 403),
        ("mia_lead", 403),  # reads the record, does not own it
        ("sbs_lead", 404),  # does not read it
    ],
)
def test_who_may_change_a_code(app, world, user, status):
    op = world.make(world.scc, world.team, visibility="partners", partners=(world.mia,))
    data = {"handling_code": "H1", "grading": "B2", "handling_conditions": "", "version": "1"}
    assert _client(app, world.users[user]).post(f"/operations/{op.id}/handling", data=data).status_code == status
    world.db.expire_all()
    stored = world.db.get(Operation, op.id)
    assert (stored.handling_code, stored.grading) == (("H1", "B2") if status == 302 else ("H0", ""))
    revisions = world.db.execute(select(Revision).where(Revision.action == "handling")).scalars().all()
    audited = world.db.execute(select(AuditEvent).where(AuditEvent.action == "operation_handling")).scalars().all()
    assert len(revisions) == len(audited) == (1 if status == 302 else 0)


def test_a_change_is_in_the_history(app, world):
    op = world.make(world.scc, world.team, visibility="all")
    client = _client(app, world.users["supervisor"])
    data = {"handling_code": "H3", "handling_conditions": "Ask before court use.", "grading": "X4", "version": "1"}
    assert client.post(f"/operations/{op.id}/handling", data=data).status_code == 302
    page = client.get(f"/operations/{op.id}").get_data(as_text=True)
    assert "Handling code or grading changed" in page and "Ask before court use." in page
    assert _client(app, world.users["mia_analyst"]).get(f"/operations/{op.id}").status_code == 200
    # the revision says old -> new for each field
    changes = json.loads(world.db.execute(select(Revision.changes).where(Revision.action == "handling")).scalar())
    assert {"field": "handling_code", "old": "H0", "new": "H3"} in changes


def test_an_attachment_takes_the_records_code_unless_given_its_own(app, world, api_as):
    op = _coded(world.db, world.make(world.scc, world.team, status="draft"), "H1", "B2")
    client = _client(app, world.users["lead"])
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 200)).save(out, "PNG")
    png = out.getvalue()
    for code in ("", "H2"):
        client.post(
            f"/operations/{op.id}/attachments",
            data={"files": (io.BytesIO(png), f"photo{code}.png"), "handling_code": code, "grading": ""},
            content_type="multipart/form-data",
        )
    body = api_as(world.users["lead"]).get(f"/api/v1/operations/{op.id}").get_json()
    codes = sorted((a["handling_code"], a["grading"]) for a in body["attachments"])
    assert codes == [("H1", "B2"), ("H2", "B2")]


# --- H2 is never for all agencies ------------------------------------------------------------------


def test_h2_cannot_be_given_visibility_all(app, world, api_as):
    op = _coded(world.db, world.make(world.scc, world.team, visibility="partners", partners=(world.mia,)), "H2")
    client = _client(app, world.users["lead"])
    response = client.post(f"/operations/{op.id}/visibility", data={"visibility": "all", "version": "1"})
    assert response.status_code == 400 and "cannot be shared with all agencies" in response.get_data(as_text=True)
    everyone = world.make(world.scc, world.team, visibility="all")
    response = client.post(
        f"/operations/{everyone.id}/handling", data={"handling_code": "H2", "grading": "", "version": "1"}
    )
    assert response.status_code == 400 and "cannot be shared with all agencies" in response.get_data(as_text=True)
    world.db.expire_all()
    assert world.db.get(Operation, op.id).visibility == "partners"
    assert world.db.get(Operation, everyone.id).handling_code == "H0"
    api = api_as(world.users["lead"])
    body = {**_api_body(), "visibility": "all", "handling_code": "H2"}
    answer = api.post("/api/v1/operations", json=body)
    assert answer.status_code == 422 and "handling_code" in {e["field"] for e in answer.get_json()["errors"]}


def _api_body() -> dict:
    return {
        "title": "Heroin in a fuel tank",
        "op_type": "checkpoint_inspection",
        "started_at": "2026-05-01T08:00:00+05:00",
        "place_code": "AYRITOM",
        "visibility": "partners",
        "seizures": [
            {
                "category": "drugs",
                "commodity": "heroin",
                "quantity": "1.5",
                "unit": "kg",
                "concealment": "fuel_tank",
                "conveyance": "truck",
                "detection": "x_ray",
            }
        ],
    }


# --- grading on submit ---------------------------------------------------------------------------


@pytest.mark.parametrize("detection", ["intelligence", "profiling"])
def test_grading_is_required_on_submit_for_intelligence_and_profiling(app, world, api_as, detection):
    op = world.make(world.scc, world.team, status="draft")
    seizure = world.db.execute(select(Seizure).where(Seizure.operation_id == op.id)).scalars().one()
    seizure.detection = detection
    world.db.commit()
    client = _client(app, world.users["lead"])
    response = client.post(f"/operations/{op.id}/submit", data={"version": "1"}, follow_redirects=True)
    assert "Grade the record before submitting it" in response.get_data(as_text=True)
    answer = api_as(world.users["lead"]).post(f"/api/v1/operations/{op.id}/submit", headers={"If-Match": '"1"'})
    assert answer.status_code == 422 and answer.get_json()["errors"][0]["field"] == "grading"
    world.db.expire_all()
    assert world.db.get(Operation, op.id).status == "draft"
    data = {"handling_code": "H0", "grading": "B2", "version": "1"}
    assert client.post(f"/operations/{op.id}/handling", data=data).status_code == 302
    assert client.post(f"/operations/{op.id}/submit", data={"version": "2"}).status_code == 302
    world.db.expire_all()
    assert world.db.get(Operation, op.id).status == "submitted"


def test_x_ray_records_need_no_grading(app, world):
    op = world.make(world.scc, world.team, status="draft")
    assert (
        _client(app, world.users["lead"]).post(f"/operations/{op.id}/submit", data={"version": "1"}).status_code == 302
    )
    world.db.expire_all()
    assert world.db.get(Operation, op.id).status == "submitted"


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"handling_code": "H9"}, "Unknown handling code"),
        ({"grading": "Z9"}, "Unknown grading"),
        ({"grading": "B5"}, "Unknown grading"),
        ({"handling_code": "H3"}, "H3 needs its conditions"),
        ({"handling_code": "H1", "handling_conditions": "only in court"}, "Conditions go with handling code H3 only"),
    ],
)
def test_bad_codes_are_refused_on_every_form_and_the_api(app, world, api_as, fields, message):
    op = world.make(world.scc, world.team, visibility="partners", partners=(world.mia,))
    client = _client(app, world.users["lead"])
    data = {"handling_code": "H0", "grading": "", "handling_conditions": "", "version": "1", **fields}
    response = client.post(f"/operations/{op.id}/handling", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = client.post("/operations/new", data=operation_form(world.team, **fields))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    api = api_as(world.users["lead"])
    answer = api.put(
        f"/api/v1/operations/{op.id}/handling", json={"handling_code": "H0", **fields}, headers={"If-Match": '"1"'}
    )
    assert answer.status_code == 422 and any(message in e["message"] for e in answer.get_json()["errors"])
    answer = api.post("/api/v1/operations", json={**_api_body(), **fields})
    assert answer.status_code == 422 and any(message in e["message"] for e in answer.get_json()["errors"])
    world.db.expire_all()
    assert world.db.get(Operation, op.id).handling_code == "H0"
    assert world.db.execute(select(Operation).where(Operation.id != op.id)).first() is None, "nothing stored"


def test_good_codes_are_stored_from_the_form_and_the_api(app, world, api_as):
    client = _client(app, world.users["lead"])
    op_id = create(client, world.team, handling_code="H3", handling_conditions="Court only with consent.", grading="A2")
    stored = world.db.get(Operation, op_id)
    assert (stored.handling_code, stored.handling_conditions, stored.grading) == (
        "H3",
        "Court only with consent.",
        "A2",
    )
    api = api_as(world.users["lead"])
    answer = api.post("/api/v1/operations", json={**_api_body(), "handling_code": "H1", "grading": "D4"})
    assert answer.status_code == 201 and (answer.get_json()["handling_code"], answer.get_json()["grading"]) == (
        "H1",
        "D4",
    )
    changed = api.put(
        f"/api/v1/operations/{op_id}/handling",
        json={"handling_code": "H2", "grading": "B1"},
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200 and changed.get_json()["handling_code"] == "H2"
    assert changed.get_json()["handling_conditions"] == ""


def test_codes_and_h3_conditions_show_in_search_rows_and_the_list(app, world):
    op = world.make(world.scc, world.team, visibility="all")
    _coded(world.db, op, "H3", "B2", "Ask the SCC duty desk before any court use.")
    client = _client(app, world.users["mia_analyst"])
    page = client.get("/search?from=2024-01-01").get_data(as_text=True)
    assert "H3 · B2" in page and "Ask the SCC duty desk before any court use." in page
    listing = client.get("/operations/").get_data(as_text=True)
    assert "handling-badge" in listing and "Ask the SCC duty desk before any court use." in listing
