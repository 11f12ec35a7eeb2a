"""Lockout after repeated failures in a row, and unlocking by an admin of the same agency."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from ops.models import AuditEvent, User
from tests.support.accounts import PASSWORD, login


@pytest.fixture(autouse=True)
def low_threshold(app):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3


def _fail(client, user, times):
    for _ in range(times):
        assert (
            client.post("/login", data={"username": user.username, "password": "wrong-wrong-wrong"}).status_code == 401
        )


def _stored(db, user) -> User:
    db.expire_all()
    return db.get(User, user.id)


def test_failures_in_a_row_lock_the_account(client, db, make_user):
    user = make_user()
    _fail(client, user, 3)
    locked = _stored(db, user)
    assert locked.locked_at is not None and locked.failed_logins == 3
    refused = login(client, user)
    assert refused.status_code == 401 and b"locked until an administrator" in refused.data
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login").order_by(AuditEvent.seq)).all()
    details = [json.loads(e.detail) for e in events]
    assert [d.get("locked") for d in details[:3]] == [False, False, True]
    assert (events[-1].outcome, details[-1]["reason"]) == ("refused", "locked")


def test_a_successful_sign_in_resets_the_count(client, db, make_user):
    user = make_user()
    _fail(client, user, 2)
    assert login(client, user).status_code == 302
    client.post("/logout")
    _fail(client, user, 2)
    assert _stored(db, user).locked_at is None and login(client, user).status_code == 302


def test_locking_ends_the_accounts_open_sessions(app, client, db, make_user):
    user = make_user()
    device = app.test_client()
    login(device, user)
    _fail(client, user, 3)
    assert device.get("/").status_code == 302


def test_the_admin_sees_the_lock_and_unlocks(app, client, db, make_user, login_as):
    user = make_user()
    _fail(app.test_client(), user, 3)
    login_as(make_user(role="admin"))
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert "locked" in users_page and f"/admin/users/{user.id}/unlock" in users_page
    edit_page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "after 3 failed attempts in a row" in edit_page
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 302
    unlocked = _stored(db, user)
    assert unlocked.locked_at is None and unlocked.failed_logins == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user_unlock")).one()
    assert event.object_id == str(user.id) and event.object_agency_id == user.agency_id
    assert login(app.test_client(), user).status_code == 302


@pytest.mark.parametrize("who, expected", [("admin of another agency", 404), ("officer", 403), ("supervisor", 403)])
def test_only_an_admin_of_the_same_agency_unlocks(app, client, db, make_user, login_as, who, expected):
    user = make_user(agency="SCC")
    _fail(app.test_client(), user, 3)
    actor = make_user(agency="SSS", role="admin") if who.startswith("admin") else make_user(role=who)
    login_as(actor)
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == expected
    assert _stored(db, user).locked_at is not None


def test_unlocking_needs_the_forms_token(app, client, db, make_user, login_as):
    user = make_user()
    _fail(app.test_client(), user, 3)
    login_as(make_user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 400
    assert _stored(db, user).locked_at is not None


def test_an_unknown_name_locks_nothing_and_answers_like_a_wrong_password(client, db, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post("/login", data={"username": "no-such-user", "password": PASSWORD})
        assert response.status_code == 401
    assert _stored(db, user).failed_logins == 0
