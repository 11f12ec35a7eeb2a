"""The map in a real browser: drawn from the application's own files only, in three languages, desktop and phone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.browser import sign_in

pytestmark = pytest.mark.browser
SHOTS = "map"
PLACES = ("Ayritom (Termez bridge)", "Oybek", "Tashkent airport", "Dustlik")


@pytest.fixture
def analyst(db, make_agency, make_team, make_user, make_operation):
    scc, team = make_agency("SCC", "State Customs Committee"), make_team("IMT-TER")
    for n, place in enumerate(PLACES):
        make_operation(
            scc,
            team,
            visibility="all",
            place_name=place,
            seizures=[("heroin", "drugs", str(5 + n), "kg")] * (n + 1) + [("hashish", "drugs", "2", "kg")],
            started_at=datetime(2024, 3, 1 + n, tzinfo=UTC),
        )
    return make_user(make_agency("SSS", "State Security Service"), "analyst")


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_the_map_draws_places_from_the_app_alone(page, phone, live_server, screenshot, db, analyst, language):
    analyst.locale = language
    db.add(analyst)
    db.commit()
    for tab, size in ((page, "desktop"), (phone, "phone")):
        requested = []
        tab.on("request", lambda request, seen=requested: seen.append(request.url))
        sign_in(tab, live_server, analyst)
        tab.goto(f"{live_server}/search/map?category=drugs")
        tab.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive")
        tab.wait_for_load_state("networkidle")
        assert tab.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == len(PLACES)
        assert tab.locator(".map-legend").count() == 1
        outside = [url for url in requested if not url.startswith(live_server) and not url.startswith("data:")]
        assert outside == [], outside
        screenshot(tab, SHOTS, f"{language}-{size}")
        tab.select_option("#map-measure", "kg")  # circles redrawn by weight, no reload
        assert tab.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == len(PLACES)
        assert tab.js_errors == [], tab.js_errors
