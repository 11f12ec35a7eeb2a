"""The record page's small map and the form's coordinate picker, as the server sends them: the place and the
routes also as text (for readers without script, and on paper), the latitude and longitude fields kept."""

from __future__ import annotations

import html
import json
import re

from sqlmodel import select

from ops.models import Seizure
from tests.support.accounts import login


def _figures(text: str) -> dict:
    found = re.search(r'data-map-kind="record"[^>]*data-figures="([^"]*)"', text)
    assert found, "the record page carries its map's figures"
    return json.loads(html.unescape(found.group(1)))


def test_the_record_map_shows_the_place_and_each_route_once_per_path(
    client, db, make_agency, make_team, make_user, make_operation
):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    operation = make_operation(scc, team, seizures=[("heroin", "drugs", "2", "kg")] * 3)
    routes = [("AF", "TJ", "KZ"), ("AF", "TJ", "KZ"), ("", "", "")]
    for seizure, (origin, transit, destination) in zip(
        db.exec(select(Seizure).where(Seizure.operation_id == operation.id).order_by(Seizure.id)), routes, strict=True
    ):
        seizure.origin_country, seizure.transit_countries, seizure.destination_country = origin, transit, destination
        db.add(seizure)
    db.commit()
    login(client, make_user(scc, "lead", teams=[team]))
    text = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    figures = _figures(text)
    assert figures["place"]["name"] == "Ayritom (Termez bridge)"  # a listed place: its coordinates
    assert (round(figures["place"]["lat"], 2), round(figures["place"]["lon"], 2)) == (37.23, 67.43)
    assert figures["routes"] == [
        {"countries": ["AF", "TJ", "KZ"], "label": "Afghanistan → Tajikistan → Kazakhstan", "count": 2}
    ]
    section = text[text.index('id="place-map"') :]
    assert "Afghanistan → Tajikistan → Kazakhstan" in section and "2 seizures" in section  # without script too
    assert "vendor/leaflet/leaflet.js" in text and "js/small-map.js" in text


def test_no_map_without_a_place_point_or_a_route(client, make_agency, make_team, make_user, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    operation = make_operation(scc, team, place_name="A farm road")  # typed, no coordinates, no route
    login(client, make_user(scc, "lead", teams=[team]))
    text = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    assert 'id="place-map"' not in text and "leaflet.js" not in text


def test_the_form_keeps_latitude_and_longitude_beside_the_picker(client, make_agency, make_team, make_user):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    login(client, make_user(scc, "lead", teams=[team]))
    text = client.get("/operations/new").get_data(as_text=True)
    assert 'name="lat"' in text and 'name="lon"' in text
    assert 'data-map-kind="picker"' in text and 'data-lat="lat"' in text and 'data-lon="lon"' in text
