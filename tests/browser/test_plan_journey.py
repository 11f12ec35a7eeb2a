"""In the browser, in each language: a lead of agency A enters a plan at a crossing point; a lead of agency B
plans at the same place and time and is told who to call at A, nothing of A's plan; A's supervisor finds the
item in the inbox and marks the conflict resolved; A's lead reports on the plan from a draft filled from it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ops import clock
from tests.support.browser import sign_in, sign_out, submit
from tests.support.plankit import local

pytestmark = pytest.mark.browser


def _enter_plan(page, base, team, plate: str, contact: str) -> None:
    start = clock.now() - timedelta(hours=2)  # under way: its report can be written at the end of the journey
    page.goto(f"{base}/plans")
    submit(page, "a[href$='/plans/new']")
    page.select_option("select[name=kind]", "controlled_delivery")
    page.select_option("select[name=team_id]", str(team.id))
    page.fill("input[name=starts_at]", local(start))
    page.fill("input[name=ends_at]", local(start + timedelta(hours=8)))
    page.select_option("select[name=place_code]", "AYRITOM")
    page.fill("textarea[name=plates]", plate)
    page.fill("input[name=duty_contact]", contact)
    submit(page, "main form button[type=submit]")


def _report_on_plan(page, base) -> None:
    """The lead opens their plan, asks for its report and saves the draft, ending the operation now."""
    page.goto(f"{base}/plans")
    submit(page, "main a[href*='/plans/']:not([href$='/new']):not([href$='/conflicts'])")
    submit(page, "a[href$='/report']")
    assert page.input_value("select[name=place_code]") == "AYRITOM"
    page.fill("input[name=title]", "Controlled delivery at Ayritom")
    page.fill("input[name=ended_at]", local(clock.now() - timedelta(minutes=5)))
    assert page.input_value("input[name='vehicles-0-plate']") == "01A777KA"
    page.select_option("select[name='vehicles-0-vehicle_type']", "truck")  # the plan knows the plate alone
    submit(page, "button.primary[type=submit]")


@pytest.mark.parametrize("locale", ["en", "ru", "uz"])
def test_two_agencies_plan_at_one_crossing_point(
    live_server, live_app, page, db, make_agency, make_team, make_user, locale
):
    base = live_server
    scc, mia = make_agency("SCC", "State Customs Committee"), make_agency("MIA", "Ministry of Internal Affairs")
    scc_team, mia_team = make_team("IMT-TER", "IMT Termez"), make_team("MIA-TER", "MIA Termez unit")
    scc_lead, mia_lead = make_user(scc, "lead", teams=[scc_team]), make_user(mia, "lead", teams=[mia_team])
    scc_supervisor = make_user(scc, "supervisor")
    for user in (scc_lead, mia_lead, scc_supervisor):
        user.locale = locale
    db.commit()

    sign_in(page, base, scc_lead)
    _enter_plan(page, base, scc_team, "01A777KA", "Major Karimov +998 90 111 22 33")
    assert page.locator(".flash-success").count() == 1 and page.locator(".flash-error").count() == 0
    sign_out(page)

    sign_in(page, base, mia_lead)
    _enter_plan(page, base, mia_team, "40B123CD", "MIA desk 5555")
    told = page.locator(".flash-error").inner_text()
    assert "State Customs Committee" in told and "Major Karimov +998 90 111 22 33" in told
    assert "01A777KA" not in page.content() and "IMT Termez" not in page.content()
    sign_out(page)

    sign_in(page, base, scc_supervisor, app=live_app)
    submit(page, ".inbox-link")
    submit(page, "li.inbox-item[data-kind=plan_conflict] a")
    assert "/plans/" in page.url and "MIA desk 5555" in page.content() and "40B123CD" not in page.content()
    submit(page, "form[action*='/resolve'] button[type=submit]")
    assert page.locator("form[action*='/resolve']").count() == 0  # resolved on this side: no button left
    sign_out(page)

    sign_in(page, base, scc_lead)
    _report_on_plan(page, base)
    assert re.search(r"/operations/\d+$", page.url), page.url  # saved: the draft's own page, not the form again
    assert "01A777KA" in page.content() and "Controlled delivery at Ayritom" in page.content()
    assert page.js_errors == []
