"""Choosing the interface language: browser preference, header switcher, saved profile."""

from __future__ import annotations

from ops.models import User


def test_anonymous_switch_is_kept_in_the_session(client):
    response = client.post("/language", data={"lang": "ru", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert b'<html lang="ru">' in client.get("/login").data


def test_browser_preference_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "uz,ru;q=0.8"})
    assert b'<html lang="uz">' in page.data


def test_signed_in_choice_is_saved_in_the_profile(client, db, make_user, login_as):
    user = make_user()
    login_as(user)
    client.post("/language", data={"lang": "uz", "next": "/"})
    db.expire_all()
    assert db.get(User, user.id).locale == "uz"
    assert b'<html lang="uz">' in client.get("/").data


def test_unknown_language_and_foreign_next_change_nothing(client, db, make_user, login_as):
    user = make_user()
    login_as(user)
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    db.expire_all()
    assert db.get(User, user.id).locale is None
