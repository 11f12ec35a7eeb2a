"""Bad input on every field: a clear message on that field, status 400, everything typed kept, nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from ops.models import AuditEvent, Operation
from tests.support.op_forms import PERSON, SEIZURE, VEHICLE, errors, form_values, local, operation_form, yesterday

FUTURE = local(datetime.now(UTC) + timedelta(days=2))
START = yesterday()

OPERATION_CASES = [
    ({"title": ""}, "Give the operation a short title."),
    ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"op_type": ""}, "Choose the type of operation."),
    ({"op_type": "nuclear_strike"}, "Unknown type of operation."),
    ({"started_at": ""}, "Enter when it started."),
    ({"started_at": "yesterday evening"}, "Enter a date and time, e.g. 2026-03-14 06:30."),
    ({"started_at": FUTURE, "ended_at": ""}, "This is in the future. Enter when it happened."),
    ({"ended_at": FUTURE}, "This is in the future. Enter when it happened."),
    ({"started_at": "1990-12-31T23:00", "ended_at": ""}, "This is before 1991. Check the year."),
    ({"ended_at": local(START - timedelta(hours=1))}, "The end is before the start."),
    (
        {"started_at": local(START - timedelta(days=40))},
        "Longer than 31 days: check the dates, or record separate operations.",
    ),
    ({"place_code": "NARNIA"}, "Unknown place; pick one from the list or type its name."),
    ({"place_code": ""}, "Pick a place from the list above or type its name here."),
    ({"place_name": "Somewhere else"}, "You picked a place from the list and typed another one. Keep one of them."),
    (
        {"place_code": "", "place_name": "Field camp", "lat": "95", "lon": "67"},
        "Latitude is a number between -90 and 90, e.g. 37.2317.",
    ),
    (
        {"place_code": "", "place_name": "Field camp", "lat": "37", "lon": "east"},
        "Longitude is a number between -180 and 180, e.g. 37.2317.",
    ),
    (
        {"place_code": "", "place_name": "Field camp", "lat": "37.1", "lon": ""},
        "Give both latitude and longitude, or neither.",
    ),
    ({"lead_team_id": "9999"}, "Unknown team."),
    ({"participants": ["9999"]}, "Unknown agency."),
    ({"visibility": "everyone_on_earth"}, "Unknown visibility."),
    ({"share_agencies": ["9999"]}, "Unknown agency."),
    ({"narrative": "x" * 20001}, "Field cannot be longer than 20000 characters."),
]

SEIZURE_CASES = [
    ({"category": "nuclear"}, "Unknown category."),
    ({"category": "", "commodity": ""}, "Choose a category."),
    ({"commodity": "unicorn_horn"}, "Unknown commodity."),
    ({"commodity": "pistol"}, "Pistol is not in the category Drugs."),
    ({"quantity": "-5"}, "The quantity must be more than zero."),
    ({"quantity": "0"}, "The quantity must be more than zero."),
    ({"quantity": ""}, "Enter the quantity as a number, e.g. 12.5."),
    ({"quantity": "twelve"}, "Enter the quantity as a number, e.g. 12.5."),
    ({"quantity": "NaN"}, "Enter the quantity as a number, e.g. 12.5."),
    ({"quantity": "250000"}, "More than 100 000 kg is not plausible. Check for an extra zero."),
    ({"quantity": "1.2345"}, "Use at most three decimals."),
    ({"commodity": "tramadol", "quantity": "2.5", "unit": "tablets"}, "tablets are counted in whole numbers."),
    ({"unit": "pieces"}, "Drugs are counted in: kg, g, l, tablets, plants."),
    (
        {"category": "cash", "commodity": "cash_usd", "unit": "kg"},
        "Cash are counted in: USD, EUR, RUB, UZS, KZT, KGS, TJS, CNY, AED, TRY, GBP.",
    ),
    ({"unit": "parsecs"}, "Unknown unit."),
    ({"unit": ""}, "Choose a unit."),
    ({"concealment": ""}, "Choose how it was hidden (or “Not concealed”)."),
    ({"concealment": "teleported"}, "Unknown concealment method."),
    ({"concealment_detail": "x" * 201}, "Field cannot be longer than 200 characters."),
    ({"conveyance": ""}, "Choose how it travelled."),
    ({"conveyance": "dragon"}, "Unknown conveyance."),
    ({"detection": ""}, "Choose how it was found."),
    ({"detection": "psychic"}, "Unknown detection method."),
    ({"origin_country": "Narnia"}, "Unknown country “Narnia”. Use an ISO code (AF, TJ) or an English name."),
    ({"transit_countries": "TJ, Atlantis"}, "Unknown country “Atlantis”. Separate countries with commas: TJ, KZ."),
    (
        {"transit_countries": ", ".join(["TJ", "KZ", "KG", "TM", "AF", "IR", "PK", "CN", "RU", "TR", "AZ"])},
        "At most 10 transit countries.",
    ),
    ({"destination_country": "XX"}, "Unknown country “XX”. Use an ISO code (AF, TJ) or an English name."),
]

PERSON_CASES = [
    ({"full_name": "   "}, "Enter the person's name."),
    (
        {"birth_date": (datetime.now() + timedelta(days=3)).strftime("%Y-%m-%d")},
        "A birth date cannot be in the future.",
    ),
    ({"birth_date": "31.02.1985"}, "Enter a date, e.g. 1985-07-21."),
    ({"birth_date": "1850-01-01"}, "This is before 1900. Check the year."),
    ({"nationality": "Mars"}, "Unknown country “Mars”. Use an ISO code (AF, TJ) or an English name."),
    ({"document_type": ""}, "Choose the type of document too."),
    ({"document_type": "library_card"}, "Unknown document type."),
    ({"document_number": "--- / ..."}, "A document number needs letters or digits."),
    ({"role": ""}, "Choose the person's role."),
    ({"role": "mastermind"}, "Unknown role."),
    ({"seizure_row": "7"}, "There is no seizure with this number on the form."),
]

VEHICLE_CASES = [
    ({"plate": " - "}, "Enter the plate number."),
    ({"plate": "X" * 33}, "Field cannot be longer than 32 characters."),
    ({"country": "ZZ"}, "Unknown country “ZZ”. Use an ISO code (AF, TJ) or an English name."),
    ({"vehicle_type": "spaceship"}, "Unknown vehicle type."),
    ({"vehicle_type": ""}, "Choose the type of vehicle."),
    ({"seizure_row": "0"}, "There is no seizure with this number on the form."),
]


@pytest.fixture
def lead_client(client, make_user, make_team, login_as):
    team = make_team("IMT-TER")
    login_as(make_user("SCC", role="lead", teams=[team]))
    client.team = team
    return client


def _refused(client, db, data, message):
    response = client.post("/operations/new", data=data)
    assert response.status_code == 400
    assert message in errors(response), errors(response)
    assert db.exec(select(Operation)).all() == [], "nothing may be stored"
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "operation_create")).all() == []
    return response


@pytest.mark.parametrize("fields,message", OPERATION_CASES, ids=[m for _f, m in OPERATION_CASES])
def test_bad_operation_fields_are_refused_with_a_clear_message(lead_client, db, fields, message):
    _refused(lead_client, db, operation_form(lead_client.team, **fields), message)


@pytest.mark.parametrize("fields,message", SEIZURE_CASES, ids=[m for _f, m in SEIZURE_CASES])
def test_bad_seizure_fields_are_refused_with_a_clear_message(lead_client, db, fields, message):
    _refused(lead_client, db, operation_form(lead_client.team, seizures=[{**SEIZURE, **fields}]), message)


@pytest.mark.parametrize("fields,message", PERSON_CASES, ids=[m for _f, m in PERSON_CASES])
def test_bad_person_fields_are_refused_with_a_clear_message(lead_client, db, fields, message):
    _refused(lead_client, db, operation_form(lead_client.team, persons=[{**PERSON, **fields}]), message)


@pytest.mark.parametrize("fields,message", VEHICLE_CASES, ids=[m for _f, m in VEHICLE_CASES])
def test_bad_vehicle_fields_are_refused_with_a_clear_message(lead_client, db, fields, message):
    _refused(lead_client, db, operation_form(lead_client.team, vehicles=[{**VEHICLE, **fields}]), message)


def test_a_refused_form_comes_back_with_every_keystroke(lead_client, db):
    second = {**SEIZURE, "commodity": "tramadol", "quantity": "12 000", "unit": "tablets", "origin_country": "India"}
    sent = operation_form(
        lead_client.team,
        seizures=[SEIZURE, {**second, "quantity": "-1"}],
        persons=[PERSON, {**PERSON, "full_name": "Second Person", "arrested": ""}],
        vehicles=[VEHICLE],
        narrative="Line one\nLine two, with “quotes” & <angle>",
        title="Night shift 14/15 March",
        share_persons="y",
    )
    response = _refused(lead_client, db, sent, "The quantity must be more than zero.")
    back = form_values(response.get_data(as_text=True), "operation-form")
    for name, value in sent.items():
        if name == "persons-1-arrested":
            assert name not in back  # an unticked box sends nothing, and comes back unticked
        elif name != "visibility" or value:
            assert back.get(name) == value, name


def test_times_are_read_in_the_users_zone_and_stored_in_utc(client, db, make_user, make_team, login_as):
    team = make_team("IMT-TER")
    lead = make_user("SCC", role="lead", teams=[team])
    lead.timezone = "Europe/Moscow"
    db.add(lead)
    db.commit()
    login_as(lead)
    response = client.post(
        "/operations/new", data=operation_form(team, started_at="2025-03-14T06:30", ended_at="2025-03-14 09:00")
    )
    assert response.status_code == 302, errors(response)
    op = db.exec(select(Operation)).one()
    assert op.started_at == datetime(2025, 3, 14, 3, 30, tzinfo=UTC)
    assert op.ended_at == datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
    assert op.ref == "IMT-TER-2025-0001"
    edit = form_values(client.get(f"/operations/{op.id}/edit").get_data(as_text=True), "operation-form")
    assert (edit["started_at"], edit["ended_at"]) == ("2025-03-14T06:30", "2025-03-14T09:00")


def test_forgiving_input_is_accepted(lead_client, db):
    """Decimal commas, thousands spaces, country names, a seizure given by its commodity only."""
    data = operation_form(
        lead_client.team,
        seizures=[
            {
                **SEIZURE,
                "category": "",
                "commodity": "cash_usd",
                "quantity": "1 250 000,50",
                "unit": "USD",
                "origin_country": "afghanistan",
                "transit_countries": "TJ KZ",
                "destination_country": "ru",
            }
        ],
    )
    response = lead_client.post("/operations/new", data=data)
    assert response.status_code == 302, errors(response)
    from ops.models import Seizure

    seizure = db.exec(select(Seizure)).one()
    assert (
        seizure.category,
        str(seizure.quantity),
        seizure.origin_country,
        seizure.transit_countries,
        seizure.destination_country,
    ) == ("cash", "1250000.500", "AF", "TJ KZ", "RU")
