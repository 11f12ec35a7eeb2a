"""Seizure events: customs and the border service report one 12.5 kg heroin seizure; it counts once.

Possible duplicates are found at submit and approval; a supervisor of one agency
proposes "same seizure", a supervisor of the other confirms (or the national
analysis centre decides alone); every total then counts the event once, for a
reader of both reports and for a reader of one; unlinking recounts. Bad input is
refused with a message and nothing is written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ops.db import session
from ops.equipment import aggregate
from ops.events import services
from ops.models import Agency, AuditEvent, Seizure, SeizureLink
from tests.support.events_kit import client_of, set_figures, totals, written

WHEN = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def joint(db, make_agency, make_team, make_user, make_operation):
    """SCC's approved report (shared with the analysis centre only) and SBS's draft report of the same seizure."""
    scc, sbs, ndcc = make_agency("SCC"), make_agency("SBS"), make_agency("NDCC")
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    customs = make_operation(scc, ter, visibility="partners", partners=(ndcc,), started_at=WHEN)
    border = make_operation(sbs, ayr, status="draft", visibility="all", started_at=WHEN + timedelta(hours=2))
    s_customs = set_figures(db, customs, "12.5", seizing_agency=scc)
    s_border = set_figures(db, border, "12.5", seizing_agency=scc)
    users = {
        "sbs_lead": make_user(sbs, "lead", teams=(ayr,)),
        "sbs_supervisor": make_user(sbs, "supervisor"),
        "scc_supervisor": make_user(scc, "supervisor"),
        "ndcc_analyst": make_user(ndcc, "analyst"),
        "ndcc_supervisor": make_user(ndcc, "supervisor"),
        "sbs_analyst": make_user(sbs, "analyst"),
        "scc_analyst": make_user(scc, "analyst"),
    }
    return {"customs": customs, "border": border, "s_customs": s_customs, "s_border": s_border, "users": users}


def _submit(app, joint):
    lead = client_of(app, joint["users"]["sbs_lead"])
    border = joint["border"]
    response = lead.post(f"/operations/{border.id}/submit", data={"version": border.version})
    assert response.status_code == 302
    return lead


def _link(db, joint) -> SeizureLink:
    db.expire_all()
    return db.execute(select(SeizureLink)).scalar_one()


def _step(app, user, link: SeizureLink, step: str, operation_id: int):
    client = client_of(app, user)
    response = client.post(
        f"/seizure-events/links/{link.id}/{step}",
        data={"version": link.version, "operation_id": operation_id},
        follow_redirects=True,
    )
    return response.status_code, response.get_data(as_text=True)


def test_submit_finds_the_other_agencys_report_and_names_only_its_agency(app, db, joint):
    lead = _submit(app, joint)
    link = _link(db, joint)
    assert (link.status, link.found_at) == ("candidate", "submit")
    assert {link.seizure_id, link.other_id} == {joint["s_customs"].id, joint["s_border"].id}
    page = lead.get(f"/operations/{joint['border'].id}").get_data(as_text=True)
    assert "possible duplicate of a record held by Agency SCC." in page
    assert joint["customs"].ref not in page, "the hidden record's reference never shows"


def test_a_restricted_record_is_not_named_to_a_reader_who_may_not_read_it(app, db, joint):
    joint["customs"].handling_code = "H2"
    db.add(joint["customs"])
    db.commit()
    lead = _submit(app, joint)
    assert _link(db, joint).status == "candidate"  # found, for the analysts who may read both
    page = lead.get(f"/operations/{joint['border'].id}").get_data(as_text=True)
    assert "possible duplicate" not in page and 'id="seizure-events"' not in page


def test_confirmed_pair_counts_once_for_readers_of_both_and_of_one_and_unlinking_recounts(app, db, joint, api_as):
    users = joint["users"]
    _submit(app, joint)
    link = _link(db, joint)
    border_id, customs_id = joint["border"].id, joint["customs"].id
    _approve(app, db, joint)
    heroin = {"q": "heroin"}
    assert totals(app, users["ndcc_analyst"], heroin)[:2] == (2, Decimal("25.0"))  # the double count

    status, page = _step(app, users["sbs_supervisor"], link, "propose", border_id)
    assert status == 200 and "a supervisor of the other agency confirms it" in page
    status, page = _step(app, users["scc_supervisor"], _link(db, joint), "confirm", customs_id)
    assert status == 200 and "counted once" in page
    db.expire_all()
    primary = db.get(Seizure, joint["s_border"].id).event_primary_id
    assert primary == joint["s_customs"].id, "the seizing agency's report is the primary"

    assert totals(app, users["ndcc_analyst"], heroin) == (1, Decimal("12.5"), 1)  # reads both
    assert totals(app, users["sbs_analyst"], heroin) == (1, Decimal("12.5"), 0)  # reads the border's only
    assert totals(app, users["scc_analyst"], {"commodity": "heroin"}) == (1, Decimal("12.5"), 1)  # both, by filter

    analyst = client_of(app, users["ndcc_analyst"])
    results = analyst.get("/search?q=heroin").get_data(as_text=True)
    assert "1 <span>seizure" in results and "Also reported by Agency SBS" in results
    assert "1 <span>seizure" in analyst.get("/search/dashboard?q=heroin").get_data(as_text=True)
    api = api_as(users["ndcc_analyst"], read_only=True).get("/api/v1/search?q=heroin").json
    assert (api["total_seizures"], api["listed_not_counted"]) == (1, 1)
    assert sorted(item["also_reported_by"] for item in api["items"]) == [["Agency SBS"], ["Agency SCC"]]
    assert sorted(item["counted"] for item in api["items"]) == [False, True]
    listed = analyst.get("/operations/").get_data(as_text=True)
    assert "Also reported by Agency SBS" in listed and "Also reported by Agency SCC" in listed
    border_reader = client_of(app, users["sbs_analyst"]).get("/search?q=heroin").get_data(as_text=True)
    assert "Also reported by Agency SCC" in border_reader and joint["customs"].ref not in border_reader

    status, page = _step(app, users["scc_supervisor"], _link(db, joint), "unlink", customs_id)
    assert status == 200 and "counts on its own again" in page
    assert totals(app, users["ndcc_analyst"], heroin) == (2, Decimal("25.0"), 0)
    unlinks = db.execute(select(AuditEvent.object_id).where(AuditEvent.action == "seizure_link_unlink")).all()
    assert sorted(int(row[0]) for row in unlinks) == sorted([joint["s_customs"].id, joint["s_border"].id])


def _approve(app, db, joint):
    supervisor = client_of(app, joint["users"]["sbs_supervisor"])
    db.refresh(joint["border"])
    response = supervisor.post(
        f"/operations/{joint['border'].id}/review", data={"version": joint["border"].version, "decision": "approve"}
    )
    assert response.status_code == 302
    db.refresh(joint["border"])
    assert joint["border"].status == "approved"


def test_the_programme_report_counts_a_linked_event_once(app, db, joint):
    _submit(app, joint)
    _approve(app, db, joint)
    link = _link(db, joint)
    _step(app, joint["users"]["sbs_supervisor"], link, "propose", joint["border"].id)
    _step(app, joint["users"]["scc_supervisor"], _link(db, joint), "confirm", joint["customs"].id)
    with app.test_request_context():
        found = aggregate.aggregate(session(), aggregate.Query(date(2025, 1, 1), date(2025, 12, 31)))
    assert found.total.events == "<3" and found.total.operations == "<3"  # masked, but computed from one event
    with app.test_request_context():
        raw = dict(aggregate._rows(session(), aggregate.Query(date(2025, 1, 1), date(2025, 12, 31)), [], ()))
    assert raw[()].events == 1 and raw[()].kg == Decimal("12.5")


def test_the_analysis_centre_decides_alone_when_the_setting_names_it(app, db, joint):
    app.config["ANALYSIS_CENTRE_AGENCY"] = "NDCC"
    _submit(app, joint)
    status, page = _step(app, joint["users"]["ndcc_supervisor"], _link(db, joint), "confirm", joint["customs"].id)
    assert status == 200 and "counted once" in page
    assert _link(db, joint).status == "confirmed"


def test_without_the_setting_a_third_agency_cannot_decide(app, db, joint):
    _submit(app, joint)
    before = written(db)
    status, _page = _step(app, joint["users"]["ndcc_supervisor"], _link(db, joint), "confirm", joint["customs"].id)
    assert status == 403 and written(db)[:2] == before[:2]


def test_the_queue_lists_open_candidates_with_figures_only_where_both_are_readable(app, db, joint):
    _submit(app, joint)
    _approve(app, db, joint)
    page = client_of(app, joint["users"]["ndcc_analyst"]).get("/seizure-events/queue").get_data(as_text=True)
    assert joint["customs"].ref in page and joint["border"].ref in page and "12.5" in page
    page = client_of(app, joint["users"]["sbs_analyst"]).get("/seizure-events/queue").get_data(as_text=True)
    assert joint["border"].ref in page and joint["customs"].ref not in page and "Figures withheld" in page


# --- bad input: a message, and nothing written ---------------------------------------------


def _propose_ids(app, user, seizure_id: int, other_id: int, operation_id: int):
    client = client_of(app, user)
    response = client.post(
        "/seizure-events/propose",
        data={"seizure_id": seizure_id, "other_id": other_id, "operation_id": operation_id},
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def test_linking_a_seizure_to_itself(app, db, joint):
    before = written(db)
    s = joint["s_customs"]
    page = _propose_ids(app, joint["users"]["scc_supervisor"], s.id, s.id, joint["customs"].id)
    assert "cannot be linked to itself" in page and written(db) == before


def test_linking_across_commodity_categories(app, db, joint, make_operation, make_team):
    cash = make_operation(
        _agency(db, "SCC"),
        make_team("IMT-TER"),
        seizures=(("cash_usd", "cash", "10000", "USD"),),
        visibility="agency",
    )
    other = db.execute(select(Seizure).where(Seizure.operation_id == cash.id)).scalar_one()
    before = written(db)
    page = _propose_ids(app, joint["users"]["scc_supervisor"], joint["s_customs"].id, other.id, cash.id)
    assert "different commodity categories" in page and written(db) == before


def _agency(db, code):
    return db.execute(select(Agency).where(Agency.code == code)).scalar_one()


def test_confirming_ones_own_proposal(app, db, joint):
    _submit(app, joint)
    _step(app, joint["users"]["sbs_supervisor"], _link(db, joint), "propose", joint["border"].id)
    before = written(db)
    _status, page = _step(app, joint["users"]["sbs_supervisor"], _link(db, joint), "confirm", joint["border"].id)
    assert "You proposed this link" in page and written(db) == before


def test_unlinking_what_is_not_linked(app, db, joint):
    _submit(app, joint)
    before = written(db)
    _status, page = _step(app, joint["users"]["scc_supervisor"], _link(db, joint), "unlink", joint["customs"].id)
    assert "not linked, so there is nothing to unlink" in page and written(db) == before


def test_a_chain_that_would_make_two_primaries(app, db, joint, make_operation, make_team, make_agency):
    """Two events of two reports each: linking a report of one to a report of the other is refused."""
    app.config["ANALYSIS_CENTRE_AGENCY"] = "NDCC"
    centre = joint["users"]["ndcc_supervisor"]
    _submit(app, joint)
    _step(app, centre, _link(db, joint), "confirm", joint["customs"].id)
    scc, mia = _agency(db, "SCC"), make_agency("MIA")
    team = make_team("IMT-TAS")
    third = make_operation(scc, team, visibility="all", started_at=WHEN + timedelta(days=10))
    fourth = make_operation(mia, team, visibility="all", started_at=WHEN + timedelta(days=10, hours=1))
    s3, s4 = set_figures(db, third, "3"), set_figures(db, fourth, "3")
    link = services.new_link(s3, s4, "proposal")
    link.status = "confirmed"
    db.add(link)
    db.commit()
    s4.event_primary_id = s3.id
    db.add(s4)
    db.commit()
    before = written(db)
    page = _propose_ids(app, centre, joint["s_customs"].id, s3.id, joint["customs"].id)
    assert "would make two primary reports" in page and written(db) == before


def test_the_primary_is_the_seizing_agencys_report_else_the_first_approved():
    def report(id_, owner, seizing):
        return Seizure(
            id=id_,
            owner_agency_id=owner,
            seizing_agency_id=seizing,
            operation_id=1,
            category="drugs",
            commodity="heroin",
            quantity=Decimal(1),
            unit="kg",
            occurred_at=WHEN,
        )

    early, late = WHEN, WHEN + timedelta(days=1)
    assert services.choose_primary([(report(1, 1, 2), early), (report(2, 2, 2), late)]).id == 2
    # both name a third agency as the seizing one: the first approved
    assert services.choose_primary([(report(1, 1, 3), late), (report(2, 2, 3), early)]).id == 2


def test_a_seizure_one_may_not_read_cannot_be_named_outside_a_notice(app, db, joint):
    """The border's supervisor may not read the customs record: no proposal by id, and a missing id says the same."""
    before = written(db)
    supervisor = joint["users"]["sbs_supervisor"]
    hidden = _propose_ids(app, supervisor, joint["s_border"].id, joint["s_customs"].id, joint["border"].id)
    missing = _propose_ids(app, supervisor, joint["s_border"].id, 999_999, joint["border"].id)
    for page in (hidden, missing):
        assert "Propose a link from a possible-duplicate notice" in page
    assert written(db) == before
