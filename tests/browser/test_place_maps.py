"""In the browser: a team lead picks the coordinates of a place off the list on the operation form's map, and
the record page draws that place and the seizure's route on a small map; both from the application's own
files only (Playwright's request log), at desktop and phone width.

Screenshots go to test-artifacts/screenshots/place-maps/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from ops.models import Operation
from tests.support.browser import sign_in, submit
from tests.support.op_forms import local, yesterday
from tests.support.report_steps import fill_seizure

pytestmark = pytest.mark.browser
SHOTS = "place-maps"
MAP_SHAPES = "[data-map-kind] .leaflet-overlay-pane path"


@pytest.fixture
def lead(db, make_agency, make_team, make_user):
    scc = make_agency("SCC", "State Customs Committee")
    return make_user(scc, role="lead", username="scc.lead", teams=[make_team("IMT-TER", "IMT Termez")])


def watch_requests(tab) -> list[str]:
    seen: list[str] = []
    tab.on("request", lambda request: seen.append(request.url))
    return seen


def outside(requests: list[str], base: str) -> list[str]:
    return [url for url in requests if not url.startswith(base) and not url.startswith("data:")]


def pick_on_the_map(tab, screenshot, size: str) -> tuple[float, float]:
    """Click the picker map a little north-east of its centre; the fields take the clicked point."""
    assert tab.input_value("#lat") == "" and tab.input_value("#lon") == ""
    picker = tab.locator("[data-map-kind=picker]")
    picker.scroll_into_view_if_needed()
    tab.wait_for_selector("[data-map-kind=picker] .leaflet-overlay-pane path")  # the country shapes are in
    box = picker.bounding_box()
    tab.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    lat, lon = float(tab.input_value("#lat")), float(tab.input_value("#lon"))
    assert 30 < lat < 50 and 50 < lon < 80, (lat, lon)  # Central Asia, where the map opens
    assert tab.locator("[data-map-kind=picker] path.leaflet-interactive").count() == 1  # the picked point
    screenshot(tab, SHOTS, f"1-form-picked-{size}", full_page=False)
    return lat, lon


def fill_operation(tab):
    tab.fill("#title", "Cannabis resin in a farm truck off the main road")
    tab.select_option("#op_type", "checkpoint_inspection")
    tab.fill("#started_at", local(yesterday(hour=6) - timedelta(days=1)))
    tab.fill("#place_name", "Farm road north of Sherobod")
    tab.fill("#region", "Surkhandarya")
    fill_seizure(tab, 0, "cannabis_resin", "40", "kg", "false_floor", "truck", "k9", ("AF", "TJ", "KZ"))


def test_pick_coordinates_then_see_place_and_route(page, phone, live_server, screenshot, db, lead):
    requests = watch_requests(page)
    sign_in(page, live_server, lead)
    page.goto(f"{live_server}/operations/new")
    fill_operation(page)
    lat, lon = pick_on_the_map(page, screenshot, "desktop")
    submit(page, "button.primary:has-text('Save draft')")
    page.wait_for_url(re.compile(r"/operations/\d+$"))
    stored = db.exec(select(Operation).where(Operation.place_name == "Farm road north of Sherobod")).one()
    db.refresh(stored)
    assert (round(stored.lat, 4), round(stored.lon, 4)) == (lat, lon)

    phone_requests = watch_requests(phone)
    sign_in(phone, live_server, lead)
    for tab, size in ((page, "desktop"), (phone, "phone")):
        tab.goto(f"{live_server}/operations/{stored.id}")
        tab.wait_for_selector("[data-map-kind=record] path.leaflet-interactive")
        tab.wait_for_load_state("networkidle")
        # one circle for the place, one line for the route Afghanistan -> Tajikistan -> Kazakhstan
        assert tab.locator("[data-map-kind=record] path.leaflet-interactive").count() == 2
        facts = tab.inner_text("#place-map")
        assert "Farm road north of Sherobod" in facts and "Afghanistan → Tajikistan → Kazakhstan" in facts
        tab.locator("#place-map").scroll_into_view_if_needed()
        screenshot(tab, SHOTS, f"2-record-map-{size}", full_page=False)
        assert tab.locator(MAP_SHAPES).count() > 2  # country shapes drawn under the place and the route
    phone.goto(f"{live_server}/operations/new")
    pick_on_the_map(phone, screenshot, "phone")
    assert outside(requests, live_server) == [] and outside(phone_requests, live_server) == []
    assert page.js_errors == [] and phone.js_errors == [], (page.js_errors, phone.js_errors)


def test_the_dashboard_map_panel_draws_from_the_app_alone(
    page, phone, live_server, screenshot, db, make_agency, make_team, make_user, make_operation
):
    scc, team = make_agency("SCC", "State Customs Committee"), make_team("IMT-TER", "IMT Termez")
    for place in ("Ayritom (Termez bridge)", "Oybek", "Dustlik"):
        make_operation(scc, team, visibility="all", place_name=place, seizures=[("heroin", "drugs", "3", "kg")])
    analyst = make_user(make_agency("NDCC", "Drug control centre"), "analyst")
    for tab, size in ((page, "desktop"), (phone, "phone")):
        requests = watch_requests(tab)
        sign_in(tab, live_server, analyst)
        tab.goto(f"{live_server}/search/dashboard?category=drugs")
        tab.wait_for_selector("#map-panel .leaflet-overlay-pane path.leaflet-interactive")
        tab.wait_for_load_state("networkidle")
        assert tab.locator("#map-panel path.leaflet-interactive").count() == 3  # one circle per place
        tab.locator("#map-panel").scroll_into_view_if_needed()
        screenshot(tab, SHOTS, f"3-dashboard-panel-{size}", full_page=False)
        submit(tab, "a.button:has-text('Teams and quarters')")
        assert "IMT-TER" in tab.inner_text("#teams") and tab.locator("#quarters").count() == 1
        screenshot(tab, SHOTS, f"4-dashboard-teams-{size}")
        assert outside(requests, live_server) == []
        assert tab.js_errors == [], tab.js_errors
