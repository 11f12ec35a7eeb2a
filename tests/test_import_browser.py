"""The import page in a real browser: upload, report, confirm, the progress script (under the CSP), the result."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.importing import generated_file, make_demo_orgs, read_rows, write_rows

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture
def live_server(app):
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.problems = []
        tab.on("console", lambda message: message.type == "error" and tab.problems.append(message.text))
        tab.on("pageerror", lambda error: tab.problems.append(str(error)))
        yield tab
        browser.close()


def sign_in(page, user) -> None:
    page.goto("/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_supervisor_imports_a_file_and_watches_it_finish(page, make_agency, make_team, make_user, tmp_path):
    orgs = make_demo_orgs(make_agency, make_team)
    sign_in(page, make_user(agency=orgs["SCC"], role="supervisor"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.click("text=Import")
    page.set_input_files("input[type=file]", str(generated_file(tmp_path / "seizures-2024.csv", 3000, seed=21)))
    page.screenshot(path=str(ARTIFACTS / "import-1-upload.png"), full_page=True)
    page.click("button:has-text('Check file')")
    page.wait_for_selector("text=All 3000 rows are good")
    page.screenshot(path=str(ARTIFACTS / "import-2-checked.png"), full_page=True)
    page.click("button:has-text('Import 3000 rows')")
    if page.locator("progress").count():  # the page may already show the result on a fast machine
        page.screenshot(path=str(ARTIFACTS / "import-3-progress.png"), full_page=True)
    page.wait_for_selector("text=Imported 3000 rows", timeout=90_000)  # the script reloads the page at the end
    page.screenshot(path=str(ARTIFACTS / "import-4-done.png"), full_page=True)
    assert page.locator("progress").count() == 0
    assert not page.problems, page.problems  # e.g. a script or style refused by the Content-Security-Policy


def test_bad_rows_are_listed_in_the_browser(page, make_agency, make_team, make_user, tmp_path):
    orgs = make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 200, seed=5))
    rows[3]["commodity"], rows[8]["quantity"], rows[12]["nationality"] = "moon dust", "-1", "Atlantis"
    sign_in(page, make_user(agency=orgs["SCC"], role="supervisor"))
    page.goto("/import/")
    page.set_input_files("input[type=file]", str(write_rows(tmp_path / "march.csv", rows)))
    page.click("button:has-text('Check file')")
    page.wait_for_selector("table.errors")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-5-bad-rows.png"), full_page=True)
    lines = page.locator("table.errors tbody tr td:first-child").all_inner_texts()
    assert lines == ["5", "10", "14"]
    assert page.locator("button:has-text('Import')").count() == 0
    assert not page.problems, page.problems
