"""The map: its totals per place are the search's location facet for the same query and reader, its routes come
from the same rows, and a place that only records hidden from the reader contribute to is not on it."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from ops.db import session
from ops.models import AuditEvent
from ops.search import services
from ops.search.sql import backends, facets
from tests.support import searchkit
from tests.support.accounts import login

READERS = ["ndcc_analyst", "scc_analyst", "scc_supervisor", "mia_lead"]
QUERIES = [
    {"category": "drugs"},
    {"q": "heroin"},
    {"commodity": "hashish", "from": "2021-01-01", "to": "2022-12-31"},
    {"agency": "MIA"},
    {"conveyance": "truck", "q": "truck"},
]


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    app, world, oracle = searchkit.world_app(database_url, tmp_path_factory.mktemp("map"), operations=400)
    yield app, world, oracle
    app.extensions["ops_engine"].dispose()


def _facets_and_map(app, user, args: dict):
    with app.test_request_context():
        db = session()
        query, scope, errors = services.checked_query(db, user, MultiDict(args))
        assert not errors, errors
        found = facets.compute(db, query, scope, backends.for_session(db))
        outcome, figures = services.map_of(db, user, MultiDict(args))
        return found, figures


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("args", QUERIES, ids=[str(q) for q in QUERIES])
def test_the_map_counts_each_place_as_the_search_facet_does(world, reader, args):
    app, people, _oracle = world
    found, figures = _facets_and_map(app, people.users[reader], args)
    by_place = {place.name: place.count for place in figures.places}
    assert by_place == {value.value: value.count for value in found.values["location"]}
    assert figures.totals.seizures == found.totals.seizures
    assert figures.totals.kg == found.totals.kg
    assert sum(place.count for place in figures.places) == found.totals.seizures


@pytest.mark.parametrize("reader", READERS[:2])
@pytest.mark.parametrize("args", QUERIES, ids=[str(q) for q in QUERIES])
def test_the_dashboard_map_panel_is_the_map_of_the_same_query(world, reader, args):
    app, people, _oracle = world
    user = people.users[reader]
    found, figures = _facets_and_map(app, user, args)
    with app.test_request_context():
        _outcome, board = services.dashboard(session(), user, MultiDict(args))
        panel = services.dashboard_map(board)
    assert {p.name: (p.count, p.kg, p.categories) for p in panel.places} == {
        p.name: (p.count, p.kg, p.categories) for p in figures.places
    }
    assert {p.name: p.count for p in panel.places} == {v.value: v.count for v in found.values["location"]}
    assert [(r.countries, r.count) for r in panel.routes] == [(r.countries, r.count) for r in figures.routes]
    assert panel.totals.seizures == found.totals.seizures


def test_routes_add_up_to_the_seizures_with_a_route(world):
    app, people, oracle = world
    user = people.users["ndcc_analyst"]
    _found, figures = _facets_and_map(app, user, {"category": "drugs"})
    expected = {}
    for s in oracle.visible_seizures(user):
        path = tuple(c for c in (s["origin_country"], *s["transit_countries"].split(), s["destination_country"]) if c)
        if s["category"] == "drugs" and len(path) >= 2:
            expected[path] = expected.get(path, 0) + 1
    assert expected, "the generated world has drug seizures with routes"
    top = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[: len(figures.routes)]
    assert [(r.countries, r.count) for r in figures.routes] == top


def _page_figures(response) -> dict:
    found = re.search(r'data-figures="([^"]*)"', response.get_data(as_text=True))
    assert found, "the map page carries its figures"
    return json.loads(html.unescape(found.group(1)))


def test_a_place_only_hidden_records_reach_is_not_shown_to_another_agency(
    client, db, make_agency, make_team, make_user, make_operation
):
    scc, mia, team = make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")
    owner = make_user(scc, "lead", teams=[team])
    outsider = make_user(mia, "analyst")
    for visibility, place in (("team", "Canary crossing"), ("all", "Ayritom (Termez bridge)")):
        make_operation(scc, team, visibility=visibility, place_name=place, started_at=datetime(2024, 5, 1, tzinfo=UTC))
    login(client, outsider)
    response = client.get("/search/map?category=drugs")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Canary crossing" not in text
    assert [p["name"] for p in _page_figures(response)["places"]] == ["Ayritom (Termez bridge)"]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "search").order_by(AuditEvent.seq.desc())).first()
    assert json.loads(event.detail) == {"map": "category=drugs", "found": 1}
    client.post("/logout")
    login(client, owner)
    assert "Canary crossing" in client.get("/search/map?category=drugs").get_data(as_text=True)


def test_the_map_page_explains_a_bad_query_and_draws_nothing(client, make_user):
    login(client, make_user("SCC", "analyst"))
    response = client.get("/search/map?kg_min=-1")
    assert response.status_code == 400
    assert 'id="map"' not in response.get_data(as_text=True)
