"""Saved searches, identifier lookup, correlations, the dashboard and bulk indexing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from ops import normalize
from ops.models import AuditEvent, Operation, Person, SavedSearch, Seizure, Vehicle, utcnow
from ops.operations import correlations as correlations_module
from ops.operations.correlations import correlations
from ops.search.sql import index as searchindex
from tests.support.databases import ON_POSTGRES


def _person(db, op, name, document=None):
    db.add(
        Person(
            operation_id=op.id,
            full_name=name,
            name_norm=normalize.name(name),
            document_number=document,
            document_norm=normalize.identifier(document) if document else None,
        )
    )
    db.commit()


def _vehicle(db, op, plate):
    db.add(Vehicle(operation_id=op.id, plate=plate, plate_norm=normalize.identifier(plate)))
    db.commit()


@pytest.fixture
def scc(make_agency, make_team):
    return make_agency("SCC"), make_team("IMT-TER")


# --- saved searches ----------------------------------------------------------------------------


def test_save_open_and_count_what_is_new(client, login_as, make_user, make_operation, scc, db):
    agency, team = scc
    analyst = make_user(agency, "analyst")
    make_operation(agency, team, visibility="all", narrative="heroin")
    login_as(analyst)
    response = client.post("/search/saved", data={"name": " Heroin weekly ", "query": "q=heroin&sort=newest&after=x"})
    assert response.status_code == 302
    saved = db.execute(select(SavedSearch)).scalar_one()
    assert (saved.name, saved.query) == ("Heroin weekly", "q=heroin&sort=newest")  # paging is not saved
    assert "nothing new" in client.get("/search").get_data(as_text=True)
    later = utcnow() + timedelta(seconds=1)
    make_operation(agency, team, visibility="all", narrative="more heroin", started_at=later)
    make_operation(
        agency, team, visibility="all", narrative="cannabis only", seizures=[("cannabis_herb", "drugs", "3", "kg")]
    )
    html = client.get("/search").get_data(as_text=True)
    assert "1 new" in html, html[html.find("Saved searches") :][:1500]
    opened = client.get(f"/search/saved/{saved.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/search?q=heroin&sort=newest")
    assert "nothing new" in client.get("/search").get_data(as_text=True)


def test_a_record_released_after_the_last_look_is_new(client, login_as, make_user, make_operation, scc, db):
    agency, team = scc
    login_as(make_user(agency, "analyst"))
    opium = [("opium", "drugs", "2", "kg")]  # counted: "opium" names the seizure's own commodity (counting.py)
    draft = make_operation(agency, team, status="submitted", visibility="all", narrative="opium", seizures=opium)
    client.post("/search/saved", data={"name": "opium", "query": "q=opium"})
    assert "nothing new" in client.get("/search").get_data(as_text=True)
    op = db.get(Operation, draft.id)
    op.status, op.approved_at = "approved", utcnow() + timedelta(seconds=1)
    db.commit()
    assert "1 new" in client.get("/search").get_data(as_text=True)


def test_saved_searches_are_private(client, login_as, make_user, scc, db):
    agency, _team = scc
    owner, other = make_user(agency, "analyst"), make_user(agency, "analyst")
    db.add(SavedSearch(user_id=owner.id, name="Owner's private pattern", query="q=heroin"))
    db.commit()
    saved_id = db.execute(select(SavedSearch.id)).scalar()
    login_as(other)
    assert client.get(f"/search/saved/{saved_id}").status_code == 404
    assert client.post(f"/search/saved/{saved_id}/delete").status_code == 404
    assert "private pattern" not in client.get("/search").get_data(as_text=True)
    client.post("/logout")
    login_as(owner)
    assert client.post(f"/search/saved/{saved_id}/delete").status_code == 302
    assert db.execute(select(SavedSearch)).first() is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "query": "q=heroin"},
        {"name": "x" * 121, "query": "q=heroin"},
        {"name": "bad", "query": "kg_min=-3"},
        {"name": "empty", "query": ""},
    ],
)
def test_a_search_that_cannot_be_saved_says_why(client, login_as, make_user, scc, db, data):
    login_as(make_user(scc[0], "analyst"))
    response = client.post("/search/saved", data=data, follow_redirects=True)
    assert "cannot be saved" in response.get_data(as_text=True) or "Give the saved search a name" in response.get_data(
        as_text=True
    )
    assert db.execute(select(SavedSearch)).first() is None


# --- identifier lookup ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01 A 123 BC", "01a123bc", "01-a-123-bc", "01 а 123 вс"])
def test_a_plate_in_any_format(client, login_as, make_user, make_operation, scc, db, typed):
    agency, team = scc
    op = make_operation(agency, team, visibility="all")
    _vehicle(db, op, "01 A 123 BC")
    login_as(make_user(agency, "analyst"))
    html = client.get("/search/lookup", query_string={"value": typed}).get_data(as_text=True)
    assert "1 record involves" in html and f'/operations/{op.id}"' in html


def test_names_match_in_either_order_and_documents_in_any_format(client, login_as, make_user, make_operation, scc, db):
    agency, team = scc
    op = make_operation(agency, team, visibility="all")
    _person(db, op, "Botir Akhmedov", "FA 383-8205")
    login_as(make_user(agency, "analyst"))
    for typed in ("botir  akhmedov", "AKHMEDOV Botir", "fa3838205", "FA-383-8205"):
        html = client.get("/search/lookup", query_string={"value": typed}).get_data(as_text=True)
        assert "1 record involves" in html, typed


def test_lookup_input_is_checked_and_audited(client, login_as, make_user, scc, db):
    login_as(make_user(scc[0], "analyst"))
    assert client.get("/search/lookup?value=x").status_code == 400
    assert "Type a plate" in client.get("/search/lookup?value=").get_data(as_text=True)
    client.get("/search/lookup?value=01A123BC")
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "search")).scalar_one()
    assert json.loads(event.detail) == {"lookup": "01A123BC", "found": 0}


# --- correlations -----------------------------------------------------------------------------


def test_correlations_list_what_is_shared(app, make_user, make_operation, scc, db):
    agency, team = scc
    here, there, elsewhere = (make_operation(agency, team, visibility="all", share_persons=True) for _ in range(3))
    _vehicle(db, here, "01 A 123 BC")
    _vehicle(db, there, "01a123bc")
    _person(db, here, "Botir Akhmedov", "FA3838205")
    _person(db, elsewhere, "BOTIR  AKHMEDOV", "FA 383-8205")
    with app.test_request_context():
        found = correlations(make_user(agency, "analyst"), here)
    shared = {(item.kind, item.key): {op.id for op in item.operations} for item in found}
    assert shared == {
        ("plate", "01A123BC"): {there.id},
        ("person", "BOTIR AKHMEDOV"): {elsewhere.id},
        ("document", "FA3838205"): {elsewhere.id},
    }


def test_a_busy_value_is_a_count_not_a_flood(app, client, login_as, make_user, make_operation, scc, db, monkeypatch):
    monkeypatch.setattr(correlations_module, "BUSY", 3)
    agency, team = scc
    here = make_operation(agency, team, visibility="all")
    _person(db, here, "Ali Valiev")
    others = [make_operation(agency, team, visibility="all") for _ in range(5)]
    for op in others:
        _person(db, op, "Ali Valiev")
    hidden = make_operation(agency, team, visibility="team")  # not visible to an analyst outside the team
    _person(db, hidden, "Ali Valiev")
    analyst = make_user(agency, "analyst")
    with app.test_request_context():
        found = correlations(analyst, here)
        assert [(item.kind, item.total, item.busy, item.operations) for item in found] == [("person", 5, True, [])]
        from flask import render_template

        html = render_template("search/_correlations.html", correlations=found)
    assert "on 5 other records" in html and "/search/lookup?value=Ali+Valiev" in html


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_adds_up_to_the_search_page(client, login_as, make_user, make_operation, scc, db):
    agency, team = scc
    for month in (1, 1, 3):
        make_operation(
            agency,
            team,
            visibility="all",
            started_at=datetime(2024, month, 10, tzinfo=UTC),
            seizures=[("heroin", "drugs", "1", "kg"), ("opium", "drugs", "2", "kg")],
        )
    login_as(make_user(agency, "analyst"))
    html = client.get("/search/dashboard?from=2024-01-01&to=2024-12-31").get_data(as_text=True)
    assert "6 <span>seizures" in html and "6 <span>seizures" in client.get(
        "/search?from=2024-01-01&to=2024-12-31"
    ).get_data(as_text=True)
    for chart in ("chart-months", "chart-commodities", "chart-locations", "chart-agencies", "chart-routes"):
        assert f'<svg class="chart" id="{chart}"' in html
    assert "Jan 2024: 4" in html and "Feb 2024: 0" in html and "Mar 2024: 2" in html
    assert "<script" not in html.split("<main", 1)[1] and 'style="' not in html
    details = [
        json.loads(e.detail) for e in db.execute(select(AuditEvent).where(AuditEvent.action == "search")).scalars()
    ]
    assert {"dashboard": "from=2024-01-01&to=2024-12-31", "found": 6} in details


def test_dashboard_refuses_bad_filters(client, login_as, make_user, scc):
    login_as(make_user(scc[0], "analyst"))
    response = client.get("/search/dashboard?from=someday")
    assert response.status_code == 400 and "is not a date" in response.get_data(as_text=True)
    assert "chart-months" not in response.get_data(as_text=True)


# --- bulk writers -----------------------------------------------------------------------------


def _indexed(db, word: str) -> int:
    sql = (
        "SELECT count(*) FROM seizure_search WHERE (body_tsv || persons_tsv) @@ to_tsquery('simple', :w)"
        if ON_POSTGRES
        else "SELECT count(*) FROM seizure_fts WHERE seizure_fts MATCH :w"
    )
    return db.execute(text(sql), {"w": word}).scalar()


def test_a_bulk_load_is_indexed_once_at_its_end(db, make_operation, scc):
    agency, team = scc
    template = make_operation(agency, team, narrative="the first", visibility="all")
    with searchindex.deferred(db.connection()):  # what the importer does, in one transaction
        op = Operation(
            **{k: v for k, v in template.model_dump().items() if k not in ("id", "ref", "version")}, ref="BULK-1"
        )
        op.narrative = "zebra crossing"
        db.add(op)
        db.flush()
        db.add(
            Seizure(
                operation_id=op.id,
                owner_agency_id=agency.id,
                occurred_at=op.started_at,
                category="drugs",
                commodity="opium",
                quantity=1,
                unit="kg",
            )
        )
        db.add(Person(operation_id=op.id, full_name="Quentin Zorro", name_norm="QUENTIN ZORRO"))
        db.flush()
        assert _indexed(db, "zebra") == 0  # deferred: nothing indexed yet
        copies = db.execute(select(Seizure.op_status, Seizure.op_visibility).where(Seizure.operation_id == op.id))
        assert copies.all() == [("approved", "all")]  # the access copies are never deferred
    assert _indexed(db, "zebra") == 1 and _indexed(db, "zorro") == 1
    db.commit()
    assert not db.execute(text("SELECT active FROM search_bulk")).scalar()
    assert db.execute(text("SELECT count(*) FROM search_pending")).scalar() == 0


def test_an_error_inside_a_bulk_load_does_not_leave_indexing_off(db, make_operation, scc):
    with pytest.raises(RuntimeError):
        with searchindex.deferred(db.connection()):
            raise RuntimeError("boom")
    db.rollback()
    assert not db.execute(text("SELECT active FROM search_bulk")).scalar()
    op = make_operation(*scc, narrative="giraffe")
    assert _indexed(db, "giraffe") == 1 and op.id
