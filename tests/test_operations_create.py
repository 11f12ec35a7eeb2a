"""Recording an operation through the real form: what is stored, normalised, audited and refused."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlmodel import select

from ops.models import AuditEvent, Operation, OperationAgency, OperationShare, Person, Revision, Seizure, Vehicle
from tests.support.op_forms import PERSON, SEIZURE, VEHICLE, create, errors, form_values, latest, operation_form


def _lead(make_user, make_team, agency="SCC"):
    team = make_team("IMT-TER")
    return make_user(agency, role="lead", teams=[team]), team


def test_new_form_offers_what_a_lead_needs(client, make_user, make_team, login_as):
    lead, _team = _lead(make_user, make_team)
    login_as(lead)
    page = client.get("/operations/new").get_data(as_text=True)
    for needle in (
        'name="title"',
        'name="started_at"',
        'type="datetime-local"',
        'name="seizures-0-commodity"',
        'data-template="seizure"',
        'name="add_row" value="person"',
        "Ayritom (Termez bridge)",
        'list="country-list"',
        "Asia/Tashkent",
        "operation-form.js",
    ):
        assert needle in page, needle
    home = client.get("/").get_data(as_text=True)
    assert 'href="/operations/new"' in home and 'href="/operations/"' in home
    assert client.get("/operations/keepalive").status_code == 204  # the form's script keeps typing sessions alive


def test_a_lead_records_an_operation_with_everything(client, db, make_user, make_team, make_agency, login_as):
    lead, team = _lead(make_user, make_team)
    sss = make_agency("SSS")
    login_as(lead)
    second = {**SEIZURE, "commodity": "acetic_anhydride", "category": "precursors", "quantity": "20", "unit": "l"}
    op_id = create(
        client, team, seizures=[SEIZURE, second], persons=[PERSON], vehicles=[VEHICLE], participants=[str(sss.id)]
    )
    op = db.get(Operation, op_id)
    assert op.status == "draft" and op.owner_agency_id == lead.agency_id and op.owner_team_id == team.id
    assert op.ref.startswith(f"IMT-TER-{op.started_at.year}-") or op.ref.startswith("IMT-TER-")
    assert op.place_code == "AYRITOM" and op.region == "Surkhandarya" and op.lat == 37.2317
    assert op.created_by_id == lead.id and op.started_at.tzinfo is not None
    seizures = db.exec(select(Seizure).where(Seizure.operation_id == op_id).order_by(Seizure.id)).all()
    assert [(s.quantity, s.unit, s.kg_equivalent) for s in seizures] == [
        (Decimal("12.5"), "kg", Decimal("12.5")),
        (Decimal("20"), "l", Decimal("21.6")),
    ]
    heroin = seizures[0]
    assert (heroin.origin_country, heroin.transit_countries, heroin.destination_country) == ("AF", "TJ KZ", "RU")
    assert heroin.owner_agency_id == op.owner_agency_id and heroin.occurred_at == op.started_at
    participants = db.exec(select(OperationAgency.agency_id).where(OperationAgency.operation_id == op_id)).all()
    assert sorted(participants) == sorted([lead.agency_id, sss.id])
    shares = db.exec(select(OperationShare.agency_id).where(OperationShare.operation_id == op_id)).all()
    assert shares == [sss.id], "partners by default = the participating agencies"
    assert op.visibility == "partners" and op.share_persons is False


def test_plates_documents_and_names_are_normalised_on_save(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    cyrillic_plate = {**VEHICLE, "plate": "А 777 ВС 77", "country": "Russia"}
    op_id = create(client, team, persons=[PERSON], vehicles=[VEHICLE, cyrillic_plate])
    person = db.exec(select(Person).where(Person.operation_id == op_id)).one()
    assert person.full_name == "botir Akhmedov" and person.name_norm == "BOTIR AKHMEDOV"
    assert person.document_number == "fa 383-8205" and person.document_norm == "FA3838205"
    plates = db.exec(
        select(Vehicle.plate_norm, Vehicle.country).where(Vehicle.operation_id == op_id).order_by(Vehicle.id)
    ).all()
    assert plates == [("01A123BC", "UZ"), ("A777BC77", "RU")]


def test_persons_and_vehicles_are_linked_to_their_seizure_by_row_number(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    cash = {**SEIZURE, "category": "cash", "commodity": "cash_usd", "quantity": "25 000", "unit": "USD"}
    op_id = create(
        client,
        team,
        seizures=[SEIZURE, cash],
        persons=[{**PERSON, "seizure_row": "2"}],
        vehicles=[{**VEHICLE, "seizure_row": ""}],
    )
    seizures = db.exec(select(Seizure).where(Seizure.operation_id == op_id).order_by(Seizure.id)).all()
    assert seizures[1].quantity == Decimal("25000") and seizures[1].kg_equivalent is None
    assert db.exec(select(Person.seizure_id)).one() == seizures[1].id
    assert db.exec(select(Vehicle.seizure_id)).one() is None


def test_empty_rows_are_skipped_and_a_link_to_an_empty_row_is_refused(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    blank = {key: "" for key in SEIZURE}
    op_id = create(client, team, seizures=[blank, SEIZURE, blank], persons=[{key: "" for key in PERSON}])
    assert len(db.exec(select(Seizure).where(Seizure.operation_id == op_id)).all()) == 1
    assert db.exec(select(Person)).all() == []
    refused = client.post(
        "/operations/new",
        data=operation_form(team, seizures=[SEIZURE, blank], persons=[{**PERSON, "seizure_row": "2"}]),
    )
    assert refused.status_code == 400 and "Seizure 2 is empty." in errors(refused)


def test_extra_fields_cannot_set_owner_status_version_or_reference(
    client, db, make_user, make_team, make_agency, login_as
):
    lead, team = _lead(make_user, make_team)
    other_agency, other_team = make_agency("MIA"), make_team("IMT-AND")
    login_as(lead)
    op_id = create(
        client,
        team,
        owner_agency_id=str(other_agency.id),
        status="approved",
        version="42",
        ref="FAKE-1",
        created_by_id="999",
        approved_by_id=str(lead.id),
        **{"seizures-0-owner_agency_id": str(other_agency.id), "seizures-0-kg_equivalent": "999"},
    )
    op = db.get(Operation, op_id)
    assert (op.owner_agency_id, op.status, op.version, op.ref.startswith("IMT-TER-")) == (
        lead.agency_id,
        "draft",
        1,
        True,
    )
    assert op.approved_by_id is None and op.created_by_id == lead.id
    seizure = db.exec(select(Seizure)).one()
    assert seizure.owner_agency_id == lead.agency_id and seizure.kg_equivalent == Decimal("12.5")
    refused = client.post("/operations/new", data=operation_form(team, owner_team_id=str(other_team.id)))
    assert refused.status_code == 400 and "You are not a member of this team." in errors(refused)


def test_a_child_row_of_another_operation_cannot_be_taken_over(
    client, db, make_user, make_team, make_agency, make_operation, login_as
):
    lead, team = _lead(make_user, make_team)
    foreign = make_operation(make_agency("MIA"), make_team("IMT-AND"))
    foreign_seizure = db.exec(select(Seizure).where(Seizure.operation_id == foreign.id)).one()
    login_as(lead)
    create(client, team, seizures=[{**SEIZURE, "key": str(foreign_seizure.id)}])
    db.expire_all()
    untouched = db.get(Seizure, foreign_seizure.id)
    assert untouched.operation_id == foreign.id and untouched.commodity == "heroin" and untouched.quantity == 1.5


def test_creation_is_audited_with_a_revision_in_the_same_transaction(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    op_id = create(client, team, persons=[PERSON])
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "operation_create")).one()
    assert (event.object_type, event.object_id, event.object_agency_id, event.user_id) == (
        "operation",
        str(op_id),
        lead.agency_id,
        lead.id,
    )
    revision = db.exec(select(Revision).where(Revision.operation_id == op_id)).one()
    fields = {change["field"].split(":")[0] for change in json.loads(revision.changes)}
    assert {"title", "started_at", "participants", "seizure", "person"} <= fields


def test_every_get_of_an_operation_page_writes_a_view_event(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    op_id = create(client, team)
    assert client.get(f"/operations/{op_id}").status_code == 200
    assert client.get(f"/operations/{op_id}/edit").status_code == 200
    views = db.exec(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [(v.object_type, v.object_id, v.object_agency_id) for v in views] == [
        ("operation", str(op_id), lead.agency_id)
    ] * 2
    assert [json.loads(v.detail)["page"] for v in views] == ["record", "edit"]


def test_a_user_of_several_teams_chooses_the_owning_team(client, db, make_user, make_team, login_as):
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    lead = make_user("SCC", role="lead", teams=[ter, ayr])
    login_as(lead)
    page = client.get("/operations/new").get_data(as_text=True)
    assert 'name="owner_team_id"' in page and "BLO-AYR" in page and "<select" in page
    op_id = create(client, ayr)
    op = db.get(Operation, op_id)
    assert op.owner_team_id == ayr.id and op.ref.startswith("BLO-AYR-")


def test_a_user_without_a_team_is_told_why_and_nothing_is_created(client, db, make_user, login_as):
    login_as(make_user("SCC", role="lead"))
    page = client.get("/operations/new")
    assert page.status_code == 403 and b"not a member of any team" in page.data
    assert client.post("/operations/new", data=operation_form()).status_code == 403
    assert latest(db) is None


def test_roles_that_do_not_create_are_refused(client, make_user, make_team, login_as):
    team = make_team("IMT-TER")
    login_as(make_user("SCC", role="analyst", teams=[team]))
    assert client.get("/operations/new").status_code == 403


def test_add_and_remove_row_buttons_work_without_the_script(client, db, make_user, make_team, login_as):
    lead, team = _lead(make_user, make_team)
    login_as(lead)
    cash = {**SEIZURE, "category": "cash", "commodity": "cash_usd", "quantity": "100", "unit": "USD"}
    data = operation_form(
        team, seizures=[SEIZURE, cash], persons=[{**PERSON, "seizure_row": "2"}], add_row="seizure", title="Typed title"
    )
    added = client.post("/operations/new", data=data)
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and 'name="seizures-2-category"' in html and "Typed title" in html
    assert errors(added) == [] and latest(db) is None
    data = operation_form(
        team, seizures=[SEIZURE, cash], persons=[{**PERSON, "seizure_row": "2"}], remove_row="seizures-0"
    )
    removed = form_values(client.post("/operations/new", data=data).get_data(as_text=True), "operation-form")
    # the row keeps its name (seizures-1) but is now "Seizure 1" on the page
    assert "seizures-0-category" not in removed and removed["seizures-1-commodity"] == "cash_usd"
    # the person linked to the second seizure now points at it as number 1
    assert removed["persons-0-seizure_row"] == "1"


def test_the_operations_list_shows_only_visible_records_paginated(
    client, make_user, make_team, make_agency, make_operation, login_as
):
    scc, mia, team = make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")
    for _ in range(27):
        make_operation(scc, team, status="approved", visibility="all")
    hidden = make_operation(scc, team, status="draft", title="Secret draft")
    login_as(make_user(mia, role="analyst"))
    first = client.get("/operations/").get_data(as_text=True)
    assert 'max="2" value="1"' in first and first.count("<tr>") == 25 + 1
    second = client.get("/operations/?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 2 + 1 and hidden.ref not in first + second
    assert client.get("/operations/?page=99").status_code == 200
    assert "Secret draft" not in client.get("/operations/?status=draft").get_data(as_text=True)
