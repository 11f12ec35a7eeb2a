"""A generated world in which known seizures are reported twice, by different agencies.

The candidate step finds every planted pair (recall 100 %) and at most one false
candidate per 100 seizures. Once the pairs are linked, every total (search,
facets, dashboard, annual table) equals the number of distinct seizure events
computed from the planted pairs alone, for readers of both reports and of one;
and a search for a commodity's name, in English, Russian or Uzbek, counts only
seizures of that commodity.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from ops.db import session
from ops.events import candidates, services
from ops.models import Seizure
from ops.search import annual
from ops.search import services as search_services
from tests.support import searchkit
from tests.support.events_kit import distinct_events, plant_double_reports, totals

READERS = ["ndcc_analyst", "scc_analyst", "scc_supervisor", "mia_lead"]
PLANTED = 45
NAMES = {
    "heroin": ("heroin", "героин", "geroin"),
    "opium": ("opium", "опий", "afyun"),
    "cannabis_resin": ("hashish", "гашиш", "gashish"),
    "methamphetamine": ("methamphetamine", "метамфетамин", "metamfetamin"),
    "tramadol": ("tramadol", "трамадол"),
}


@pytest.fixture(scope="module")
def planted_world(database_url, tmp_path_factory):
    app, world, _oracle = searchkit.world_app(database_url, tmp_path_factory.mktemp("dups"), operations=900)
    with app.app_context(), Session(app.extensions["ops_engine"], expire_on_commit=False) as db:
        planted = plant_double_reports(db, world, PLANTED)
        all_ids = list(db.execute(select(Seizure.id)).scalars())
        found = {tuple(sorted((a, b))) for a, b, _figures in candidates.find_pairs(db, all_ids)}
        for duplicate, original in planted.items():
            first, second = db.get(Seizure, original), db.get(Seizure, duplicate)
            link = services.new_link(first, second, "import")
            link.status = "confirmed"
            db.add(link)
        db.flush()
        services.recount(db, set(planted) | set(planted.values()))
        db.commit()
        oracle = searchkit.Oracle(db)
    yield app, world, oracle, planted, found, len(all_ids)
    app.extensions["ops_engine"].dispose()


def test_candidates_find_every_planted_pair_and_few_others(planted_world):
    _app, _world, _oracle, planted, found, seizures = planted_world
    expected = {tuple(sorted(pair)) for pair in planted.items()}
    assert expected <= found, f"missed: {sorted(expected - found)[:5]}"
    false = found - expected
    assert len(false) <= seizures / 100, f"{len(false)} false candidates among {seizures} seizures"


def test_the_planted_originals_are_the_primaries(planted_world):
    _app, _world, oracle, planted, _found, _n = planted_world
    by_id = {s["id"]: s for s in oracle.seizures}
    assert all(by_id[dup]["event_primary_id"] == original for dup, original in planted.items())
    assert all(by_id[original]["event_primary_id"] is None for original in planted.values())


@pytest.mark.parametrize("reader", READERS)
def test_every_total_counts_distinct_events(planted_world, reader):
    app, world, oracle, planted, _found, _n = planted_world
    user = world.users[reader]
    events, kg = distinct_events(oracle, user, planted)
    listed = len(oracle.visible_seizures(user))
    found = totals(app, user, {"from": "2019-01-01"})
    assert found[0] == events and abs(found[1] - kg) < Decimal("0.01") and found[2] == listed - events
    with app.test_request_context():
        _outcome, board = search_services.dashboard(session(), user, MultiDict({"from": "2019-01-01"}))
        assert board.totals.seizures == events and abs(board.totals.kg - kg) < Decimal("0.01")
    approved_drugs = lambda s: s["category"] == "drugs" and oracle.operations[s["operation_id"]]["status"] == "approved"  # noqa: E731
    exportable = lambda s: (  # noqa: E731
        approved_drugs(s)
        and (s["owner_agency_id"] == user.agency_id or oracle.operations[s["operation_id"]]["handling_code"] != "H2")
    )
    with app.test_request_context():
        table = annual.compute(session(), user)
    annual_events = sum(line.total()[0] for line in table.lines)
    assert annual_events == distinct_events(oracle, user, planted, exportable)[0]


def test_some_readers_see_both_reports_and_some_only_one(planted_world):
    _app, world, oracle, planted, _found, _n = planted_world
    user = world.users["ndcc_analyst"]
    seen = {s["id"] for s in oracle.visible_seizures(user)}
    both = sum(1 for dup, orig in planted.items() if dup in seen and orig in seen)
    one = sum(1 for dup, orig in planted.items() if (dup in seen) != (orig in seen))
    assert both and one, "the world must exercise both cases"


@pytest.mark.parametrize("code", sorted(NAMES))
def test_a_commodity_name_in_each_language_counts_only_that_commodity(planted_world, code):
    app, world, oracle, planted, _found, _n = planted_world
    user = world.users["ndcc_analyst"]
    events, kg = distinct_events(oracle, user, planted, lambda s: s["commodity"] == code)
    assert events, f"the world should hold {code} seizures this reader may see"
    for word in NAMES[code]:
        with app.test_request_context():
            outcome = search_services.run(session(), user, MultiDict({"q": word}))
            assert not outcome.errors
            found = outcome.facets
        assert (found.totals.seizures, round(found.totals.kg, 2)) == (events, round(kg, 2)), word
        assert [v.value for v in found.values["commodity"]] == [code], word
