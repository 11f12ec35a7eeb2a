"""Persons' phone numbers: E.164 from any format, several per person, on the form, in the API and the import;
they find records in the lookup, link records in correlations and are masked in free text."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from ops import normalize, phones
from ops.models import IdentifierKey, Operation, Person
from tests.support.accounts import login
from tests.support.op_forms import API_BODY, PERSON, create, edit_form, errors, operation_form


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("90 123 45 67", "+998901234567"),
        ("+998 (90) 123-45-67", "+998901234567"),
        ("+7 912 345 67 89", "+79123456789"),
        ("12", ""),
        ("call me", ""),
        ("", ""),
    ],
)
def test_numbers_are_normalised_to_e164(typed, e164):
    assert phones.normalise(typed) == e164


def test_several_numbers_in_one_field_and_the_stored_form_read_back():
    assert phones.parse("90 123 45 67, +7 912 345 67 89; 90-123-45-67") == (["+998901234567", "+79123456789"], [])
    assert phones.parse("+998901234567 +79123456789")[0] == ["+998901234567", "+79123456789"]
    assert phones.parse("90 123 45 67, 12") == (["+998901234567"], ["12"])


def test_a_phone_number_is_masked_in_free_text_in_any_format():
    who = normalize.Identities(names=("Botir Akhmedov",), phones=("+998901234567",))
    text = "Called +998 90 123-45-67 and 8 (90) 1234567, then 901234567; ticket 20261234567 stays."
    masked = normalize.mask_identities(text, who)
    assert "123" not in masked.replace("20261234567", "")
    assert "20261234567" in masked


@pytest.fixture
def scc_team(app, make_agency, make_team, make_user):
    team, scc, mia = make_team("IMT-TER"), make_agency("SCC"), make_agency("MIA")
    lead, supervisor = make_user(scc, role="lead", teams=[team]), make_user(scc, role="supervisor")
    clients = {}
    for name, user in {"lead": lead, "supervisor": supervisor}.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    return team, scc, mia, clients, lead


def _approve(clients, op_id):
    clients["lead"].post(f"/operations/{op_id}/submit", data={"version": "1"})
    clients["supervisor"].post(f"/operations/{op_id}/review", data={"decision": "approve", "version": "2"})


def test_the_form_stores_several_numbers_and_the_lookup_and_correlations_find_them(db, scc_team):
    team, _scc, _mia, c, _lead = scc_team
    first = create(c["lead"], team, persons=[{**PERSON, "phones": "90 123 45 67, +7 912 345 67 89"}])
    person = db.exec(select(Person).where(Person.operation_id == first)).one()
    assert person.phones == "+998901234567 +79123456789"
    keys = db.exec(select(IdentifierKey.value).where(IdentifierKey.kind == "phone")).all()
    assert sorted(keys) == ["+79123456789", "+998901234567"]
    second = create(c["lead"], team, persons=[{**PERSON, "full_name": "Other Man", "phones": "+998 90 1234567"}])
    for op_id in (first, second):
        _approve(c, op_id)
    page = c["lead"].get("/search/lookup", query_string={"value": "+998 (90) 123-45-67"}).get_data(as_text=True)
    assert "2 records involve" in page
    record = c["lead"].get(f"/operations/{second}").get_data(as_text=True)
    assert "+998901234567" in record and f"/operations/{first}" in record
    form = edit_form(c["lead"], first)
    assert form["persons-0-phones"] == "+998901234567 +79123456789"


def test_a_number_that_normalises_to_nothing_is_refused_and_nothing_written(db, scc_team):
    team, *_ = scc_team
    c = scc_team[3]
    response = c["lead"].post("/operations/new", data=operation_form(team, persons=[{**PERSON, "phones": "90 12"}]))
    assert response.status_code == 400
    assert "Not a phone number: 90 12." in errors(response)
    assert db.exec(select(func.count()).select_from(Operation)).one() == 0


def test_the_api_takes_and_gives_a_list_and_refuses_garbage(db, scc_team, api_as):
    _team, _scc, _mia, _c, lead = scc_team
    person = {"full_name": "Botir Akhmedov", "role": "driver", "phones": ["90 123 45 67", "+7 912 345 67 89"]}
    client = api_as(lead)
    response = client.post("/api/v1/operations", json={**API_BODY, "persons": [person]})
    assert response.status_code == 201, response.json
    assert response.json["persons"][0]["phones"] == ["+998901234567", "+79123456789"]
    bad = client.post("/api/v1/operations", json={**API_BODY, "persons": [{**person, "phones": ["nope"]}]})
    assert bad.status_code == 422
    assert "persons.0.phones" in [e["field"] for e in bad.json["errors"]]
    assert db.exec(select(func.count()).select_from(Operation)).one() == 1


def test_the_import_reads_the_optional_column_and_refuses_a_bad_number(app, db, make_agency, make_team, tmp_path):
    from flask_babel import force_locale

    from ops.generator import COLUMNS
    from ops.importer.services import Job, import_file
    from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows

    orgs = make_demo_orgs(make_agency, make_team)
    rows = [dict(row, person_phones="") for row in read_rows(generated_file(tmp_path / "g.csv", 20, seed=3))]
    named = next(row for row in rows if row["person_name"])
    named["person_phones"] = "90 123 45 67; +7 912 345 67 89"

    def run(path):
        with app.app_context(), force_locale("en"):
            return import_file(app.extensions["ops_engine"], Job(path, path.name, orgs["SCC"]))

    bad = [dict(row) for row in rows]
    next(row for row in bad if row["seizure_id"] == named["seizure_id"])["person_phones"] = "90 12"
    refused = run(write_rows(tmp_path / "bad.csv", bad, columns=[*COLUMNS, "person_phones"]))
    assert refused.status != "done" and db.exec(select(func.count()).select_from(Operation)).one() == 0
    done = run(write_rows(tmp_path / "ok.csv", rows, columns=[*COLUMNS, "person_phones"]))
    assert done.status == "done", done.message
    stored = db.exec(select(Person.phones).where(Person.full_name == named["person_name"])).all()
    assert "+998901234567 +79123456789" in stored
    assert db.exec(select(func.count()).select_from(IdentifierKey).where(IdentifierKey.kind == "phone")).one() == 2
