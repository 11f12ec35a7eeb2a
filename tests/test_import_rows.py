"""One row's checks and the words-to-codes mapping, without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from ops.importer import mapping
from ops.importer.rows import RowParser
from ops.importformat import COLUMNS

GOOD = {
    "seizure_id": "77",
    "operation_ref": "OP-1",
    "occurred_at": "2024-05-31T14:30:00",
    "agency": "SBS",
    "team": "IMT Termez",
    "location": "Ayritom (Termez bridge)",
    "region": "",
    "lat": "37.2317",
    "lon": "67.4275",
    "commodity_category": "drugs",
    "commodity": "Tramadol tablets",
    "quantity": "1200",
    "unit": "tablets",
    "conveyance": "air passenger",
    "concealment": "among a cargo of onions",
    "vehicle_plate": "01 A 123 BC",
    "person_name": "Botir Akhmedov",
    "person_document": "FA 383-8205",
    "nationality": "Uzbekistan",
    "route_origin": "Afghanistan",
    "route_destination": "RU",
    "narrative": "X-ray showed a false floor.",
    "visibility": "Partners",
}


@pytest.fixture(scope="module")
def parser():
    agencies = [
        SimpleNamespace(id=1, code="SCC", name="State Customs Committee"),
        SimpleNamespace(id=4, code="SBS", name="State Border Service"),
    ]
    teams = [SimpleNamespace(id=9, code="IMT-TER", name="IMT Termez")]
    return RowParser(agencies, teams, "SCC", now=datetime(2026, 11, 27, tzinfo=UTC))


def parse(parser, **changes):
    values = [changes.get(column, GOOD[column]) for column in COLUMNS]
    return parser.parse(5, values)


def test_a_good_row_becomes_codes(parser):
    row, errors = parse(parser)
    assert errors == []
    assert row.occurred_at == datetime(2024, 5, 31, 9, 30, tzinfo=UTC)  # Tashkent is UTC+5
    assert (row.agency_id, row.team_id, row.place.code, row.region) == (4, 9, "AYRITOM", "Surkhandarya")
    assert (row.category, row.commodity, row.quantity, row.unit) == ("drugs", "tramadol", Decimal(1200), "tablets")
    assert (row.conveyance, row.concealment, row.concealment_detail) == (
        "air_passenger",
        "cargo",
        "among a cargo of onions",
    )
    assert (row.nationality, row.origin, row.destination, row.visibility) == ("UZ", "AF", "RU", "partners")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31.05.2024 14:30", datetime(2024, 5, 31, 9, 30, tzinfo=UTC)),
        ("2024-05-31 14:30", datetime(2024, 5, 31, 9, 30, tzinfo=UTC)),
        ("2024-05-31T14:30:00+03:00", datetime(2024, 5, 31, 11, 30, tzinfo=UTC)),
        ("2024-05-31T09:30:00Z", datetime(2024, 5, 31, 9, 30, tzinfo=UTC)),
        # the earliest day the form accepts too; the latest is the end of next year
        ("1991-01-01T00:00", datetime(1990, 12, 31, 18, 0, tzinfo=UTC)),  # Tashkent was UTC+6
        ("2027-12-31T23:59", datetime(2027, 12, 31, 18, 59, tzinfo=UTC)),
    ],
)
def test_times_in_the_shapes_spreadsheets_write(parser, text, expected):
    row, errors = parse(parser, occurred_at=text)
    assert errors == [] and row.occurred_at == expected


@pytest.mark.parametrize(
    "changes, column, reason",
    [
        ({"occurred_at": "1990-12-31T23:59"}, "occurred_at", "out of range"),
        ({"occurred_at": "2028-01-01T10:00"}, "occurred_at", "out of range"),
        ({"occurred_at": "31/05/2024"}, "occurred_at", "not a date"),
        ({"quantity": "1,5"}, "quantity", "not a number"),
        ({"quantity": "NaN"}, "quantity", "more than zero"),
        ({"quantity": "0"}, "quantity", "more than zero"),
        ({"quantity": "10.5"}, "quantity", "whole number"),
        ({"quantity": "200000", "unit": "kg"}, "quantity", "implausibly large"),
        ({"quantity": "1.2345", "unit": "kg"}, "quantity", "3 decimal places"),
        ({"unit": "USD"}, "unit", "does not fit"),
        ({"commodity_category": "cash", "commodity": "undeclared USD cash", "unit": "kg"}, "unit", "does not fit"),
        ({"lon": ""}, "lon", "both lat and lon"),
        ({"lat": "north"}, "lat", "not a coordinate"),
        ({"conveyance": "camel"}, "conveyance", "unknown conveyance"),
        ({"person_name": ""}, "person_name", "needs a person_name"),
        ({"operation_ref": "X" * 40}, "operation_ref", "longer than 36 characters"),
        ({"vehicle_plate": "P" * 33}, "vehicle_plate", "longer than 32"),
        ({"visibility": ""}, "visibility", "missing required value"),
        ({"seizure_id": "  "}, "seizure_id", "missing required value"),
    ],
)
def test_each_bad_value_is_named_with_its_column_and_reason(parser, changes, column, reason):
    row, errors = parse(parser, **changes)
    assert row is None
    assert [(e.line, e.column) for e in errors] == [(5, column)], [(e.column, str(e.message)) for e in errors]
    assert reason in str(errors[0].message)


def test_cash_takes_currency_codes_in_any_case(parser):
    row, errors = parse(
        parser, commodity_category="cash", commodity="undeclared EUR cash", unit="eur", quantity="18000"
    )
    assert errors == [] and (row.commodity, row.unit) == ("cash_eur", "EUR")


def test_an_unknown_place_is_kept_as_free_text(parser):
    row, errors = parse(parser, location="Kumkurgan district road", region="Surkhandarya", lat="", lon="")
    assert errors == [] and row.place is None and row.place_name == "Kumkurgan district road"


@pytest.mark.parametrize(
    "text, code",
    [
        ("false floor", "false_floor"),
        ("among a cargo of watermelons", "cargo"),
        ("parcel declared as clothing", "parcel_misdeclared"),
        ("swallowed capsules", "internal"),
        ("behind wagon panelling", "wagon_panelling"),
        ("Fuel Tank", "fuel_tank"),
        ("under the rear seat", "under_seat"),
        ("false-bottom suitcase", "false_bottom"),
        ("in a teapot", "other"),
        ("", "other"),
    ],
)
def test_concealment_text_maps_to_the_nearest_code(text, code):
    assert mapping.concealment_code(text) == code


def test_conveyance_detection_and_vehicle_words():
    assert mapping.conveyance_code("Air passenger") == "air_passenger"
    assert mapping.conveyance_code("") == "other" and mapping.conveyance_code("rocket") is None
    assert mapping.detection_code("Груз обнаружен при рентгеновском досмотре.") == "x_ray"
    assert mapping.detection_code("A sniffer dog indicated on the car.") == "k9"
    assert mapping.detection_code("Nothing special.") == "other"
    assert mapping.vehicle_type("wagon 12345678", "train") == "rail_wagon"
    assert mapping.vehicle_country("wagon 12345678", "train", "KZ") is None
    assert mapping.vehicle_country("01 A 123 BC", "truck", "UZ") == "UZ"
