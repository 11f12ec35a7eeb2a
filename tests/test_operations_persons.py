"""Identities of persons stay with the owning agency unless shared, on every page; and the home lists."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.models import Operation, Person
from tests.support.accounts import login
from tests.support.op_forms import PERSON, SEIZURE, create, edit_form


@pytest.fixture
def joint_team(app, make_user, make_team, make_agency):
    """IMT-TER has an SCC lead and an MIA officer: one team, two agencies."""
    team, scc, mia = make_team("IMT-TER"), make_agency("SCC"), make_agency("MIA")
    people = {
        "lead": make_user(scc, role="lead", teams=[team]),
        "mia_officer": make_user(mia, role="officer", teams=[team]),
        "supervisor": make_user(scc, role="supervisor"),
        "mia_analyst": make_user(mia, role="analyst"),
    }
    clients = {}
    for name, user in people.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    return team, scc, mia, clients


def test_a_team_member_of_another_agency_edits_without_seeing_or_touching_persons(db, joint_team):
    team, _scc, _mia, c = joint_team
    op_id = create(c["lead"], team, persons=[PERSON, {**PERSON, "full_name": "Second Courier"}])
    page = c["mia_officer"].get(f"/operations/{op_id}").get_data(as_text=True)
    assert "2 persons (details held by Agency SCC)" in page
    assert "Akhmedov" not in page and "Courier" not in page and "FA3838205" not in page
    form = edit_form(c["mia_officer"], op_id)
    assert not any(name.startswith("persons-") for name in form)
    form["title"] = "Title fixed by the MIA officer"
    assert c["mia_officer"].post(f"/operations/{op_id}/edit", data=form).status_code == 302
    db.expire_all()
    assert db.get(Operation, op_id).title == "Title fixed by the MIA officer"
    names = db.exec(select(Person.full_name).where(Person.operation_id == op_id).order_by(Person.id)).all()
    assert names == ["botir Akhmedov", "Second Courier"], "persons the editor cannot see are left as they are"


def test_sharing_identities_lets_partners_see_persons(db, joint_team):
    team, _scc, mia, c = joint_team
    op_id = create(c["lead"], team, persons=[PERSON], participants=[str(mia.id)], persons_agencies=[str(mia.id)])
    c["lead"].post(f"/operations/{op_id}/submit", data={"version": "1"})
    c["supervisor"].post(f"/operations/{op_id}/review", data={"decision": "approve", "version": "2"})
    page = c["mia_analyst"].get(f"/operations/{op_id}").get_data(as_text=True)
    assert "botir Akhmedov" in page and "fa 383-8205" in page


def test_the_history_does_not_reveal_persons_either(db, joint_team):
    team, _scc, _mia, c = joint_team
    op_id = create(c["lead"], team, persons=[PERSON])
    form = edit_form(c["lead"], op_id)
    form["persons-0-document_number"] = "FB 1234567"
    c["lead"].post(f"/operations/{op_id}/edit", data=form)
    lead_view = c["lead"].get(f"/operations/{op_id}").get_data(as_text=True)
    assert "fa 383-8205" in lead_view and "FB 1234567" in lead_view  # the owner sees old and new
    other = c["mia_officer"].get(f"/operations/{op_id}").get_data(as_text=True)
    assert "383-8205" not in other and "1234567" not in other and "Akhmedov" not in other
    assert "details held by Agency SCC" in other


def test_home_lists_drafts_returned_records_and_records_to_review(db, joint_team):
    team, _scc, _mia, c = joint_team
    draft = create(c["lead"], team, title="Still a draft")
    returned = create(c["lead"], team, title="Sent back", seizures=[SEIZURE])
    c["lead"].post(f"/operations/{returned}/submit", data={"version": "1"})
    c["supervisor"].post(
        f"/operations/{returned}/review",
        data={"decision": "return", "comment": "Add the seal numbers.", "version": "2"},
    )
    waiting = create(c["lead"], team, title="Waiting for review")
    c["lead"].post(f"/operations/{waiting}/submit", data={"version": "1"})
    home = c["lead"].get("/").get_data(as_text=True)
    drafts_part = home[home.index("My team's drafts") :]
    returned_part = home[home.index("Returned to my team") : home.index("My team's drafts")]
    assert "Still a draft" in drafts_part and "Sent back" in returned_part
    assert "Add the seal numbers." in returned_part
    assert "New operation" in home
    review = c["supervisor"].get("/").get_data(as_text=True)
    to_review = review[review.index("Waiting for my review") : review.index("Recent operations")]
    assert "Waiting for review" in to_review and "Still a draft" not in to_review
    assert "New operation" not in review
    analyst_home = c["mia_analyst"].get("/").get_data(as_text=True)
    assert "Still a draft" not in analyst_home and f"/operations/{draft}" not in analyst_home
