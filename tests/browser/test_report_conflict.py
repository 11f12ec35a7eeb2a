"""In the browser: two people edit one record; the second sees both versions and decides. Plus the list."""

from __future__ import annotations

import pytest

from ops.models import Operation
from tests.support.browser import DESKTOP, sign_in, submit
from tests.support.op_forms import SEIZURE, create

pytestmark = pytest.mark.browser
SHOTS = "reports"


@pytest.fixture
def record(client, make_user, make_team, make_agency, login_as):
    team = make_team("IMT-TER", "IMT Termez")
    scc = make_agency("SCC", "State Customs Committee")
    lead = make_user(scc, role="lead", teams=[team], username="scc.lead")
    officer = make_user(scc, role="officer", teams=[team], username="scc.officer")
    login_as(lead)
    op_id = create(client, team, seizures=[SEIZURE])
    return op_id, lead, officer


def test_the_second_editor_sees_both_versions_and_keeps_theirs(live_server, browser, page, screenshot, record, db):
    op_id, lead, officer = record
    other = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server, lead)
    sign_in(other, live_server, officer)
    page.goto(f"{live_server}/operations/{op_id}/edit")
    other.goto(f"{live_server}/operations/{op_id}/edit")
    other.fill("[name='seizures-0-quantity']", "13")
    other.fill("#title", "Heroin in a fuel tank, Ayritom")
    submit(other, "button.primary:has-text('Save changes')")
    other.wait_for_selector(".flash-success")
    other.context.close()

    page.fill("#title", "Heroin in a fuel tank (night shift)")
    page.fill("#narrative", "My careful account of the night, which must not be lost.")
    submit(page, "button.primary:has-text('Save changes')")
    page.wait_for_selector(".conflict")
    screenshot(page, SHOTS, "14-conflict-page")
    assert page.input_value("#title") == "Heroin in a fuel tank (night shift)"
    assert "My careful account" in page.input_value("#narrative")
    diff = page.inner_text("table.diff")
    assert "Heroin in a fuel tank, Ayritom" in diff and "13 kg" in diff
    db.expire_all()
    assert db.get(Operation, op_id).title == "Heroin in a fuel tank, Ayritom"

    submit(page, "button.primary:has-text('Save my version over theirs')")
    page.wait_for_selector(".flash-success")
    db.expire_all()
    saved = db.get(Operation, op_id)
    assert saved.title == "Heroin in a fuel tank (night shift)" and "careful account" in saved.narrative
    assert page.js_errors == []


def test_the_operations_list_on_desktop_and_phone(live_server, page, phone, screenshot, record):
    _op_id, lead, _officer = record
    for tab, name in ((page, "15-list-desktop"), (phone, "16-list-phone")):
        sign_in(tab, live_server, lead)
        if tab is page:
            submit(tab, "nav >> text=Operations")
        else:
            tab.goto(f"{live_server}/operations/")
        assert "IMT-TER-" in tab.inner_text("table")
        screenshot(tab, SHOTS, name, full_page=False)
