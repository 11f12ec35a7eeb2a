"""In the browser: a team lead records a joint operation, has it returned, fixes it and gets it approved.

Screenshots of every step go to test-artifacts/screenshots/reports/ (desktop and phone width).
"""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in, sign_out, submit
from tests.support.report_steps import (
    attach_photo_and_submit,
    check_stored,
    lead_fixes_and_resubmits,
    phone_views,
    record_operation,
    supervisor_approves,
    supervisor_returns,
)

pytestmark = pytest.mark.browser
SHOTS = "reports"


@pytest.fixture
def cast(make_user, make_team, make_agency):
    team = make_team("IMT-TER", "IMT Termez")
    scc = make_agency("SCC", "State Customs Committee")
    for code, name in (("SSS", "State Security Service"), ("SBS", "State Border Service")):
        make_agency(code, name)
    return {
        "team": team,
        "lead": make_user(scc, role="lead", teams=[team], username="scc.lead"),
        "supervisor": make_user(scc, role="supervisor", username="scc.supervisor"),
    }


def test_a_lead_records_submits_fixes_and_gets_an_operation_approved(
    live_server, live_app, page, phone, screenshot, cast, db, tmp_path
):
    base = live_server
    sign_in(page, base, cast["lead"])
    op_id = record_operation(page, base, screenshot)
    op = check_stored(db, op_id)
    attach_photo_and_submit(page, db, op_id, tmp_path, screenshot)
    sign_out(page)
    sign_in(page, base, cast["supervisor"], app=live_app)
    supervisor_returns(page, op.ref, screenshot)
    sign_out(page)
    sign_in(page, base, cast["lead"])
    lead_fixes_and_resubmits(page, op.ref, screenshot)
    sign_out(page)
    sign_in(page, base, cast["supervisor"], app=live_app)
    supervisor_approves(page, base, db, op_id, screenshot)
    sign_in(phone, base, cast["lead"])
    phone_views(phone, base, op_id, screenshot)
    assert page.js_errors == [] and phone.js_errors == []


def test_rows_are_added_removed_and_relinked_in_place(live_server, page, screenshot, cast):
    sign_in(page, live_server, cast["lead"])
    page.goto(f"{live_server}/operations/new")
    for _ in range(2):
        page.click("[data-add-row=seizure]")
    page.click("[data-add-row=person]")
    page.select_option("[name='persons-0-seizure_row']", "3")
    assert page.locator("[data-rows=seizure] .row").count() == 3
    page.click("[data-rows=seizure] .row:nth-child(2) [data-remove-row]")
    assert page.locator("[data-rows=seizure] .row-number").all_inner_texts() == ["1", "2"]
    assert page.input_value("[name='persons-0-seizure_row']") == "2", "the link follows its seizure"
    options = page.locator("[name='persons-0-seizure_row'] option").all_inner_texts()
    assert options[1:] == ["Seizure 1", "Seizure 2"]
    page.select_option("[name='seizures-0-category']", "weapons")
    units = page.eval_on_selector_all("[name='seizures-0-unit'] option:not([hidden])", "os => os.map(o => o.value)")
    assert units == ["", "pieces"], "weapons are counted in pieces only"
    assert page.input_value("[name='seizures-0-unit']") == "pieces"
    submit(page, "button.primary:has-text('Save draft')")
    page.wait_for_selector(".flash-error")
    assert page.locator(".error").count() > 0
    # the page's script takes the user to the first field to correct
    page.wait_for_function("document.activeElement && document.activeElement.closest('.has-error') !== null")
    screenshot(page, SHOTS, "13-refused-form-focus-on-first-error", full_page=False)
    assert page.js_errors == []
