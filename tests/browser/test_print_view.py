"""The print view in a real browser: its stylesheet applies in print, no script or style is refused,
and a long record prints on several numbered A4 pages with the header on each."""

from __future__ import annotations

import re

from ops.models import Operation
from tests.support.browser import sign_in

LONG = " ".join(f"Paragraph {n}: the team inspected the cargo and recorded what it found." for n in range(400))


def test_print_view_prints_numbered_pages_with_the_header(
    live_server, live_app, page, db, make_agency, make_team, make_user, make_operation, screenshot
):
    scc, mia = make_agency("SCC", "State Customs Committee"), make_agency("MIA")
    op = make_operation(scc, make_team("IMT-TER"), visibility="all", narrative=LONG)
    stored = db.get(Operation, op.id)
    stored.handling_code, stored.handling_conditions, stored.grading = "H3", "Not for the press.", "B2"
    db.commit()
    sign_in(page, live_server, make_user(mia, role="analyst"), app=live_app)
    page.goto(f"{live_server}/operations/{op.id}/print")
    header = page.locator("#print-header")
    assert "State Customs Committee" in header.inner_text() and op.ref in header.inner_text()
    assert "H3" in header.inner_text() and "B2" in header.inner_text()
    page.emulate_media(media="print")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('table.print-view > thead')).display")
        == "table-header-group"
    )
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "none"
    shot = screenshot(page, "print", "print-view", full_page=False)
    pdf = page.pdf(format="A4", path=str(shot.with_suffix(".pdf")))  # kept beside the screenshot, to look at
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 2, pages
    assert page.js_errors == []
