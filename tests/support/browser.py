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


def new_tab(browser, viewport):
    """(context, tab) of the given size, in Tashkent time, collecting script errors in tab.js_errors."""
    context = browser.new_context(viewport=viewport, locale="en-GB", timezone_id="Asia/Tashkent")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_script_error(msg) else None)
    page.js_errors = errors  # a test asserts there were none (CSP violations are console errors)
    return context, page


def _is_script_error(message) -> bool:
    # a 400 answer to a refused form is expected; a refused inline script or style is not
    return message.type == "error" and not message.text.startswith("Failed to load resource")
