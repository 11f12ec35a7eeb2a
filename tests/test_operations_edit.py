"""Editing through the real form: rows keep their identity, copies stay in step, sharing follows participants."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from ops.models import Operation, OperationShare, Person, Revision, Seizure
from tests.support.op_forms import PERSON, SEIZURE, create, edit_form, local, yesterday


def _setup(make_user, make_team, make_agency, login_as):
    team = make_team("IMT-TER")
    lead = make_user("SCC", role="lead", teams=[team])
    login_as(lead)
    return team, make_agency("SSS"), make_agency("MIA")


def test_rows_are_updated_in_place_and_removed_rows_are_deleted(
    client, db, make_user, make_team, make_agency, login_as
):
    team, _sss, _mia = _setup(make_user, make_team, make_agency, login_as)
    cash = {**SEIZURE, "category": "cash", "commodity": "cash_usd", "quantity": "500", "unit": "USD"}
    op_id = create(client, team, seizures=[SEIZURE, cash], persons=[{**PERSON, "seizure_row": "2"}])
    heroin_id, cash_id = db.exec(select(Seizure.id).order_by(Seizure.id)).all()
    form = edit_form(client, op_id)
    form["seizures-0-quantity"] = "11"
    for key in [k for k in form if k.startswith("seizures-1-")]:
        form[key] = ""  # the officer empties the cash row: it goes
    form["persons-0-seizure_row"] = "1"
    assert client.post(f"/operations/{op_id}/edit", data=form).status_code == 302
    db.expire_all()
    seizures = db.exec(select(Seizure).where(Seizure.operation_id == op_id)).all()
    assert [(s.id, str(s.quantity)) for s in seizures] == [(heroin_id, "11.000")]
    assert db.get(Seizure, cash_id) is None
    assert db.exec(select(Person.seizure_id)).one() == heroin_id
    changes = json.loads(db.exec(select(Revision.changes).where(Revision.action == "edit")).one())
    assert {c["field"] for c in changes} == {
        f"seizure:{heroin_id}",
        f"seizure:{cash_id}",
        f"person:{db.exec(select(Person.id)).one()}",
    }


def test_moving_the_start_moves_the_seizures_copies(client, db, make_user, make_team, make_agency, login_as):
    team, _sss, _mia = _setup(make_user, make_team, make_agency, login_as)
    op_id = create(client, team)
    form = edit_form(client, op_id)
    earlier = yesterday() - timedelta(days=2)
    form.update(started_at=local(earlier), ended_at=local(earlier + timedelta(hours=3)))
    assert client.post(f"/operations/{op_id}/edit", data=form).status_code == 302
    db.expire_all()
    op = db.get(Operation, op_id)
    seizure = db.exec(select(Seizure)).one()
    assert op.started_at == earlier and seizure.occurred_at == earlier
    assert seizure.owner_agency_id == op.owner_agency_id


def test_default_sharing_follows_the_participants_and_picked_sharing_does_not(
    client, db, make_user, make_team, make_agency, login_as
):
    team, sss, mia = _setup(make_user, make_team, make_agency, login_as)
    sbs = make_agency("SBS")
    follows = create(client, team, participants=[str(sss.id)])
    picked = create(client, team, participants=[str(sss.id)], share_agencies=[str(sbs.id)])

    def shares(op_id):
        return db.exec(select(OperationShare.agency_id).where(OperationShare.operation_id == op_id)).all()

    assert (shares(follows), shares(picked)) == ([sss.id], [sbs.id])
    for op_id in (follows, picked):
        form = edit_form(client, op_id)
        form["participants"] = [str(mia.id)]  # SSS did not take part after all; MIA did
        assert client.post(f"/operations/{op_id}/edit", data=form).status_code == 302
    assert shares(follows) == [mia.id], "partners = the participating agencies, kept in step"
    assert shares(picked) == [sbs.id], "agencies picked by name stay as picked"
    page = client.get(f"/operations/{follows}").get_data(as_text=True)
    assert "Agency MIA" in page and "Participating agencies" in page
