"""Search correctness on a generated world of a few thousand seizures, against an independent oracle.

Counts, totals and facets are compared with the raw rows filtered in Python
by the access rule as documented (tests/searchkit.py), for users whose
visibility filter differs: an analyst of an agency owning records, an
analyst of an agency that owns none, a supervisor, an officer.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from ops.db import session
from ops.search import services
from ops.search.sql import backends, facets, onepass, parallel, results
from tests.support import searchkit
from tests.support.accounts import PASSWORD

TASHKENT = ZoneInfo("Asia/Tashkent")
READERS = ["scc_analyst", "ndcc_analyst", "scc_supervisor", "scc_officer"]


@pytest.fixture(scope="module")
def big(database_url, tmp_path_factory):
    app, world, oracle = searchkit.world_app(database_url, tmp_path_factory.mktemp("big"))
    yield app, world, oracle
    app.extensions["ops_engine"].dispose()


def _search(app, user, args: dict):
    """(all matching seizure ids in date order, facets) as the service computes them."""
    with app.test_request_context():
        db = session()
        query, scope, errors = services.checked_query(db, user, MultiDict(args))
        assert not errors, errors
        backend = backends.for_session(db)
        found = facets.compute(db, query, scope, backend)
        ids, cursor = [], None
        while True:
            page_args = MultiDict(args)
            page_args["sort"] = "newest"
            if cursor:
                page_args["after"] = cursor
            page_query, _s, _e = services.checked_query(db, user, page_args)
            page = results.find_page(db, page_query, scope, backend)
            ids += [row.seizure.id for row in page.rows]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        return ids, found


def _local_year(value) -> str:
    return (
        str(value.astimezone(TASHKENT).year)
        if value.tzinfo
        else str(value.replace(tzinfo=ZoneInfo("UTC")).astimezone(TASHKENT).year)
    )


def _as_datetime(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))


def _check_against(oracle, user, listed: list[dict], ids: list[int], found, commodities=()) -> None:
    """The rows listed are `listed`; the totals and facets count those the counting rule counts."""
    assert sorted(ids) == sorted(s["id"] for s in listed)
    assert len(ids) == len(set(ids)), "a row appeared on two pages"
    expected = [s for s in listed if oracle.counts(user, s, commodities)]
    assert found.totals.seizures == len(expected)
    assert found.totals.not_counted == len(listed) - len(expected)
    kg = sum((Decimal(str(s["kg_equivalent"])) for s in expected if s["kg_equivalent"] is not None), Decimal(0))
    assert abs(found.totals.kg - kg) < Decimal("0.01")
    expected_facets = {
        "commodity": Counter(s["commodity"] for s in expected),
        "agency": Counter(oracle.agency_codes[s["owner_agency_id"]] for s in expected),
        "location": Counter(oracle.operations[s["operation_id"]]["place_name"] for s in expected),
        "conveyance": Counter(s["conveyance"] for s in expected),
        "year": Counter(_local_year(_as_datetime(s["occurred_at"])) for s in expected),
    }
    for name, counts in expected_facets.items():
        assert {v.value: v.count for v in found.values[name]} == dict(counts), name


@pytest.mark.parametrize("reader", READERS)
def test_text_search_finds_exactly_what_the_reader_may_see(big, reader):
    app, world, oracle = big
    user = world.users[reader]
    ids, found = _search(app, user, {"q": "truck heroin"})
    expected = [
        s
        for s in oracle.visible_seizures(user)
        if oracle.finds(user, s, [[("truck",)], [("heroin",), ("героин",), ("geroin",)]])
    ]
    assert expected, "the generated world should contain matches"
    assert any(s["commodity"] != "heroin" for s in expected), "some match through the narrative only"
    _check_against(oracle, user, expected, ids, found, commodities=("heroin",))


@pytest.mark.parametrize("reader", ["scc_analyst", "ndcc_analyst"])
def test_filters_only_listing_and_facets(big, reader):
    app, world, oracle = big
    user = world.users[reader]
    ids, found = _search(app, user, {"commodity": "heroin", "from": "2023-01-01", "to": "2023-12-31"})
    start = datetime(2023, 1, 1, tzinfo=TASHKENT)
    end = datetime(2024, 1, 1, tzinfo=TASHKENT)
    expected = [
        s
        for s in oracle.visible_seizures(user)
        if s["commodity"] == "heroin" and start <= _as_datetime(s["occurred_at"]) < end
    ]
    assert expected, "the generated world should hold heroin seizures of 2023 that this reader may see"
    _check_against(oracle, user, expected, ids, found)


def test_a_year_facet_counts_what_its_click_returns(big):
    app, world, oracle = big
    user = world.users["scc_analyst"]
    _ids, everything = _search(app, user, {"category": "drugs"})
    for item in everything.values["year"]:
        year_ids, _f = _search(
            app, user, {"category": "drugs", "from": f"{item.value}-01-01", "to": f"{item.value}-12-31"}
        )
        assert len(year_ids) == item.count, item.value


FILTERS = [
    ({"agency": "MIA"}, lambda o, s: o.agency_codes[s["owner_agency_id"]] == "MIA"),
    ({"agency": ["MIA", "SBS"]}, lambda o, s: o.agency_codes[s["owner_agency_id"]] in ("MIA", "SBS")),
    ({"team": "IMT-TAS"}, lambda o, s: o.team_codes[o.operations[s["operation_id"]]["owner_team_id"]] == "IMT-TAS"),
    (
        {"location": searchkit.PLACES[0].name},
        lambda o, s: o.operations[s["operation_id"]]["place_name"] == searchkit.PLACES[0].name,
    ),
    ({"region": "Surkhandarya"}, lambda o, s: o.operations[s["operation_id"]]["region"] == "Surkhandarya"),
    ({"category": "cash"}, lambda o, s: s["category"] == "cash"),
    ({"commodity": ["opium", "tramadol"]}, lambda o, s: s["commodity"] in ("opium", "tramadol")),
    ({"conveyance": "train"}, lambda o, s: s["conveyance"] == "train"),
    ({"concealment": "fuel_tank"}, lambda o, s: s["concealment"] == "fuel_tank"),
    ({"detection": "k9"}, lambda o, s: s["detection"] == "k9"),
    ({"origin": "AF"}, lambda o, s: s["origin_country"] == "AF"),
    ({"destination": "Russia"}, lambda o, s: s["destination_country"] == "RU"),
    (
        {"via": "KZ"},
        lambda o, s: "KZ" in [s["origin_country"], *s["transit_countries"].split(), s["destination_country"]],
    ),
    (
        {"kg_min": "1", "kg_max": "5"},
        lambda o, s: s["kg_equivalent"] is not None and 1 <= Decimal(str(s["kg_equivalent"])) <= 5,
    ),
    ({"status": "draft"}, lambda o, s: o.operations[s["operation_id"]]["status"] == "draft"),
]


@pytest.mark.parametrize("args,keep", FILTERS, ids=[str(a) for a, _k in FILTERS])
def test_each_filter(big, args, keep):
    app, world, oracle = big
    user = world.users["scc_supervisor"]  # sees drafts of the agency too
    ids, found = _search(app, user, args)
    expected = [s for s in oracle.visible_seizures(user) if keep(oracle, s)]
    assert expected, f"no data for {args}"
    _check_against(oracle, user, expected, ids, found)


@pytest.mark.parametrize(
    "typed,phrases,prefix,commodities",
    [
        ("HeRoIn", [[("heroin",), ("героин",), ("geroin",)]], (), ("heroin",)),
        ("hero*", [[("hero",)]], (0,), ()),  # a prefix names no commodity: every match counts
        ('"false floor"', [[("false", "floor")]], (), ()),
        ("ГЕРОИН", [[("heroin",), ("героин",), ("geroin",)]], (), ("heroin",)),
        (
            "гашиш",
            [[("cannabis", "resin"), ("gashish",), ("hashish",), ("гашиш",), ("чарс",)]],
            (),
            ("cannabis_resin",),
        ),
        ("Afghanistan", [[("afghanistan",), ("afgʻoniston",), ("ctyaf",), ("афганистан",)]], (), ()),
    ],
)
def test_full_text_prefix_phrase_cyrillic_and_case(big, typed, phrases, prefix, commodities):
    app, world, oracle = big
    user = world.users["ndcc_analyst"]
    ids, found = _search(app, user, {"q": typed})
    expected = [s for s in oracle.visible_seizures(user) if oracle.finds(user, s, phrases, prefix)]
    assert expected
    _check_against(oracle, user, expected, ids, found, commodities)


def test_a_plate_typed_in_another_format_is_found(big):
    app, world, oracle = big
    user = world.users["ndcc_analyst"]
    plate = world.plates[0]
    compact = plate.replace(" ", "").lower()
    ids, _found = _search(app, user, {"q": compact})
    expected = [
        s
        for s in oracle.visible_seizures(user)
        if any(v["plate_norm"] == compact.upper() for v in oracle.vehicles.get(s["operation_id"], []))
    ]
    assert expected and sorted(ids) == sorted(s["id"] for s in expected)


def test_backward_paging_returns_the_same_pages(big):
    app, world, _oracle = big
    user = world.users["scc_analyst"]
    with app.test_request_context():
        db = session()
        backend = backends.for_session(db)

        def page(extra):
            query, scope, errors = services.checked_query(db, user, MultiDict({"category": "drugs", **extra}))
            assert not errors
            return results.find_page(db, query, scope, backend)

        for sort in ("newest", "oldest", "largest"):
            first = page({"sort": sort})
            second = page({"sort": sort, "after": first.next_cursor})
            third = page({"sort": sort, "after": second.next_cursor})
            back = page({"sort": sort, "before": third.prev_cursor})
            assert [r.seizure.id for r in back.rows] == [r.seizure.id for r in second.rows], sort
            again = page({"sort": sort, "before": back.prev_cursor})
            assert [r.seizure.id for r in again.rows] == [r.seizure.id for r in first.rows], sort
            assert not again.prev_cursor


def test_the_page_shows_the_totals_and_round_trips_its_url(big):
    app, world, oracle = big
    client = app.test_client()
    client.post("/login", data={"username": "scc_analyst", "password": PASSWORD})
    response = client.get("/search?q=heroin&agency=SCC&agency=MIA&from=2022-01-01&to=2024-06-30&sort=newest")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    user = world.users["scc_analyst"]
    start, end = datetime(2022, 1, 1, tzinfo=TASHKENT), datetime(2024, 7, 1, tzinfo=TASHKENT)
    expected = [
        s
        for s in oracle.visible_seizures(user)
        if oracle.agency_codes[s["owner_agency_id"]] in ("SCC", "MIA")
        and start <= _as_datetime(s["occurred_at"]) < end
        and oracle.finds(user, s, [[("heroin",), ("героин",), ("geroin",)]])
        and s["commodity"] == "heroin"  # the word names a commodity: only heroin seizures count
    ]
    assert f"{len(expected):,} <span>seizure" in html
    # every link on the page keeps the whole search
    assert "q=heroin&amp;from=2022-01-01&amp;to=2024-06-30&amp;agency=SCC&amp;agency=MIA" in html


def test_best_match_pages_cover_all_matches_once_facts_first(big):
    app, world, oracle = big
    user = world.users["scc_analyst"]
    with app.test_request_context():
        db = session()
        backend = backends.for_session(db)
        seen, cursor = [], ""
        while True:
            query, scope, errors = services.checked_query(db, user, MultiDict({"q": "truck heroin", "after": cursor}))
            assert not errors and query.effective_sort == "relevance"
            page = results.find_page(db, query, scope, backend)
            seen += [r.seizure for r in page.rows]
            cursor = page.next_cursor
            if not cursor:
                break
    heroin = ("heroin",), ("героин",), ("geroin",)
    expected = [
        s["id"]
        for s in oracle.visible_seizures(user)
        if oracle.finds(
            user, s, [[("truck",), ("lorry",), ("yuk", "mashinasi"), ("грузовик",), ("фура",)], list(heroin)]
        )
    ]
    assert sorted(s.id for s in seen) == sorted(expected) and len(seen) == len({s.id for s in seen})
    points = [(s.conveyance == "truck") + (s.commodity == "heroin") for s in seen]
    assert points == sorted(points, reverse=True), "seizures whose own facts match come first"
    assert points[0] == 2 and points[-1] < 2


def _rounded(found: facets.Facets) -> facets.Facets:
    """Facets with kg to the gram: ranges summed apart add floating-point kg in another order."""

    def grams(kg: Decimal) -> Decimal:
        return kg.quantize(Decimal("0.001"))

    return facets.Facets(
        facets.Totals(found.totals.seizures, grams(found.totals.kg)),
        {
            name: [facets.FacetValue(v.value, v.count, grams(v.kg)) for v in values]
            for name, values in found.values.items()
        },
    )


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest", "largest"])
def test_one_pass_over_id_ranges_gives_the_pages_and_facets_of_separate_queries(big, sort, monkeypatch):
    """The search page reads full-text matches once per range of ids, side by side, and merges the ranges:
    each page, its links and the facets are those of the separate page and facet queries."""
    app, world, _oracle = big
    monkeypatch.setattr(parallel, "PARTS", 3)  # more ranges than a small machine would use
    for reader in ("scc_analyst", "ndcc_analyst"):
        user = world.users[reader]
        with app.test_request_context():
            db = session()
            backend = backends.for_session(db)

            def both(args: dict, db=db, user=user, backend=backend, reader=reader):
                query, scope, errors = services.checked_query(
                    db, user, MultiDict({"q": "heroin", "sort": sort, **args})
                )
                assert not errors
                page, found = onepass.search(db, query, scope, backend)
                expected = results.find_page(db, query, scope, backend)
                assert [r.seizure.id for r in page.rows] == [r.seizure.id for r in expected.rows], (reader, args)
                assert (page.next_cursor, page.prev_cursor) == (expected.next_cursor, expected.prev_cursor)
                assert _rounded(found) == _rounded(facets.compute(db, query.without_paging(), scope, backend))
                return page

            first = both({})
            pages, page = [first], first
            while page.next_cursor:
                page = both({"after": page.next_cursor})
                pages.append(page)
            assert len(pages) > 1 or reader == "ndcc_analyst", "the world is big enough for several pages"
            if len(pages) > 1:
                back = both({"before": pages[-1].prev_cursor})
                assert [r.seizure.id for r in back.rows] == [r.seizure.id for r in pages[-2].rows]


def test_dates_are_the_readers_days(big):
    """A seizure at 21:30 UTC on 31 December is on 1 January in Tashkent: the filter and the year say so."""
    app, world, oracle = big
    user = world.users["scc_supervisor"]
    eve = [
        s
        for s in oracle.visible_seizures(user)
        if _as_datetime(s["occurred_at"]).strftime("%m-%d %H:%M") in ("12-31 21:30", "12-31 21:40")
    ]
    assert eve
    sample = eve[0]
    new_year = _as_datetime(sample["occurred_at"]).astimezone(TASHKENT).date()
    assert new_year.month == 1 and new_year.day == 1
    ids, found = _search(app, user, {"from": new_year.isoformat(), "to": new_year.isoformat()})
    assert sample["id"] in ids
    ids_before, _f = _search(
        app,
        user,
        {"from": (new_year - timedelta(days=1)).isoformat(), "to": (new_year - timedelta(days=1)).isoformat()},
    )
    assert sample["id"] not in ids_before
    assert {v.value for v in found.values["year"]} == {str(new_year.year)}


@pytest.mark.parametrize("reader", ["scc_analyst", "ndcc_analyst", "mia_lead"])
def test_names_and_documents_are_searchable_only_where_persons_are_visible(big, reader):
    app, world, oracle = big
    user = world.users[reader]
    people = sorted({(p["full_name"], p["document_number"]) for ps in oracle.persons.values() for p in ps})[:6]
    checked = 0
    for name, document in people:
        for typed in (name.split()[-1], document):
            ids, _found = _search(app, user, {"q": typed})
            phrase = tuple(searchkit.words(typed))
            expected = [s["id"] for s in oracle.visible_seizures(user) if oracle.finds(user, s, [[phrase]])]
            assert sorted(ids) == sorted(expected), typed
            hidden = [
                s
                for s in oracle.visible_seizures(user)
                if phrase[0] in oracle.person_words(s)
                and not oracle.persons_visible(user, oracle.operations[s["operation_id"]])
            ]
            assert not {s["id"] for s in hidden} & set(ids), f"{typed} found a record whose persons are withheld"
            checked += len(hidden)
    assert checked, "the world should hold withheld persons that a search must not reach"
