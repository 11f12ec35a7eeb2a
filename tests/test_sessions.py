"""Sessions: idle timeout and absolute lifetime (on a controllable clock), the sessions page,
sessions ending on password changes, cookie flags, and the client address behind a proxy."""

from __future__ import annotations

import re

from sqlmodel import select

from ops.app import create_app
from ops.models import AuditEvent, UserSession
from tests.support.accounts import PASSWORD, login

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def _rows(db, user):
    db.expire_all()
    return db.exec(select(UserSession).where(UserSession.user_id == user.id)).all()


def test_a_session_ends_after_the_idle_timeout(client, db, make_user, frozen_clock):
    user = make_user()
    login(client, user)
    for _ in range(3):  # used every 29 minutes: stays alive past 30 minutes in total
        frozen_clock.advance(minutes=29)
        assert client.get("/").status_code == 200
    frozen_clock.advance(minutes=30, seconds=1)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after a while without activity" in page
    (row,) = _rows(db, user)
    assert row.ended_at is not None and row.end_reason == "idle"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "session_expired")).one()
    assert event.user_id == user.id and "idle" in event.detail


def test_a_session_ends_at_its_maximum_length_even_when_used(app, client, db, make_user, frozen_clock):
    user = make_user()
    login(client, user)
    for _ in range(int(app.config["SESSION_MAX_HOURS"] * 60 / 20)):
        assert client.get("/").status_code == 200
        frozen_clock.advance(minutes=20)
    assert client.get("/").status_code == 200  # exactly the maximum: still on
    frozen_clock.advance(minutes=1)
    response = client.get("/", follow_redirects=True)
    assert "Your session reached its maximum length" in response.get_data(as_text=True)
    assert _rows(db, user)[0].end_reason == "expired"


def test_the_idle_timeout_follows_the_setting(app, client, make_user, frozen_clock):
    app.config["SESSION_IDLE_MINUTES"] = 5
    login(client, make_user())
    frozen_clock.advance(minutes=4)
    assert client.get("/").status_code == 200
    frozen_clock.advance(minutes=5, seconds=1)
    assert client.get("/").status_code == 302


def _signed_in_clients(app, user, *agents_and_ips):
    clients = []
    for agent, ip in agents_and_ips:
        device = app.test_client()
        device.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": ip})
        assert login(device, user).status_code == 302
        clients.append(device)
    return clients


def _handles(html: str) -> list[str]:
    return re.findall(r'action="/account/sessions/([0-9a-f]{16})/end"', html)


def test_the_sessions_page_lists_devices_and_ends_one(app, db, make_user):
    user = make_user()
    laptop, phone = _signed_in_clients(app, user, (FIREFOX, "198.51.100.4"), (ANDROID_CHROME, "198.51.100.77"))
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Windows" in page and "Chrome · Android" in page
    assert "198.51.100.4" in page and "198.51.100.77" in page
    assert page.count("this device") == 1
    row_ids = {row.id for row in _rows(db, user)}
    assert not any(row_id in page for row_id in row_ids)  # the cookie's secret never appears
    current, other = _handles(page)  # the current session is listed first
    assert laptop.post(f"/account/sessions/{other}/end").status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert len(_handles(laptop.get("/account/sessions").get_data(as_text=True))) == 1
    ended = laptop.post(f"/account/sessions/{current}/end", follow_redirects=True)
    assert "You are signed out" in ended.get_data(as_text=True) and laptop.get("/").status_code == 302


def test_sign_out_everywhere_else(app, db, make_user):
    user = make_user()
    first, second, third = _signed_in_clients(
        app, user, (FIREFOX, "10.0.0.1"), (FIREFOX, "10.0.0.2"), (ANDROID_CHROME, "10.0.0.3")
    )
    response = second.post("/account/sessions/end-others", follow_redirects=True)
    assert "2 other sessions ended" in response.get_data(as_text=True)
    assert [c.get("/").status_code for c in (first, second, third)] == [302, 200, 302]
    reasons = sorted(row.end_reason or "" for row in _rows(db, user))
    assert reasons == ["", "ended by user", "ended by user"]


def test_nobody_ends_another_users_session(app, db, make_user):
    owner, stranger = make_user(), make_user()
    (owner_client,) = _signed_in_clients(app, owner, (FIREFOX, "10.0.0.1"))
    (stranger_client,) = _signed_in_clients(app, stranger, (FIREFOX, "10.0.0.2"))
    handle = _handles(owner_client.get("/account/sessions").get_data(as_text=True))[0]
    response = stranger_client.post(f"/account/sessions/{handle}/end", follow_redirects=True)
    assert "had ended already" in response.get_data(as_text=True)
    assert owner_client.get("/").status_code == 200


def test_an_admin_password_reset_ends_all_sessions(app, client, db, make_user, login_as):
    user = make_user()
    (device,) = _signed_in_clients(app, user, (FIREFOX, "10.0.0.1"))
    login_as(make_user(role="admin"))
    assert client.post(f"/admin/users/{user.id}/reset-password").status_code == 200
    assert device.get("/").status_code == 302
    assert [row.end_reason for row in _rows(db, user)] == ["password reset"]


def test_session_cookie_flags(app_config, make_user):
    plain = create_app(app_config)
    try:
        cookie = login(plain.test_client(), make_user()).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    finally:
        plain.extensions["ops_engine"].dispose()
    secure = create_app({**app_config, "SECURE_COOKIES": True})
    try:
        cookie = login(secure.test_client(), make_user()).headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        secure.extensions["ops_engine"].dispose()


def _sign_in_from(app, user, headers):
    device = app.test_client()
    device.environ_base["REMOTE_ADDR"] = "10.9.8.7"  # the proxy
    device.post("/login", data={"username": user.username, "password": "wrong-password-1"}, headers=headers)
    response = device.post("/login", data={"username": user.username, "password": PASSWORD}, headers=headers)
    return device, response


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_proxy(app_config, make_user, db):
    forwarded = {"X-Forwarded-For": "203.0.113.50", "X-Forwarded-Proto": "https"}
    for behind_proxy, expected_ip in ((False, "10.9.8.7"), (True, "203.0.113.50")):
        application = create_app({**app_config, "BEHIND_PROXY": behind_proxy})
        try:
            user = make_user()
            device, response = _sign_in_from(application, user, forwarded)
            assert response.status_code == 302
            events = db.exec(
                select(AuditEvent).where(AuditEvent.action == "login", AuditEvent.object_id == str(user.id))
            ).all()
            assert [(e.outcome, e.ip) for e in events] == [("failed", expected_ip), ("ok", expected_ip)]
            assert _rows(db, user)[0].ip == expected_ip
            hsts = device.get("/", headers=forwarded).headers.get("Strict-Transport-Security")
            assert (hsts is not None) is behind_proxy  # a spoofed https header means nothing without a proxy
        finally:
            application.extensions["ops_engine"].dispose()
