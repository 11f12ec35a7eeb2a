"""Editing a record whose seizure is one seizure event with another agency's report.

Customs (SCC) and the border service (SBS) reported one 12.5 kg heroin seizure,
and the analysis centre confirmed the two reports as one event: every total
counts it once. Saving a record — in the form or through the API, with or
without the seizures' ids — keeps a seizure that did not change, and its event
with it. A change to what made the two reports one seizure re-opens the link for
review; a seizure removed from its record leaves its event. Both recount, are
audited on both records, and are told to both agencies' supervisors.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ops.events import candidates, services
from ops.models import AuditEvent, InboxItem, SavedSearch, Seizure, SeizureLink
from tests.support.events_kit import client_of, seizures_of, set_figures, totals, written
from tests.support.op_forms import edit_form

WHEN = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
HEROIN = (("heroin", "drugs", "12.5", "kg"),)
ROW = {
    "category": "drugs",
    "commodity": "heroin",
    "quantity": "12.5",
    "unit": "kg",
    "concealment": "false_floor",
    "conveyance": "truck",
    "detection": "x_ray",
}
SEARCH = {"q": "heroin"}


def confirm(app, db, centre, first: Seizure, second: Seizure) -> None:
    """The two reports found as possible duplicates (as at submission), then confirmed by the analysis centre."""
    candidates.record(db, [first.id, second.id], "submit")
    db.commit()
    link = services.find(db, first.id, second.id)
    response = client_of(app, centre).post(
        f"/seizure-events/links/{link.id}/confirm",
        data={"version": link.version, "operation_id": first.operation_id},
        follow_redirects=True,
    )
    assert "counted once" in response.get_data(as_text=True)


@pytest.fixture
def linked(app, db, make_agency, make_team, make_user, make_operation):
    app.config["ANALYSIS_CENTRE_AGENCY"] = "NDCC"
    scc, sbs, ndcc = make_agency("SCC"), make_agency("SBS"), make_agency("NDCC")
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    customs = make_operation(scc, ter, visibility="all", seizures=HEROIN, started_at=WHEN)
    border = make_operation(sbs, ayr, visibility="all", seizures=HEROIN, started_at=WHEN + timedelta(hours=2))
    s_customs = set_figures(db, customs, "12.5", seizing_agency=scc)
    s_border = set_figures(db, border, "12.5", seizing_agency=scc)
    users = {
        "scc_lead": make_user(scc, "lead", teams=(ter,)),
        "sbs_lead": make_user(sbs, "lead", teams=(ayr,)),
        "scc_supervisor": make_user(scc, "supervisor"),
        "sbs_supervisor": make_user(sbs, "supervisor"),
        "ndcc_supervisor": make_user(ndcc, "supervisor"),
        "ndcc_analyst": make_user(ndcc, "analyst"),
    }
    confirm(app, db, users["ndcc_supervisor"], s_customs, s_border)
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 1)
    return {"customs": customs, "border": border, "s_customs": s_customs, "s_border": s_border, "users": users}


def _put(api_as, db, user, operation, seizures, **fields):
    """An amendment through the API, as a script writes it: the whole record, with these seizure rows."""
    db.refresh(operation)
    body = {
        "title": operation.title,
        "op_type": operation.op_type,
        "started_at": operation.started_at.isoformat(),
        "place_code": operation.place_code,
        "reason": "Corrected after the laboratory's weighing",
        "seizures": seizures,
        **fields,
    }
    headers = {"If-Match": f'"{operation.version}"'}
    response = api_as(user).put(f"/api/v1/operations/{operation.id}", json=body, headers=headers)
    assert response.status_code == 200, response.json
    db.expire_all()
    return response.json


def _link(db) -> SeizureLink | None:
    db.expire_all()
    return db.execute(select(SeizureLink).order_by(SeizureLink.id)).scalars().first()


def _api_totals(api_as, user) -> tuple[int, int]:
    found = api_as(user, read_only=True).get("/api/v1/search?q=heroin").json
    return found["total_seizures"], found["listed_not_counted"]


def _audited(db, action: str) -> list[int]:
    rows = db.execute(select(AuditEvent.object_id).where(AuditEvent.action == action)).all()
    return sorted(int(row[0]) for row in rows)


def _told(db, kind: str) -> list[int]:
    return sorted(db.execute(select(InboxItem.user_id).where(InboxItem.kind == kind)).scalars())


def test_saving_a_linked_record_in_the_form_keeps_its_seizure_and_counts_the_event_once(app, db, linked, api_as):
    users, border = linked["users"], linked["border"]
    lead = client_of(app, users["sbs_lead"])
    form = edit_form(lead, border.id)
    form.update({"title": "Heroin under a false floor", "reason": "The title named the wrong place of hiding"})
    form["seizures-0-concealment_detail"] = "welded false floor"  # a seizure's detail, not what makes it the same
    assert lead.post(f"/operations/{border.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert [s.id for s in seizures_of(db, border)] == [linked["s_border"].id]
    assert _link(db).status == "confirmed"
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 1)
    assert _api_totals(api_as, users["ndcc_analyst"]) == (1, 1)
    assert _audited(db, "seizure_link_reopen") == [] and _told(db, "seizure_event_reopened") == []


def test_a_changed_quantity_reopens_the_link_and_the_totals_count_both_reports(app, db, linked, api_as):
    users, border, s_border, s_customs = linked["users"], linked["border"], linked["s_border"], linked["s_customs"]
    _put(api_as, db, users["sbs_lead"], border, [{**ROW, "id": s_border.id, "quantity": "14"}])
    link = _link(db)
    assert (link.status, link.found_at) == ("candidate", "edit")
    assert db.get(Seizure, s_border.id).event_primary_id is None
    assert totals(app, users["ndcc_analyst"], SEARCH) == (2, Decimal("26.5"), 0)
    assert _api_totals(api_as, users["ndcc_analyst"]) == (2, 0)
    assert _audited(db, "seizure_link_reopen") == sorted([s_customs.id, s_border.id])
    supervisors = sorted([users["scc_supervisor"].id, users["sbs_supervisor"].id])
    assert _told(db, "seizure_event_reopened") == supervisors

    inbox = client_of(app, users["scc_supervisor"]).get("/inbox").get_data(as_text=True)
    assert "was re-opened for review" in inbox and linked["customs"].ref in inbox
    assert border.ref not in inbox, "each agency hears of its own record, the other by agency name only"
    page = client_of(app, users["sbs_supervisor"]).get(f"/operations/{border.id}").get_data(as_text=True)
    assert "re-opened for review: a report changed" in page and "possible duplicate" in page
    queue = client_of(app, users["ndcc_analyst"]).get("/seizure-events/queue").get_data(as_text=True)
    assert "re-opened for review: a report changed" in queue and "12.500000 / 14.000000" in queue

    confirm(app, db, users["ndcc_supervisor"], s_customs, s_border)  # reviewed: the same seizure after all
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 1)


def test_a_moved_time_reopens_the_link(app, db, linked, api_as):
    moved = (WHEN + timedelta(days=1)).isoformat()
    _put(
        api_as,
        db,
        linked["users"]["sbs_lead"],
        linked["border"],
        [{**ROW, "id": linked["s_border"].id}],
        started_at=moved,
    )
    assert _link(db).status == "candidate"
    assert totals(app, linked["users"]["ndcc_analyst"], SEARCH) == (2, Decimal("25.0"), 0)


def test_a_reopened_link_across_commodity_categories_cannot_be_confirmed(app, db, linked, api_as):
    users, s_border = linked["users"], linked["s_border"]
    cash = {**ROW, "id": s_border.id, "category": "cash", "commodity": "cash_usd", "quantity": "12500", "unit": "USD"}
    _put(api_as, db, users["sbs_lead"], linked["border"], [cash])
    link = _link(db)
    assert link.status == "candidate"
    before = written(db)
    response = client_of(app, users["ndcc_supervisor"]).post(
        f"/seizure-events/links/{link.id}/confirm",
        data={"version": link.version, "operation_id": linked["customs"].id},
        follow_redirects=True,
    )
    assert "different commodity categories" in response.get_data(as_text=True) and written(db) == before


def test_a_put_without_seizure_ids_keeps_the_seizure_that_is_the_same(app, db, linked, api_as):
    users, border, border_id = linked["users"], linked["border"], linked["s_border"].id
    cash = {**ROW, "category": "cash", "commodity": "cash_usd", "quantity": "500", "unit": "USD"}
    _put(api_as, db, users["sbs_lead"], border, [ROW, cash])
    kept, new = seizures_of(db, border)
    assert kept.id == border_id and new.commodity == "cash_usd"
    cash_id = new.id
    assert _link(db).status == "confirmed"
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 1)

    # the same place, another quantity: a new seizure, and the old one (no longer on the record) leaves the event
    _put(api_as, db, users["sbs_lead"], border, [{**ROW, "quantity": "13"}])
    (replaced,) = seizures_of(db, border)
    assert replaced.id not in (border_id, cash_id)
    assert _link(db) is None and db.get(Seizure, linked["s_customs"].id).event_primary_id is None
    assert totals(app, users["ndcc_analyst"], SEARCH) == (2, Decimal("25.5"), 0)
    assert _api_totals(api_as, users["ndcc_analyst"]) == (2, 0)
    assert _audited(db, "seizure_link_removed") == sorted([linked["s_customs"].id, border_id])
    assert _told(db, "seizure_event_left") == sorted([users["scc_supervisor"].id, users["sbs_supervisor"].id])


def test_removing_the_primary_report_moves_the_primary_to_a_remaining_report(
    app, db, linked, make_agency, make_team, make_operation
):
    """An event of three reports: customs' (the primary), the border's and the police's; customs removes its own."""
    users, customs, customs_id = linked["users"], linked["customs"], linked["s_customs"].id
    police = make_operation(
        make_agency("MIA"),
        make_team("IMT-TAS"),
        visibility="all",
        seizures=HEROIN,
        started_at=WHEN + timedelta(hours=4),
    )
    s_police = set_figures(db, police, "12.5", seizing_agency=make_agency("SCC"))
    confirm(app, db, users["ndcc_supervisor"], linked["s_border"], s_police)
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 2)

    lead = client_of(app, users["scc_lead"])
    form = edit_form(lead, customs.id)
    form.update({key: "" for key in form if key.startswith("seizures-0-")})
    form["reason"] = "The seizure was the border service's, not ours"
    assert lead.post(f"/operations/{customs.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert seizures_of(db, customs) == []
    assert db.get(Seizure, s_police.id).event_primary_id == linked["s_border"].id  # the first of the two left
    assert db.get(Seizure, linked["s_border"].id).event_primary_id is None
    assert totals(app, users["ndcc_analyst"], SEARCH) == (1, Decimal("12.5"), 1)
    # the confirmed link and the open candidate with the police's report (found when that one was linked) go
    assert _audited(db, "seizure_link_removed") == sorted([customs_id, customs_id, linked["s_border"].id, s_police.id])


def test_unlinking_tells_both_agencies_supervisors_but_not_the_one_who_unlinked(app, db, linked):
    users = linked["users"]
    link = _link(db)
    response = client_of(app, users["scc_supervisor"]).post(
        f"/seizure-events/links/{link.id}/unlink",
        data={"version": link.version, "operation_id": linked["customs"].id},
        follow_redirects=True,
    )
    assert "counts on its own again" in response.get_data(as_text=True)
    assert _told(db, "seizure_event_unlinked") == [users["sbs_supervisor"].id]


def test_a_saved_search_counts_a_new_seizure_event_once(app, db, linked):
    analyst = client_of(app, linked["users"]["ndcc_analyst"])
    assert analyst.post("/search/saved", data={"name": "heroin", "query": "q=heroin"}).status_code == 302
    saved = db.execute(select(SavedSearch)).scalar_one()
    saved.last_seen_at = datetime(2000, 1, 1, tzinfo=UTC)
    db.commit()
    page = analyst.get("/search").get_data(as_text=True)
    assert "1 new" in page and "2 new" not in page
