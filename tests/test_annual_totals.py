"""Annual totals per drug: seizure events and kg-equivalent per year, counted once, on the page and in XLSX."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from ops.models import AuditEvent, Operation, Seizure, SeizureLink
from tests.support.events_kit import client_of, set_figures

WHEN = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def _world(db, make_agency, make_team, make_user, make_operation):
    scc, sbs = make_agency("SCC"), make_agency("SBS")
    ter, ayr = make_team("IMT-TER"), make_team("BLO-AYR")
    customs = make_operation(scc, ter, visibility="all", started_at=WHEN)
    border = make_operation(sbs, ayr, visibility="all", started_at=WHEN + timedelta(hours=3))
    a = set_figures(db, customs, "12.5", seizing_agency=scc)
    b = set_figures(db, border, "12.5", seizing_agency=scc)
    older = make_operation(scc, ter, visibility="all", started_at=datetime(2024, 3, 1, 9, 0, tzinfo=UTC))
    set_figures(db, older, "2")
    draft = make_operation(scc, ter, status="draft", visibility="all", started_at=WHEN)
    set_figures(db, draft, "100")  # not approved: not in the official figures
    cash = make_operation(scc, ter, visibility="all", seizures=(("cash_usd", "cash", "5000", "USD"),))
    assert cash  # not a drug: not in the table
    link = SeizureLink(seizure_id=a.id, other_id=b.id, agency_id=scc.id, other_agency_id=sbs.id, status="confirmed")
    db.add(link)
    b.event_primary_id = a.id
    db.add(b)
    db.commit()
    return make_user(scc, "analyst")


def test_the_page_counts_each_event_once_per_year(app, db, make_agency, make_team, make_user, make_operation):
    analyst = _world(db, make_agency, make_team, make_user, make_operation)
    page = client_of(app, analyst).get("/search/annual")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<th scope="col" class="num">2024</th>' in html and '<th scope="col" class="num">2025</th>' in html
    assert 'data-label="2025">1 · 12.5 kg' in html, "two agencies' reports of one seizure: one event, 12.5 kg"
    assert 'data-label="2024">1 · 2 kg' in html
    assert "100 kg" not in html and "5,000" not in html
    audited = db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.detail.like('%"annual"%')))
    assert audited.scalar_one() == 1


def test_the_xlsx_holds_the_same_table(app, db, make_agency, make_team, make_user, make_operation):
    analyst = _world(db, make_agency, make_team, make_user, make_operation)
    response = client_of(app, analyst).get("/search/annual.xlsx?from_year=2025")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Drug", "2025 · seizure events", "2025 · kg-equivalent"]
    assert rows[1][:3] == ["Heroin", 1, 12.5] and len(rows) == 2


def test_bad_years_are_refused_with_a_message(app, db, make_agency, make_team, make_user, make_operation):
    analyst = _world(db, make_agency, make_team, make_user, make_operation)
    client = client_of(app, analyst)
    for query, message in [
        ("from_year=abc", "is not a year between"),
        ("from_year=2025&to_year=2024", "The last year is before the first."),
        ("year=2025", "is not a setting of this table"),
    ]:
        response = client.get(f"/search/annual?{query}")
        assert response.status_code == 400 and message in response.get_data(as_text=True), query


def test_a_reader_of_one_report_counts_that_reports_figures(app, db, make_agency, make_team, make_user, make_operation):
    analyst = _world(db, make_agency, make_team, make_user, make_operation)
    primary = db.execute(select(Seizure).where(Seizure.event_primary_id.is_(None), Seizure.kg_equivalent == 12.5))
    customs = primary.scalar_one()
    operation = db.get(Operation, customs.operation_id)
    operation.visibility = "agency"
    db.add(operation)
    db.commit()
    border_analyst = make_user(make_agency("SBS"), "analyst")
    html = client_of(app, border_analyst).get("/search/annual").get_data(as_text=True)
    assert 'data-label="2025">1 · 12.5 kg' in html, "the border's own report, the customs one being hidden"
    html = client_of(app, analyst).get("/search/annual").get_data(as_text=True)
    assert 'data-label="2025">1 · 12.5 kg' in html
