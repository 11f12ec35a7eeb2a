"""Sign-in, sign-out, sessions that end for real, safe redirects, CSRF."""

from __future__ import annotations

from sqlmodel import select

from ops.models import AuditEvent, UserSession
from tests.support.accounts import PASSWORD, login


def test_sign_in_and_out(client, make_user):
    user = make_user(role="lead")
    response = login(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and user.full_name.encode() in home.data
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    user = make_user()
    wrong_password = client.post("/login", data={"username": user.username, "password": "nope-nope-nope"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = b"The user name or password is wrong"
    assert message in wrong_password.data and message in unknown_user.data
    assert user.username.encode() in wrong_password.data  # what was typed is kept


def test_empty_and_oversized_input_is_refused_with_a_message(client, make_user):
    empty = client.post("/login", data={"username": "", "password": ""})
    assert empty.status_code == 401 and b"This field is required" in empty.data
    huge = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert huge.status_code == 401 and b"Field cannot be longer than 64 characters" in huge.data


def test_copied_cookie_stops_working_after_logout(app, client, make_user):
    user = make_user()
    login(client, user)
    stolen = app.test_client()
    stolen.set_cookie("session", client.get_cookie("session").value)
    assert stolen.get("/").status_code == 200
    client.post("/logout")
    assert stolen.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions(client, app, db, make_user, login_as):
    victim = make_user(role="officer")
    victim_client = app.test_client()
    login(victim_client, victim)
    assert victim_client.get("/").status_code == 200
    admin = make_user(role="admin")
    login_as(admin)
    response = client.post(
        f"/admin/users/{victim.id}", data={"full_name": victim.full_name, "role": "officer", "is_active": ""}
    )
    assert response.status_code == 302
    assert victim_client.get("/").status_code == 302
    assert login(victim_client, victim).status_code == 401
    db.expire_all()
    sessions = db.exec(select(UserSession).where(UserSession.user_id == victim.id)).all()
    assert sessions and all(s.ended_at is not None and s.end_reason == "disabled" for s in sessions)


def test_each_login_gets_a_fresh_session(client, db, make_user):
    user = make_user()
    login(client, user)
    first = client.get_cookie("session").value
    client.post("/logout")
    login(client, user)
    assert client.get_cookie("session").value != first
    assert len(db.exec(select(UserSession).where(UserSession.user_id == user.id)).all()) == 2


def test_next_redirect_is_kept_on_site(client, make_user):
    user = make_user()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/login", data={"username": user.username, "password": PASSWORD, "next": evil})
        assert response.headers["Location"] == "/", evil
        client.post("/logout")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "next": "/account"})
    assert response.headers["Location"] == "/account"


def test_anonymous_visit_redirects_to_login_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=/account" in response.headers["Location"]


def test_csrf_is_enforced_when_enabled(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    refused = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert refused.status_code == 400 and b"form had expired" in refused.data
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302
    assert client.post("/logout").status_code == 400  # a button-only POST needs its token too


def test_sign_ins_and_failures_are_audited(client, db, make_user):
    user = make_user()
    client.post("/login", data={"username": user.username, "password": "wrong-wrong-wrong"})
    login(client, user)
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login").order_by(AuditEvent.seq)).all()
    assert [(e.outcome, e.user_id) for e in events] == [("failed", user.id), ("ok", user.id)]


def test_password_change_checks_rules_and_ends_other_sessions(app, client, make_user, login_as):
    user = make_user()
    other = app.test_client()
    login(other, user)
    login_as(user)
    weak = client.post(
        "/account",
        data={"which": "password", "pw-current_password": PASSWORD, "pw-new_password": "short", "pw-confirm": "short"},
    )
    assert weak.status_code == 400 and b"at least 12 characters" in weak.data
    common = client.post(
        "/account",
        data={
            "which": "password",
            "pw-current_password": PASSWORD,
            "pw-new_password": "password1234",
            "pw-confirm": "password1234",
        },
    )
    assert b"commonly used passwords" in common.data
    new = "violet-Canyon-river-77"
    ok = client.post(
        "/account",
        data={"which": "password", "pw-current_password": PASSWORD, "pw-new_password": new, "pw-confirm": new},
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one is over
    assert login(other, user, new).status_code == 302


def test_lockout_after_repeated_failures_and_unlock_by_admin(app, client, make_user, login_as):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    user = make_user()
    for _ in range(3):
        client.post("/login", data={"username": user.username, "password": "wrong-wrong-wrong"})
    assert login(client, user).status_code == 401  # locked, even with the right password
    admin_client = app.test_client()
    admin = make_user(role="admin")
    login(admin_client, admin)
    assert admin_client.post(f"/admin/users/{user.id}/unlock").status_code == 302
    assert login(client, user).status_code == 302
