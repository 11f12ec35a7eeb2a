"""The import page in a real browser: upload, report, confirm, the progress script (under the CSP), the result."""

from __future__ import annotations

import pytest

from tests.support.browser import sign_in
from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows

pytestmark = pytest.mark.browser
SHOTS = "import"


def test_supervisor_imports_a_file_and_watches_it_finish(
    page, live_server, live_app, screenshot, make_agency, make_team, make_user, tmp_path
):
    orgs = make_demo_orgs(make_agency, make_team)
    sign_in(page, live_server, make_user(agency=orgs["SCC"], role="supervisor"), app=live_app)
    page.click("text=Import")
    page.set_input_files("input[type=file]", str(generated_file(tmp_path / "seizures-2024.csv", 3000, seed=21)))
    screenshot(page, SHOTS, "1-upload")
    page.click("button:has-text('Check file')")
    page.wait_for_selector("text=All 3000 rows are good")
    screenshot(page, SHOTS, "2-checked")
    page.click("button:has-text('Import 3000 rows')")
    if page.locator("progress").count():  # the page may already show the result on a fast machine
        screenshot(page, SHOTS, "3-progress")
    page.wait_for_selector("text=Imported 3000 rows", timeout=90_000)  # the script reloads the page at the end
    screenshot(page, SHOTS, "4-done")
    assert page.locator("progress").count() == 0
    assert page.js_errors == [], page.js_errors  # e.g. a script or style refused by the Content-Security-Policy


def test_bad_rows_are_listed_in_the_browser(
    page, live_server, live_app, screenshot, make_agency, make_team, make_user, tmp_path
):
    orgs = make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 200, seed=5))
    rows[3]["commodity"], rows[8]["quantity"], rows[12]["nationality"] = "moon dust", "-1", "Atlantis"
    sign_in(page, live_server, make_user(agency=orgs["SCC"], role="supervisor"), app=live_app)
    page.goto(f"{live_server}/import/")
    page.set_input_files("input[type=file]", str(write_rows(tmp_path / "march.csv", rows)))
    page.click("button:has-text('Check file')")
    page.wait_for_selector("table.errors")
    screenshot(page, SHOTS, "5-bad-rows")
    lines = page.locator("table.errors tbody tr td:first-child").all_inner_texts()
    assert lines == ["5", "10", "14"]
    assert page.locator("button:has-text('Import')").count() == 0
    assert page.js_errors == [], page.js_errors
