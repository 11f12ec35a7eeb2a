"""In the browser, in each language: an analyst of agency B looks up a plate held by agency A, asks for access,
A's supervisor grants it from the inbox, and B reads the record."""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in, sign_out, submit
from tests.support.hitkit import CANARIES, PLATE, plant

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en", "ru", "uz"])
def test_lookup_hit_request_grant_read(
    live_server, live_app, page, db, make_agency, make_team, make_user, make_operation, locale
):
    base = live_server
    scc, mia = make_agency("SCC", "State Customs Committee"), make_agency("MIA", "Ministry of Internal Affairs")
    team = make_team("IMT-TER", "IMT Termez")
    analyst, supervisor = make_user(mia, "analyst"), make_user(scc, "supervisor")
    for user in (analyst, supervisor):
        user.locale = locale
    db.commit()
    record = plant(db, make_operation, scc, team)

    sign_in(page, base, analyst)
    page.goto(f"{base}/search/lookup")
    page.fill("input[name=value]", PLATE)
    page.fill("input[name=purpose]", "case 2026/17")
    submit(page, "main form[action$='/search/lookup'] button[type=submit]")
    hit = page.locator("li.hit")
    assert hit.count() == 1 and "State Customs Committee" in hit.inner_text() and "2025" in hit.inner_text()
    assert record.ref not in page.content() and CANARIES[0] not in page.content()
    hit.locator("summary").click()
    hit.locator("input[name=case_number]").fill("17/2026")
    submit(page, "li.hit form button[type=submit]")
    assert "/access/" in page.url
    sign_out(page)

    sign_in(page, base, supervisor, app=live_app)
    assert page.locator(".inbox-link .badge").inner_text() == "1"
    submit(page, ".inbox-link")
    submit(page, "li.inbox-item[data-kind=access_request] a")
    page.check("input[name=decision][value=grant]")
    submit(page, "#answer button[type=submit]")
    assert page.locator(".flash-success").count() == 1
    sign_out(page)

    sign_in(page, base, analyst)
    submit(page, ".inbox-link")
    submit(page, "li.inbox-item[data-kind=access_granted] a")
    assert page.url.endswith(f"/operations/{record.id}")
    assert record.ref in page.content() and CANARIES[0] in page.content()
    assert page.js_errors == []
