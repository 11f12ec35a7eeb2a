"""The whole journey in Chromium, as issue 7 describes it, with a screenshot of every step.

A team lead signs in with two-factor, records an operation (three seizures, two
persons, a vehicle, a photo) and submits it; a supervisor returns it; the lead
fixes and resubmits; the supervisor approves. An analyst of a partner agency
finds it by full text and by the vehicle plate, opens it, exports CSV and XLSX.
An analyst of an agency outside its visibility finds nothing and gets 404 on its
address. An auditor sees each step in the audit trail. Screenshots:
test-artifacts/screenshots/journey/.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.browser import sign_in, sign_out, submit
from tests.support.report_steps import (
    attach_photo_and_submit,
    check_stored,
    lead_fixes_and_resubmits,
    record_operation,
    supervisor_approves,
    supervisor_returns,
)

pytestmark = pytest.mark.browser
SHOTS = "journey"


@pytest.fixture
def people(make_user, make_team, make_agency):
    team = make_team("IMT-TER", "IMT Termez")
    scc = make_agency("SCC", "State Customs Committee")
    sss = make_agency("SSS", "State Security Service")
    make_agency("SBS", "State Border Service")
    mia = make_agency("MIA", "Ministry of Internal Affairs")
    return {
        "lead": make_user(scc, role="lead", teams=[team], username="scc.lead"),
        "supervisor": make_user(scc, role="supervisor", username="scc.supervisor"),
        "partner": make_user(sss, role="analyst", username="sss.analyst"),
        "outsider": make_user(mia, role="analyst", username="mia.analyst"),
        "auditor": make_user(scc, role="auditor", username="scc.auditor"),
    }


def _download(tab, selector: str) -> bytes:
    with tab.expect_download() as info:
        tab.click(selector)
    return Path(info.value.path()).read_bytes()


def partner_finds_opens_and_exports(tab, base, ref, op_id, screenshot):
    tab.goto(f"{base}/search?q=welded")
    assert tab.locator(f"a[href='/operations/{op_id}']").count() > 0, "found by full text"
    screenshot(tab, SHOTS, "06-partner-finds-by-text")
    tab.goto(f"{base}/search/lookup?value=01A-123+BC")
    assert tab.locator(f"a[href='/operations/{op_id}']").count() > 0, "found by the plate in another format"
    screenshot(tab, SHOTS, "07-partner-finds-by-plate")
    submit(tab, f"a[href='/operations/{op_id}']")
    assert ref in tab.inner_text("main")
    assert "details held by State Customs Committee" in tab.inner_text("main")  # identities withheld
    screenshot(tab, SHOTS, "08-partner-opens-the-record")
    tab.goto(f"{base}/search?q=welded")
    text = _download(tab, "a[href*='/search/export/csv']").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 3 and any(ref in cell for cell in rows[1])
    workbook = load_workbook(io.BytesIO(_download(tab, "a[href*='/search/export/xlsx']")), read_only=True)
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len([r for r in sheet_rows if r and any(ref == str(c) for c in r)]) == 3
    screenshot(tab, SHOTS, "09-partner-exported")


def outsider_finds_nothing(tab, base, op_id, screenshot):
    tab.goto(f"{base}/search?q=welded")
    assert tab.locator(f"a[href='/operations/{op_id}']").count() == 0
    tab.goto(f"{base}/search/lookup?value=01A123BC")
    assert tab.locator(f"a[href='/operations/{op_id}']").count() == 0
    screenshot(tab, SHOTS, "10-outsider-finds-nothing")
    response = tab.goto(f"{base}/operations/{op_id}")
    assert response.status == 404
    screenshot(tab, SHOTS, "11-outsider-gets-404")


def auditor_sees_every_step(tab, base, op_id, screenshot):
    tab.goto(f"{base}/audit/?record={op_id}")
    trail = tab.inner_text("main")
    # each step by its label, in words (the codes stay in the stored events)
    for action in (
        "Created a record",
        "Submitted a record for review",
        "Returned a record to the team",
        "Approved a record",
        "Viewed a record",
    ):
        assert action in trail, action
    tab.goto(f"{base}/audit/?action=export")
    screenshot(tab, SHOTS, "12-auditor-sees-exports")
    tab.goto(f"{base}/audit/readers")
    assert "sss.analyst" in tab.inner_text("main")
    screenshot(tab, SHOTS, "13-auditor-sees-outside-readers")


def test_the_whole_journey(live_server, live_app, page, phone, screenshot, people, db, tmp_path):
    base = live_server
    sign_in(page, base, people["lead"], app=live_app)  # the lead has two-factor sign-in on
    screenshot(page, SHOTS, "01-lead-signed-in-with-two-factor")
    op_id = record_operation(page, base, screenshot)
    op = check_stored(db, op_id)
    attach_photo_and_submit(page, db, op_id, tmp_path, screenshot)
    sign_out(page)
    sign_in(page, base, people["supervisor"], app=live_app)
    supervisor_returns(page, op.ref, screenshot)
    sign_out(page)
    sign_in(page, base, people["lead"], app=live_app)
    lead_fixes_and_resubmits(page, op.ref, screenshot)
    sign_out(page)
    sign_in(page, base, people["supervisor"], app=live_app)
    supervisor_approves(page, base, db, op_id, screenshot)
    sign_out(page)
    sign_in(page, base, people["partner"])
    partner_finds_opens_and_exports(page, base, op.ref, op_id, screenshot)
    sign_in(phone, base, people["outsider"])
    outsider_finds_nothing(phone, base, op_id, screenshot)
    sign_out(page)
    sign_in(page, base, people["auditor"], app=live_app)
    auditor_sees_every_step(page, base, op_id, screenshot)
    assert page.js_errors == [] and phone.js_errors == []
