"""A `next` with control characters (CR, LF, tab, NUL, DEL) is refused: the user goes home, no 500.

Werkzeug refuses a Location header with a newline; before the fix /login answered 500 after the
sign-in had succeeded (session cookie set), and /language answered 500.
"""

from __future__ import annotations

import pytest

from ops.auth.nav import safe_next
from tests.support.accounts import PASSWORD

HOSTILE = ["/account\r\nSet-Cookie: x=1", "/account\nX: y", "/acc\tount", "/acc\x00ount", "/acc\x7fount", "/a\x85b"]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_control_characters(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_login_with_a_hostile_next_goes_home(client, make_user, target):
    user = make_user()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200  # signed in, and sent somewhere harmless


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_language_with_a_hostile_next_goes_home(client, target):
    response = client.post("/language", data={"lang": "ru", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_an_ordinary_next_still_works(client):
    response = client.post("/language", data={"lang": "ru", "next": "/login?next=/search%3Fq%3Dx"})
    assert response.headers["Location"] == "/login?next=/search%3Fq%3Dx"
