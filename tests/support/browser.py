"""Browser test helpers: Chromium's flags, viewports, where screenshots go, and the sign-in steps."""

from __future__ import annotations

from pathlib import Path

from tests.support.accounts import PASSWORD, second_factor_code

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def sign_in(tab, base_url: str, user, password: str = PASSWORD, app=None) -> None:
    """Sign in through the login page; with `app`, also pass the two-factor step where it is required."""
    if app is not None:
        second_factor_code(app, user)  # enrol with the known secret, so the step asks for a code
    tab.goto(f"{base_url}/login")
    tab.fill("input[name=username]", user.username)
    tab.fill("input[name=password]", password)
    submit(tab, "main form button[type=submit]")
    if "/two-factor" in tab.url:
        assert app is not None, "this user needs two-factor sign-in: pass app="
        tab.fill("input[name=code]", second_factor_code(app, user))
        submit(tab, "main form button[type=submit]")
    tab.wait_for_url(f"{base_url}/")


def sign_out(tab) -> None:
    submit(tab, "form[action$='/logout'] button")


def submit(tab, selector: str) -> None:
    """Click something that loads a new page, and wait for that page: never read the old one."""
    with tab.expect_navigation():
        tab.click(selector)
