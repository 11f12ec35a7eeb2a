"""Two people editing one record: the second save is refused by the database and nothing is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from ops.models import Operation, Revision
from ops.operations import revisions
from tests.support.accounts import login
from tests.support.op_forms import SEIZURE, create, edit_form, form_values


@pytest.fixture
def team_of_two(app, make_user, make_team):
    team = make_team("IMT-TER")
    first, second = make_user("SCC", role="lead", teams=[team]), make_user("SCC", role="officer", teams=[team])
    clients = []
    for user in (first, second):
        client = app.test_client()
        assert login(client, user).status_code == 302
        clients.append(client)
    return team, first, second, clients


def test_the_second_save_gets_the_conflict_page_and_both_versions_survive(db, team_of_two):
    team, first, _second, (alice, bob) = team_of_two
    op_id = create(alice, team, seizures=[SEIZURE])
    alice_form, bob_form = edit_form(alice, op_id), edit_form(bob, op_id)
    alice_form.update({"title": "Alice's title", "seizures-0-quantity": "13"})
    assert alice.post(f"/operations/{op_id}/edit", data=alice_form).status_code == 302

    bob_form.update({"title": "Bob's title", "narrative": "Bob wrote three careful paragraphs."})
    conflict = bob.post(f"/operations/{op_id}/edit", data=bob_form)
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Someone else saved this record while you were editing it" in html
    db.expire_all()
    saved = db.get(Operation, op_id)
    assert (saved.title, saved.narrative, saved.version) == ("Alice's title", "X-ray showed a hidden compartment.", 2)
    kept = form_values(html, "operation-form")
    assert kept["title"] == "Bob's title" and kept["narrative"] == "Bob wrote three careful paragraphs."
    assert kept["version"] == "2", "the form now carries the version it was compared with"
    assert "Alice&#39;s title" in html and "Bob&#39;s title" in html  # saved value beside mine
    assert first.full_name in html and "Edited" in html  # who saved since Bob opened the form
    assert "13 kg" in html, "Alice's seizure change is shown beside Bob's"

    # Bob decides, with both in front of him, to save his version
    assert bob.post(f"/operations/{op_id}/edit", data=kept).status_code == 302
    db.expire_all()
    assert db.get(Operation, op_id).title == "Bob's title"
    assert db.exec(select(Revision.action).where(Revision.operation_id == op_id)).all() == ["create", "edit", "edit"]


def test_the_database_refuses_a_save_over_a_change_made_during_the_request(app, db, team_of_two, monkeypatch):
    """The version is checked by the UPDATE itself, not only by comparing numbers in Python."""
    team, _first, _second, (alice, bob) = team_of_two
    op_id = create(alice, team)
    bob_form = edit_form(bob, op_id)
    real_snapshot = revisions.snapshot
    calls = []

    def snapshot_then_someone_saves(db_session, operation):
        result = real_snapshot(db_session, operation)
        if not calls:  # after Bob's request has read the record, Alice commits on her own connection
            calls.append(1)
            with Session(app.extensions["ops_engine"]) as other:
                other.execute(
                    update(Operation)
                    .where(Operation.id == op_id)
                    .values(title="Committed meanwhile", version=Operation.version + 1)
                )
                other.commit()
        return result

    monkeypatch.setattr(revisions, "snapshot", snapshot_then_someone_saves)
    response = bob.post(f"/operations/{op_id}/edit", data={**bob_form, "title": "Bob's title"})
    assert response.status_code == 409
    db.expire_all()
    assert db.get(Operation, op_id).title == "Committed meanwhile"
    assert form_values(response.get_data(as_text=True), "operation-form")["title"] == "Bob's title"


def test_a_record_submitted_while_someone_typed_keeps_their_input_on_the_page(db, team_of_two):
    team, _first, _second, (lead, officer) = team_of_two
    op_id = create(lead, team)
    typed = edit_form(officer, op_id)
    lead.post(f"/operations/{op_id}/submit", data={"version": typed["version"]})
    typed["narrative"] = "A long account the officer must not lose."
    response = officer.post(f"/operations/{op_id}/edit", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "can no longer be changed here" in html
    assert "A long account the officer must not lose." in html
    assert "Save my version over theirs" not in html
    db.expire_all()
    assert db.get(Operation, op_id).narrative == "X-ray showed a hidden compartment."


def test_submitting_a_record_changed_since_it_was_looked_at_is_refused(db, team_of_two):
    team, _first, _second, (lead, officer) = team_of_two
    op_id = create(lead, team)
    seen_version = edit_form(lead, op_id)["version"]
    changed = edit_form(officer, op_id)
    officer.post(f"/operations/{op_id}/edit", data={**changed, "title": "Changed by the officer"})
    response = lead.post(f"/operations/{op_id}/submit", data={"version": seen_version}, follow_redirects=True)
    assert "changed by someone else since you opened it" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Operation, op_id).status == "draft"


def test_saving_an_unchanged_form_writes_nothing(db, team_of_two):
    team, _first, _second, (lead, _officer) = team_of_two
    op_id = create(lead, team)
    response = lead.post(f"/operations/{op_id}/edit", data=edit_form(lead, op_id), follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Operation, op_id).version == 1
    assert db.exec(select(Revision.action)).all() == ["create"]


def test_the_same_user_in_another_tab_is_told_so_not_someone_else(db, team_of_two):
    team, _first, _second, (alice, _bob) = team_of_two
    op_id = create(alice, team, seizures=[SEIZURE])
    first_tab, second_tab = edit_form(alice, op_id), edit_form(alice, op_id)
    first_tab.update({"title": "Saved in the first tab"})
    assert alice.post(f"/operations/{op_id}/edit", data=first_tab).status_code == 302
    second_tab.update({"title": "Typed in the second tab"})
    conflict = alice.post(f"/operations/{op_id}/edit", data=second_tab)
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "You saved this record in another tab or window while editing it here" in html
    assert "Someone else saved" not in html
