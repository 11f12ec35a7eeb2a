"""HTTP clients of the benchmark: a signed-in `ops` user (cookie session, CSRF token from the page) and Datasette.

A fetch reads the whole answer, body included: a streamed export is timed to its last byte, not its first.
"""

from __future__ import annotations

import re

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def signed_in(base: str, username: str, password: str) -> requests.Session:
    """A session signed in through the sign-in form, as a browser does it."""
    http = requests.Session()
    page = http.get(base + "/login", timeout=60)
    answer = http.post(
        base + "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{username} cannot sign in: {answer.status_code}")
    return http


def fetch(http: requests.Session, url: str) -> int:
    """GET the whole answer; its size in bytes. Anything but 200 is an error of the benchmark."""
    with http.get(url, stream=True, timeout=600) as answer:
        size = sum(len(chunk) for chunk in answer.iter_content(64 * 1024))
        if answer.status_code != 200:
            raise RuntimeError(f"{url}: {answer.status_code}")
    return size
