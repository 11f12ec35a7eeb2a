"""The API's description and its checks agree: what the schema calls optional may be left out,
what it calls required is refused with a "required" message, not "unknown ..."."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from ops.api.openapi import document
from ops.models import Operation, Person
from tests.support.op_forms import API_BODY

# the shortest body the API takes: the shared draft without its optional parts
BODY = {
    **{key: value for key, value in API_BODY.items() if key not in ("ended_at", "narrative", "vehicles")},
    "seizures": [
        {k: v for k, v in API_BODY["seizures"][0].items() if k not in ("origin_country", "destination_country")}
    ],
}
PERSON = {"full_name": "Botir Akhmedov", "role": "driver"}


@pytest.fixture
def lead(make_agency, make_team, make_user):
    return make_user(make_agency("SCC"), "lead", teams=[make_team("IMT-TER")])


def test_leaving_out_an_optional_seizure_row_is_like_null(db, lead, api_as):
    client = api_as(lead)
    for person in ({**PERSON}, {**PERSON, "seizure_row": None}, {**PERSON, "seizure_row": 1}):
        response = client.post("/api/v1/operations", json={**BODY, "persons": [person]})
        assert response.status_code == 201, (person, response.json)
    assert db.exec(select(func.count()).select_from(Person)).one() == 3


@pytest.mark.parametrize(
    "person, field, message",
    [
        ({"full_name": "Botir Akhmedov"}, "persons.0.role", "Choose the person's role."),
        ({**PERSON, "role": None}, "persons.0.role", "Choose the person's role."),
        ({**PERSON, "document_number": "FA 383-8205"}, "persons.0.document_number", "Choose the type of document too."),
    ],
)
def test_a_missing_value_is_called_missing(db, lead, api_as, person, field, message):
    response = api_as(lead).post("/api/v1/operations", json={**BODY, "persons": [person]})
    assert response.status_code == 422
    assert {"field": field, "message": message} in [
        {"field": e["field"], "message": e["message"]} for e in response.json["errors"]
    ], response.json
    assert db.exec(select(func.count()).select_from(Operation)).one() == 0


def test_the_schema_says_so(app):
    with app.test_request_context():
        person = document()["components"]["schemas"]["PersonWrite"]
    assert "role" in person["required"] and "seizure_row" not in person["required"]
    assert "document_type" not in person["required"]
