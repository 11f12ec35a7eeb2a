"""Planned operations: seen only by their own agency's team and supervisors; a save tells of conflicts (time
overlap and a touching place or a shared target) as who to call, never what the other plan is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from ops import clock
from ops.models import AuditEvent, InboxItem
from ops.models_plans import Plan, PlanConflict, PlanTarget
from tests.support.accounts import login
from tests.support.hitkit import text
from tests.support.plankit import form, generated_pairs, local, post_plan


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def _plan_id(response) -> int:
    assert response.status_code == 302, text(response)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def two_agencies(app, make_agency, make_team, make_user):
    scc, mia = make_agency("SCC", "State Customs Committee"), make_agency("MIA", "Ministry of Internal Affairs")
    ter, sam, mia_team = make_team("IMT-TER"), make_team("IMT-SAM"), make_team("MIA-UNIT")
    people = {
        "scc_lead": make_user(scc, "lead", teams=[ter]),
        "scc_sam_lead": make_user(scc, "lead", teams=[sam]),
        "scc_supervisor": make_user(scc, "supervisor"),
        "mia_lead": make_user(mia, "lead", teams=[mia_team]),
        "mia_supervisor": make_user(mia, "supervisor"),
    }
    return {"scc": scc, "mia": mia, "ter": ter, "sam": sam, "mia_team": mia_team, **people}


# --- bad input -------------------------------------------------------------------------


def _bad_window(days: float, hours_before: float = 0):
    start = clock.now() + timedelta(days=1)
    return {"starts_at": local(start), "ends_at": local(start + timedelta(days=days) - timedelta(hours=hours_before))}


@pytest.mark.parametrize(
    "overrides, message",
    [
        (_bad_window(0, hours_before=2), "The plan ends before it starts"),
        (_bad_window(31), "A plan lasts at most 30 days"),
        ({"lat": "41.3", "lon": "69.2", "radius_km": "0"}, "The radius must be more than 0 km."),
        ({"lat": "41.3", "lon": "69.2", "radius_km": "101"}, "The radius is at most 100 km."),
        ({"lat": "41.3", "lon": "69.2"}, "Give the radius in km around the coordinates."),
        ({"lat": "41.3", "radius_km": "2"}, "Give both latitude and longitude."),
        ({"lat": "95", "lon": "69.2", "radius_km": "2"}, "Latitude is between -90 and 90."),
        ({}, "Give a place or at least one target"),
        ({"place_code": "NOWHERE", "plates": "01A777KA"}, "Choose a crossing point from the register."),
        ({"plates": "ab"}, "“ab” is not a plate."),
        ({"names": "Rahimov"}, "“Rahimov” is not a full name."),
        ({"phones": "12", "plates": "01A777KA"}, "“12” is not a phone number."),
        ({"plates": "01A777KA", "duty_contact": " "}, "Give the duty contact"),
        ({"plates": "01A777KA", "kind": "picnic"}, "Choose what is planned."),
        ({"plates": "01A777KA", "team_id": "999"}, "Choose one of your teams."),
    ],
)
def test_bad_input_says_what_and_saves_nothing(app, db, two_agencies, overrides, message):
    client = _client(app, two_agencies["scc_lead"])
    response = post_plan(client, two_agencies["ter"], **overrides)
    assert response.status_code == 400 and message in text(response)
    assert _count(db, Plan) == 0 and _count(db, PlanTarget) == 0


def test_a_crossing_point_counts_as_one_km_and_targets_are_stored_as_keys(app, db, two_agencies):
    client = _client(app, two_agencies["scc_lead"])
    plan_id = _plan_id(
        post_plan(client, two_agencies["ter"], place_code="AYRITOM", plates="01 a 777-ka", names="Жасур Рахимов")
    )
    plan = db.get(Plan, plan_id)
    assert (plan.radius_km, plan.place_code) == (1.0, "AYRITOM") and plan.lat == pytest.approx(37.2317)
    keys = {(t.kind, t.value) for t in db.exec(select(PlanTarget).where(PlanTarget.plan_id == plan_id))}
    assert ("plate", "01A777KA") in keys and any(kind == "name" for kind, _v in keys)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "plan_create")).first() is not None


# --- conflicts -------------------------------------------------------------------------


def test_every_planted_conflict_is_found_and_none_invented(app, db, two_agencies):
    """Pairs over time overlap × distance × shared target × across/within an agency: the log holds exactly the
    planted conflicts, and each saver was told "no conflict" exactly when none was planted."""
    a_client = _client(app, two_agencies["scc_lead"])
    clients = {False: _client(app, two_agencies["mia_lead"]), True: _client(app, two_agencies["scc_sam_lead"])}
    expected, told = set(), {}
    for pair in generated_pairs():
        team_b = two_agencies["sam"] if pair.same_agency else two_agencies["mia_team"]
        a_form, b_form = pair.forms(two_agencies["ter"], team_b)
        a_id = _plan_id(a_client.post("/plans/new", data=a_form))
        response = clients[pair.same_agency].post("/plans/new", data=b_form, follow_redirects=True)
        b_id = db.exec(select(func.max(Plan.id))).one()
        told[pair] = "No conflict with any other plan." in text(response)
        if pair.conflicts:
            expected.add((b_id, a_id))
    found = {(c.plan_a_id, c.plan_b_id) for c in db.exec(select(PlanConflict))}
    assert found == expected
    assert all(told[pair] != pair.conflicts for pair in told)


def test_the_saver_hears_who_to_call_and_both_supervisors_get_an_item(app, db, two_agencies):
    lead, mia = _client(app, two_agencies["scc_lead"]), _client(app, two_agencies["mia_lead"])
    _plan_id(post_plan(lead, two_agencies["ter"], plates="01A777KA", duty_contact="Major Karimov +998 90 111 22 33"))
    saved = mia.post("/plans/new", data=form(two_agencies["mia_team"], plates="01 A 777 KA"), follow_redirects=True)
    told = (
        "Conflict with a plan of State Customs Committee: contact their duty officer Major Karimov +998 90 111 22 33."
    )
    assert told in text(saved)
    items = {i.user_id: i for i in db.exec(select(InboxItem).where(InboxItem.kind == "plan_conflict"))}
    assert set(items) == {two_agencies["scc_supervisor"].id, two_agencies["mia_supervisor"].id}
    inbox = text(_client(app, two_agencies["mia_supervisor"]).get("/inbox"))
    assert "State Customs Committee" in inbox and "Major Karimov +998 90 111 22 33" in inbox


def test_two_teams_of_one_agency_conflict_and_the_message_names_the_other_team(app, two_agencies):
    lead, sam = _client(app, two_agencies["scc_lead"]), _client(app, two_agencies["scc_sam_lead"])
    _plan_id(post_plan(lead, two_agencies["ter"], plates="01A777KA", duty_contact="Ter desk 1234"))
    response = sam.post("/plans/new", data=form(two_agencies["sam"], plates="01A777KA"), follow_redirects=True)
    page = text(response)
    assert "Conflict with a plan of team Team IMT-TER of your agency: contact their duty officer Ter desk 1234." in page


def test_a_conflict_stays_in_the_log_until_both_sides_mark_it_resolved(app, db, two_agencies):
    lead, mia = _client(app, two_agencies["scc_lead"]), _client(app, two_agencies["mia_lead"])
    a_id = _plan_id(post_plan(lead, two_agencies["ter"], plates="01A777KA"))
    b_id = _plan_id(post_plan(mia, two_agencies["mia_team"], plates="01A777KA"))
    conflict = db.exec(select(PlanConflict)).one()
    lead.post(f"/plans/{a_id}/cancel", data={"version": "1"})
    assert lead.post(f"/plans/conflicts/{conflict.id}/plans/{a_id}/resolve").status_code == 302
    assert "waiting for the other side" in text(lead.get("/plans/conflicts"))
    assert mia.post(f"/plans/conflicts/{conflict.id}/plans/{a_id}/resolve").status_code == 404  # not their plan
    assert mia.post(f"/plans/conflicts/{conflict.id}/plans/{b_id}/resolve").status_code == 302
    db.expire_all()
    done = db.get(PlanConflict, conflict.id)
    assert done.resolved_a_at is not None and done.resolved_b_at is not None
    assert "both sides" in text(lead.get("/plans/conflicts"))


# --- what never crosses to the other side ---------------------------------------------------

CANARY_WORDS = ("Zebracanary", "Quokkaplace", "Wombatcase", "41.98765", "77Q999WQ")


def test_no_word_of_another_agencys_plan_reaches_the_saver_the_inbox_or_any_page(app, db, two_agencies, make_team):
    canary_team = make_team("MIA-WOMBATCASE", name="Wombatcase unit")
    from ops.models import TeamMember

    db.add(TeamMember(team_id=canary_team.id, user_id=two_agencies["mia_lead"].id))
    db.commit()
    mia = _client(app, two_agencies["mia_lead"])
    b_id = _plan_id(
        post_plan(
            mia,
            canary_team,
            kind="surveillance",
            lat="41.98765",
            lon="69.2",
            radius_km="3",
            names="Zebracanary Quokkaplace",
            plates="01A777KA\n77Q999WQ",
            duty_contact="MIA desk 5555",
        )
    )
    lead = _client(app, two_agencies["scc_lead"])
    saved = lead.post("/plans/new", data=form(two_agencies["ter"], plates="01A777KA"), follow_redirects=True)
    a_id = db.exec(select(func.max(Plan.id))).one()
    assert "contact their duty officer MIA desk 5555" in text(saved)
    supervisor = _client(app, two_agencies["scc_supervisor"])
    answers = [saved, lead.get("/plans"), lead.get(f"/plans/{a_id}"), lead.get("/plans/conflicts")]
    answers += [supervisor.get(p) for p in ("/inbox", "/plans", f"/plans/{a_id}", "/plans/conflicts")]
    for item in db.exec(select(InboxItem).where(InboxItem.user_id == two_agencies["scc_supervisor"].id)):
        answers.append(supervisor.get(f"/inbox/{item.id}", follow_redirects=True))
    for answer in answers:
        body = text(answer)
        assert not [word for word in CANARY_WORDS if word in body], answer.request.path
    assert all(c.get(f"/plans/{b_id}").status_code == 404 for c in (lead, supervisor))
    params = " ".join(i.params for i in db.exec(select(InboxItem)))
    assert not [word for word in CANARY_WORDS if word in params]


# --- who may see a plan ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, agency, team, expected",
    [
        ("lead", "SCC", "IMT-TER", 200),  # the plan's team, of its agency
        ("officer", "SCC", "IMT-TER", 200),
        ("supervisor", "SCC", None, 200),  # its agency's supervisors
        ("lead", "SCC", "IMT-SAM", 404),  # another team of the agency
        ("officer", "MIA", "IMT-TER", 404),  # the same team, another agency
        ("supervisor", "MIA", None, 404),
        ("analyst", "SCC", None, 404),
        ("auditor", "SCC", None, 404),
        ("admin", "SCC", None, 404),
    ],
)
def test_who_may_see_a_plan(app, db, two_agencies, make_user, make_team, who, agency, team, expected):
    plan_id = _plan_id(post_plan(_client(app, two_agencies["scc_lead"]), two_agencies["ter"], plates="01A777KA"))
    user = make_user(agency, who, teams=[make_team(team)] if team else [])
    client = _client(app, user)
    assert client.get(f"/plans/{plan_id}").status_code == expected
    assert client.get(f"/plans/{plan_id}/edit").status_code == (200 if expected == 200 else 404)
    listed = client.get("/plans")
    if listed.status_code == 200:
        assert (f"/plans/{plan_id}" in text(listed)) == (expected == 200)


# --- concurrent edits, closing -------------------------------------------------------------------------


def test_a_save_over_a_newer_change_is_refused(app, db, two_agencies):
    lead, supervisor = _client(app, two_agencies["scc_lead"]), _client(app, two_agencies["scc_supervisor"])
    plan_id = _plan_id(post_plan(lead, two_agencies["ter"], plates="01A777KA"))
    first = form(two_agencies["ter"], plates="01A777KA\n01B888BB", version="1")
    assert lead.post(f"/plans/{plan_id}/edit", data=first).status_code == 302
    late = supervisor.post(f"/plans/{plan_id}/edit", data=form(two_agencies["ter"], plates="03C333CC", version="1"))
    assert late.status_code == 409 and "Someone else changed this plan meanwhile" in text(late)
    db.expire_all()
    values = {t.value for t in db.exec(select(PlanTarget).where(PlanTarget.plan_id == plan_id))}
    assert values == {"01A777KA", "01B888BB"}


def test_expired_plans_are_closed_by_the_command_and_on_reading_and_stay_in_the_log(app, db, two_agencies, runner):
    lead, mia = _client(app, two_agencies["scc_lead"]), _client(app, two_agencies["mia_lead"])
    _plan_id(post_plan(lead, two_agencies["ter"], plates="01A777KA"))
    _plan_id(post_plan(mia, two_agencies["mia_team"], plates="01A777KA"))
    clock.freeze(clock.now() + timedelta(days=3))
    try:
        result = runner.invoke(args=["plans", "close"])
        assert result.exit_code == 0 and "plans closed: 2" in result.output
        db.expire_all()
        assert {p.status for p in db.exec(select(Plan))} == {"expired"}
        assert _count(db, PlanConflict) == 1
        assert "plans closed: 0" in runner.invoke(args=["plans", "close"]).output
    finally:
        clock.unfreeze()


# --- from plan to report -----------------------------------------------------------------------


def test_report_on_this_plan_opens_an_operation_draft_filled_from_the_plan(app, db, two_agencies):
    lead = _client(app, two_agencies["scc_lead"])
    start = clock.now() - timedelta(hours=2)
    plan_id = _plan_id(
        post_plan(
            lead,
            two_agencies["ter"],
            kind="controlled_delivery",
            starts_at=local(start),
            ends_at=local(start + timedelta(hours=5)),
            place_code="AYRITOM",
            plates="01A777KA",
            names="Rahimov Jasur",
        )
    )
    assert "Report on this plan" in text(lead.get(f"/plans/{plan_id}"))
    page = lead.get(f"/plans/{plan_id}/report")
    body = text(page)
    assert page.status_code == 200 and 'action="/operations/new"' in body
    assert 'value="01A777KA"' in body and 'value="Rahimov Jasur"' in body
    assert '<option selected value="AYRITOM">' in body and '<option selected value="controlled_delivery">' in body
    assert f'value="{local(start)}"' in body
    assert db.exec(select(func.count()).select_from(Plan)).one() == 1  # nothing else written
    supervisor = _client(app, two_agencies["scc_supervisor"])
    assert supervisor.get(f"/plans/{plan_id}/report").status_code in (403, 404)
    assert _client(app, two_agencies["mia_lead"]).get(f"/plans/{plan_id}/report").status_code == 404
