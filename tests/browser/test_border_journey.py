"""In the browser, across the border: the Uzbek liaison office sends a release and a heads-up, a supervisor
approves the release, and the Tajik counterpart office acknowledges both (in Russian) and answers."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.liaison import services
from ops.models_liaison import HeadsUp, Release
from tests.support import releasekit as kit
from tests.support.browser import sign_in, sign_out, submit

pytestmark = pytest.mark.browser


def test_release_approval_acknowledgement_and_heads_up_across_the_border(
    live_server, live_app, app, page, db, make_agency, make_team, make_user, make_operation
):
    base = live_server
    scc, blo = make_agency("SCC", "State Customs Committee"), make_team("BLO-OYB", "BLO Oybek", kind="blo")
    tajik = kit.office(db, make_agency)
    kit.pair(app, db, scc, tajik)
    lead, supervisor = make_user(scc, "lead", teams=[blo]), make_user(scc, "supervisor")
    tajik_lead = make_user(tajik, "lead")
    record = kit.plant(db, make_operation, scc, blo)

    sign_in(page, base, lead)
    page.goto(f"{base}/operations/{record.id}")
    submit(page, "#releases a.button")
    page.check("input[name=include_plate]")
    page.fill("textarea[name=summary]", f"{kit.NAME} hid heroin under the floor")
    submit(page, "button[name=step][value=review]")
    preview = page.locator("#release-preview").inner_text()
    assert "01 A 777 KA" in preview and "Rahimov" not in preview
    submit(page, "button[name=step][value=send]")
    page.goto(f"{base}/liaison/messages/new")
    page.fill("input[name=plate]", "01 B 123 CD")
    page.fill("textarea[name=text]", "A white truck expected tonight")
    submit(page, "main form button[type=submit]")
    sign_out(page)

    sign_in(page, base, supervisor, app=live_app)
    submit(page, ".inbox-link")
    submit(page, "li.inbox-item[data-kind=release_to_approve] a")
    submit(page, "#approve button[type=submit]")
    assert page.locator(".flash-success").count() == 1
    sign_out(page)

    sign_in(page, base, tajik_lead, app=live_app)
    submit(page, ".inbox-link")
    assert "Героин" in page.locator("li.inbox-item[data-kind=release_received]").inner_text()
    submit(page, "li.inbox-item[data-kind=release_received] a")
    assert "Rahimov" not in page.content() and kit.CANARIES[1] not in page.content()
    submit(page, "form[action$='/acknowledge'] button[type=submit]")
    page.goto(f"{base}/inbox")
    submit(page, "li.inbox-item[data-kind=headsup_received] a")
    submit(page, "form[action$='/acknowledge'] button[type=submit]")
    page.fill("#reply textarea[name=text]", "We will watch for it")
    submit(page, "#reply button[type=submit]")
    assert "We will watch for it" in page.content()
    assert page.js_errors == []
    db.expire_all()
    assert db.exec(select(Release.acknowledged_by_id)).one() == tajik_lead.id
    messages = db.exec(select(HeadsUp).order_by(HeadsUp.id)).all()
    assert messages[0].acknowledged_by_id == tajik_lead.id and messages[1].from_agency_id == tajik.id


def test_a_supervisor_refuses_a_release_after_confirming_and_the_writer_withdraws_another(
    live_server, live_app, app, page, db, make_agency, make_team, make_user, make_operation
):
    scc, blo = make_agency("SCC", "State Customs Committee"), make_team("BLO-OYB", "BLO Oybek", kind="blo")
    tajik = kit.office(db, make_agency)
    kit.pair(app, db, scc, tajik)
    lead, supervisor = make_user(scc, "lead", teams=[blo]), make_user(scc, "supervisor")
    record = kit.plant(db, make_operation, scc, blo)
    with app.test_request_context():
        first, second = (services.create(db, lead, record, tajik.id, False, "heroin") for _ in range(2))

    sign_in(page, live_server, supervisor, app=live_app)
    page.goto(f"{live_server}/liaison/releases/{first.id}")
    page.fill("#refuse textarea[name=reason]", "The case is still open")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#refuse button[type=submit]")  # the confirmation is answered "no": nothing is sent
    page.wait_for_timeout(300)
    db.expire_all()
    assert db.get(Release, first.id).status == "pending" and page.locator(".flash-success").count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "#refuse button[type=submit]")
    assert page.locator(".flash-success").count() == 1
    sign_out(page)

    sign_in(page, live_server, lead)
    page.goto(f"{live_server}/liaison/releases/{second.id}")
    assert page.locator("#refuse").count() == 0  # a lead refuses nothing; the writer withdraws
    page.once("dialog", lambda dialog: dialog.accept())
    submit(page, "#withdraw button[type=submit]")
    page.goto(f"{live_server}/operations/{record.id}")
    card = page.locator("#releases").inner_text()
    assert "refused" in card and "withdrawn" in card
    assert page.js_errors == []
    db.expire_all()
    assert [r.status for r in db.exec(select(Release).order_by(Release.id)).all()] == ["refused", "withdrawn"]
