"""Review through the real forms: submit, return with a comment, fix, resubmit, approve, amend, visibility."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from ops.models import AuditEvent, Operation, OperationShare, Revision
from tests.support.accounts import login
from tests.support.op_forms import PERSON, SEIZURE, create, edit_form, errors


@pytest.fixture
def people(app, make_user, make_team, make_agency):
    team = make_team("IMT-TER")
    scc, mia = make_agency("SCC"), make_agency("MIA")
    return {
        "team": team,
        "scc": scc,
        "mia": mia,
        "lead": make_user(scc, role="lead", teams=[team]),
        "officer": make_user(scc, role="officer", teams=[team]),
        "supervisor": make_user(scc, role="supervisor"),
        "mia_supervisor": make_user(mia, role="supervisor"),
        "mia_analyst": make_user(mia, role="analyst"),
        "other_lead": make_user(scc, role="lead", teams=[make_team("IMT-AND")]),
    }


def as_user(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def version(db, op_id: int) -> str:
    db.expire_all()
    return str(db.get(Operation, op_id).version)


def status(db, op_id: int) -> str:
    db.expire_all()
    return db.get(Operation, op_id).status


def test_submit_return_fix_resubmit_approve(app, db, people):
    lead, supervisor = as_user(app, people["lead"]), as_user(app, people["supervisor"])
    op_id = create(lead, people["team"], seizures=[SEIZURE], persons=[PERSON])
    assert lead.post(f"/operations/{op_id}/submit", data={"version": version(db, op_id)}).status_code == 302
    assert status(db, op_id) == "submitted"
    assert f"/operations/{op_id}" in supervisor.get("/").get_data(as_text=True)  # waiting for my review

    refused = supervisor.post(
        f"/operations/{op_id}/review", data={"decision": "return", "comment": " ", "version": version(db, op_id)}
    )
    assert refused.status_code == 400 and "Say what the team lead should fix." in errors(refused)
    assert status(db, op_id) == "submitted"
    supervisor.post(
        f"/operations/{op_id}/review",
        data={"decision": "return", "comment": "Quantity looks wrong: weigh again.", "version": version(db, op_id)},
    )
    assert status(db, op_id) == "returned"
    page = lead.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Quantity looks wrong: weigh again." in page
    assert "Returned to my team" in lead.get("/").get_data(as_text=True)

    fixed = edit_form(lead, op_id)
    fixed["seizures-0-quantity"] = "12.25"
    assert lead.post(f"/operations/{op_id}/edit", data=fixed).status_code == 302
    lead.post(f"/operations/{op_id}/submit", data={"version": version(db, op_id)})
    assert status(db, op_id) == "submitted"
    supervisor.post(f"/operations/{op_id}/review", data={"decision": "approve", "version": version(db, op_id)})
    op = db.get(Operation, op_id)
    assert (op.status, op.approved_by_id, op.return_comment) == ("approved", people["supervisor"].id, None)
    actions = db.exec(select(Revision.action).where(Revision.operation_id == op_id).order_by(Revision.id)).all()
    assert actions == ["create", "submit", "return", "edit", "submit", "approve"]
    audited = db.exec(
        select(AuditEvent.action).where(AuditEvent.object_id == str(op_id), AuditEvent.action.like("operation_%"))
    ).all()
    assert audited == [
        "operation_create",
        "operation_submit",
        "operation_return",
        "operation_edit",
        "operation_submit",
        "operation_approve",
    ]
    history = lead.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Returned to the team" in history and "Quantity looks wrong" in history
    assert "12.5 kg" in history and "12.25 kg" in history  # the fix, old and new


@pytest.mark.parametrize(
    "who,action,expected",
    [
        ("officer", "submit", 403),  # only the lead submits
        ("other_lead", "submit", 404),  # a draft of another team is not even visible
        ("supervisor", "edit", 403),  # supervisors review, they do not write the team's draft
        ("mia_supervisor", "view", 404),  # drafts never leave the owning agency
        ("lead", "review", 403),  # a lead does not approve their own record
    ],
)
def test_who_may_do_what_on_a_draft(app, db, people, who, action, expected):
    op_id = create(as_user(app, people["lead"]), people["team"])
    client = as_user(app, people[who])
    urls = {
        "submit": ("post", f"/operations/{op_id}/submit"),
        "edit": ("get", f"/operations/{op_id}/edit"),
        "view": ("get", f"/operations/{op_id}"),
        "review": ("post", f"/operations/{op_id}/review"),
    }
    method, url = urls[action]
    response = getattr(client, method)(url, data={"version": version(db, op_id), "decision": "approve"})
    assert response.status_code == expected
    assert status(db, op_id) == "draft"
    refusal = db.exec(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
    assert refusal and refusal[-1].user_id == people[who].id


def _approved(app, db, people, **kwargs):
    lead = as_user(app, people["lead"])
    op_id = create(lead, people["team"], **kwargs)
    lead.post(f"/operations/{op_id}/submit", data={"version": version(db, op_id)})
    as_user(app, people["supervisor"]).post(
        f"/operations/{op_id}/review", data={"decision": "approve", "version": version(db, op_id)}
    )
    assert status(db, op_id) == "approved"
    return lead, op_id


def test_a_submitted_record_cannot_be_edited(app, db, people):
    lead = as_user(app, people["lead"])
    op_id = create(lead, people["team"])
    data = edit_form(lead, op_id)
    lead.post(f"/operations/{op_id}/submit", data={"version": version(db, op_id)})
    assert lead.get(f"/operations/{op_id}/edit").status_code == 403
    data["version"] = version(db, op_id)
    assert lead.post(f"/operations/{op_id}/edit", data={**data, "title": "Sneaky"}).status_code == 403
    assert db.get(Operation, op_id).title == "Heroin in a fuel tank"


def test_amending_an_approved_record_needs_a_reason_and_is_kept_in_history(app, db, people):
    lead, op_id = _approved(app, db, people)
    data = edit_form(lead, op_id)
    assert "reason" in data
    data["title"] = "Heroin in a fuel tank (corrected)"
    refused = lead.post(f"/operations/{op_id}/edit", data=data)
    assert refused.status_code == 400 and "Say why the approved record is changed." in errors(refused)
    assert db.get(Operation, op_id).title == "Heroin in a fuel tank"
    data["reason"] = "Lab report: the title named the wrong crossing."
    assert lead.post(f"/operations/{op_id}/edit", data=data).status_code == 302
    db.expire_all()
    op = db.get(Operation, op_id)
    assert (op.status, op.title) == ("approved", "Heroin in a fuel tank (corrected)")
    amend = db.exec(select(Revision).where(Revision.action == "amend")).one()
    assert amend.reason == "Lab report: the title named the wrong crossing." and amend.user_id == people["lead"].id
    assert json.loads(amend.changes) == [
        {"field": "title", "old": "Heroin in a fuel tank", "new": "Heroin in a fuel tank (corrected)"}
    ]
    page = lead.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Amended after approval" in page and "Lab report: the title named the wrong crossing." in page
    assert as_user(app, people["officer"]).get(f"/operations/{op_id}/edit").status_code == 403


def test_only_approved_records_leave_the_team_and_agency(app, db, people):
    lead = as_user(app, people["lead"])
    op_id = create(lead, people["team"], persons=[PERSON], participants=[str(people["mia"].id)])
    analyst = as_user(app, people["mia_analyst"])
    assert analyst.get(f"/operations/{op_id}").status_code == 404
    _lead, approved_id = _approved(app, db, people, persons=[PERSON], participants=[str(people["mia"].id)])
    page = analyst.get(f"/operations/{approved_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 person (details held by Agency SCC)" in html
    assert "Akhmedov" not in html and "383-8205" not in html, "no identity may leak, not even through the history"
    assert "details held by Agency SCC" in html


def test_changing_visibility_is_its_own_audited_form(app, db, people):
    lead, op_id = _approved(app, db, people)
    analyst = as_user(app, people["mia_analyst"])
    assert analyst.get(f"/operations/{op_id}").status_code == 404
    officer = as_user(app, people["officer"])
    assert officer.post(f"/operations/{op_id}/visibility", data={"visibility": "all"}).status_code == 403
    assert lead.post(f"/operations/{op_id}/visibility", data={"visibility": "planet"}).status_code == 400
    response = lead.post(
        f"/operations/{op_id}/visibility",
        data={"visibility": "partners", "share_agencies": [str(people["mia"].id)], "version": version(db, op_id)},
    )
    assert response.status_code == 302
    assert db.exec(select(OperationShare.agency_id).where(OperationShare.operation_id == op_id)).all() == [
        people["mia"].id
    ]
    assert analyst.get(f"/operations/{op_id}").status_code == 200
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "operation_visibility")).one()
    assert event.object_agency_id == people["scc"].id and "MIA" in event.detail
    page = lead.get(f"/operations/{op_id}").get_data(as_text=True)
    assert "Visibility changed" in page and "Shared with" in page
    supervisor = as_user(app, people["supervisor"])
    supervisor.post(f"/operations/{op_id}/visibility", data={"visibility": "agency", "version": version(db, op_id)})
    assert analyst.get(f"/operations/{op_id}").status_code == 404
    assert (
        as_user(app, people["mia_supervisor"])
        .post(f"/operations/{op_id}/visibility", data={"visibility": "all"})
        .status_code
        == 404
    )
