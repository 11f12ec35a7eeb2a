"""Helpers of the release tests: a national agency with a border liaison office, its Tajik counterpart office,
a record full of canaries, and signed-in clients for each side."""

from __future__ import annotations

import html
from datetime import date

from ops.liaison import services
from ops.models import Agency, Person, Vehicle
from tests.support.accounts import login

NAME = "Rahimov Jasur Akmalovich"
DOCUMENT = "AB 1234567"
PLATE = "01 A 777 KA"
# words of the narrative and the title that must never leave with a release
CANARIES = ("Zebracanary", "Quokkaword", "Wombatcase")
NAME_PARTS = ("Rahimov", "Jasur", "Akmalovich", "Рахимов")


def office(db, make_agency, code="DCA-TJ", country="TJ", language="ru") -> Agency:
    agency = make_agency(code, f"Counterpart office {code}")
    agency.country, agency.is_foreign_partner, agency.receive_language = country, True, language
    agency.name_ru = f"Ведомство {code}"
    db.add(agency)
    db.commit()
    return agency


def pair(app, db, national: Agency, partner: Agency) -> None:
    with app.test_request_context():
        services.link_counterparts(db, national, partner)


def plant(db, make_operation, agency, team, vehicle: bool = True, **kwargs):
    """An approved record of `agency` with a person, a plate and canary words in its free text."""
    record = make_operation(
        agency,
        team,
        title=f"{CANARIES[0]} truck of {NAME}",
        narrative=f"{CANARIES[1]}: {NAME} (passport {DOCUMENT}) drove {PLATE}; case {CANARIES[2]}.",
        **kwargs,
    )
    if vehicle:
        db.add(Vehicle(operation_id=record.id, plate=PLATE, plate_norm="01A777KA", vehicle_type="truck"))
    db.add(
        Person(
            operation_id=record.id,
            full_name=NAME,
            name_norm=NAME.upper(),
            document_type="passport",
            document_number=DOCUMENT,
            document_norm="AB1234567",
            birth_date=date(1980, 1, 2),
        )
    )
    db.commit()
    return record


def signed_in(app, user):
    client = app.test_client()
    response = login(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def send(client, record, office_id: int, summary: str = "Heroin in a truck", plate: bool = False, step="send"):
    form = {"to_agency": str(office_id), "summary": summary, "step": step}
    if plate:
        form["include_plate"] = "y"
    return client.post(f"/liaison/operations/{record.id}/release", data=form)
