"""Throttling of sign-in attempts per client (Flask-Limiter, in-memory here) and per account (the database).

One account has one budget for its password, two-factor and confirmation attempts together.
Across several server processes: tests/test_throttle_workers.py.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.app import create_app
from ops.models import AuditEvent, LoginAttempt
from tests.support.accounts import OTHER_SECRET, PASSWORD, enrol_directly


@pytest.fixture
def limited(app_config):
    """An app with throttling on: 5 attempts a minute per client, 3 per account."""
    application = create_app(
        {
            **app_config,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "5 per minute",
            "LOGIN_ACCOUNT_RATE_LIMIT": "3 per minute",
        }
    )
    yield application
    application.extensions["ops_engine"].dispose()


def _client(app, ip="192.0.2.10"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def _attempt(client, username, password="wrong-password-x"):
    return client.post("/login", data={"username": username, "password": password})


def test_attempts_on_one_account_are_limited_from_anywhere(limited, make_user):
    user = make_user()
    statuses = [_attempt(_client(limited, f"192.0.2.{n}"), user.username).status_code for n in range(1, 5)]
    assert statuses == [401, 401, 401, 429]
    refused = _attempt(_client(limited, "192.0.2.99"), user.username, PASSWORD)  # even the right password
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many sign-in attempts" in page and "wait" in page
    assert int(refused.headers["Retry-After"]) > 0
    other = make_user()
    assert _attempt(_client(limited, "192.0.2.99"), other.username, PASSWORD).status_code == 302


def test_attempts_from_one_client_are_limited_whatever_the_account(limited, make_user):
    client = _client(limited)
    statuses = [_attempt(client, f"guess-{n}").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    user = make_user()
    assert _attempt(client, user.username, PASSWORD).status_code == 429
    assert _attempt(_client(limited, "198.51.100.1"), user.username, PASSWORD).status_code == 302


def test_showing_the_form_is_not_an_attempt(limited):
    client = _client(limited)
    assert [client.get("/login").status_code for _ in range(10)] == [200] * 10
    assert _attempt(client, "someone").status_code == 401


def test_throttled_attempts_are_audited(limited, db):
    client = _client(limited)
    for n in range(7):
        _attempt(client, f"guess-{n}")
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login").order_by(AuditEvent.seq)).all()
    assert [e.outcome for e in events] == ["failed"] * 5 + ["throttled"] * 2
    assert events[-1].ip == "192.0.2.10" and events[-1].object_id == "guess-6"
    assert '"by": "client"' in events[-1].detail


def test_json_clients_get_a_problem_document(limited):
    client = _client(limited)
    for n in range(5):
        _attempt(client, f"guess-{n}")
    response = client.post("/login", data={"username": "x", "password": "y"}, headers={"Accept": "application/json"})
    assert response.status_code == 429 and response.content_type == "application/problem+json"
    assert response.json["status"] == 429 and "wait" in response.json["detail"]


def test_two_factor_codes_are_limited_per_account(limited, db, make_user):

    user = make_user(role="lead")
    enrol_directly(db, user, OTHER_SECRET)
    client = _client(limited)
    assert _attempt(client, user.username, PASSWORD).headers["Location"] == "/two-factor"
    statuses = [client.post("/two-factor", data={"code": "000000"}).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]  # the password step was the account's first attempt
    outcomes = db.exec(select(AuditEvent.outcome).where(AuditEvent.action == "login_2fa")).all()
    assert outcomes == ["failed", "failed", "throttled"]


def test_confirmations_are_limited_too(limited, make_user):
    user = make_user()
    client = _client(limited)
    assert _attempt(client, user.username, PASSWORD).status_code == 302
    statuses = [
        client.post("/account/confirm", data={"next": "/", "reauth-password": "nope-nope-nope"}).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 429]  # the sign-in was the account's first attempt


def test_an_unknown_user_name_leaves_no_row(limited, db):
    client = _client(limited)
    for n in range(3):
        _attempt(client, f"nobody-{n}")
    assert db.exec(select(LoginAttempt)).all() == []


def test_the_account_budget_is_counted_in_the_database(limited, db, make_user):
    user = make_user()
    for n in range(3):
        _attempt(_client(limited, f"192.0.2.{n}"), user.username)
    rows = db.exec(select(LoginAttempt).where(LoginAttempt.user_id == user.id)).all()
    assert len(rows) == 3
    # a second application (another server process) sharing the database sees the same budget
    other = create_app({**limited.config, "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        assert _attempt(_client(other, "198.51.100.7"), user.username, PASSWORD).status_code == 429
    finally:
        other.extensions["ops_engine"].dispose()


def test_the_rate_limit_prefix_is_the_installations_own(app_config):
    first = create_app({**app_config, "SECRET_KEY": "one-installation"})
    second = create_app({**app_config, "SECRET_KEY": "another-installation"})
    try:
        prefixes = {first.config["RATELIMIT_KEY_PREFIX"], second.config["RATELIMIT_KEY_PREFIX"]}
        assert len(prefixes) == 2 and all(p.startswith("ops-") and "installation" not in p for p in prefixes)
    finally:
        for application in (first, second):
            application.extensions["ops_engine"].dispose()
