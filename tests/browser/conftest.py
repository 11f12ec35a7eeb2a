"""Browser fixtures: the app on a live server in a thread, and the system Chromium through Playwright.

The live app is built from the very `app_config` of the tests' `app` fixture (a
fresh migrated SQLite file, or the worker's PostgreSQL database), with CSRF
protection ON, as in production: the browser submits the real forms.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from ops.app import create_app
from tests.support.browser import CHROMIUM_ARGS, DESKTOP, PHONE, SCREENSHOTS, new_tab

BROWSER_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in tests/browser/ is a browser test, marked or not (`-m "not browser"` leaves them all out)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_app(app_config):
    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield application
    for engine in (application.extensions["ops_engine"], application.extensions["ops_read_engine"]):
        if engine is not None:
            engine.dispose()


class InFlight:
    """Counts the requests being answered, so that the server stops only when the last one is done.

    A page's own requests (a script's fetch, an image) can still be running when a test ends; their
    database session would return its connection to a pool already disposed, and the connection be
    collected open during a later test."""

    def __init__(self):
        self.count, self.idle = 0, threading.Condition()

    def started(self) -> None:
        with self.idle:
            self.count += 1

    def done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait(self, seconds: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout=seconds)


class CountedHandler(WSGIRequestHandler):
    """Werkzeug's handler, counting each request around the whole answer.

    Not by the app's iterator's close(): when the browser has dropped a connection (a tab closed while
    its favicon loads), werkzeug's reading of the rest of the request raises before it calls close(),
    so such a request was never counted done and the server's stop waited its whole timeout."""

    def run_wsgi(self) -> None:
        self.server.in_flight.started()
        try:
            super().run_wsgi()
        finally:
            self.server.in_flight.done()


@pytest.fixture
def live_server(live_app):
    """The app served on 127.0.0.1 at a free port; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=CountedHandler)
    server.in_flight = InFlight()
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.in_flight.wait(seconds=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A desktop-sized tab (1280x900)."""
    context, tab = new_tab(browser, DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    """A phone-sized tab (390x844)."""
    context, tab = new_tab(browser, PHONE)
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "reports", "01-new-form") saves test-artifacts/screenshots/reports/01-new-form.png."""

    def take(tab, folder: str, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / folder / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take
