"""Two-factor sign-in: enrolment, the second step, replay, the time window, recovery codes, resets."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from ops.auth import totp
from ops.models import AuditEvent, RecoveryCode, User, UserSession
from tests.support.accounts import OTHER_SECRET, PASSWORD, enrol_directly, login

SECRET = OTHER_SECRET


def password_step(client, user, password=PASSWORD):
    return client.post("/login", data={"username": user.username, "password": password})


def fresh(db, user) -> User:
    db.expire_all()
    return db.get(User, user.id)


def shown_secret(html: str) -> str:
    return re.search(r'id="totp-secret">([^<]+)<', html).group(1).replace(" ", "")


def shown_recovery_codes(html: str) -> list[str]:
    block = html.split('id="recovery-codes"')[1].split("</ol>")[0]
    return re.findall(r"<code>([a-z0-9-]+)</code>", block)


def audit_trail(db, *actions):
    query = select(AuditEvent).order_by(AuditEvent.seq)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    return [(e.action, e.outcome) for e in db.exec(query).all()]


@pytest.mark.parametrize("role", ["admin", "supervisor", "auditor"])
def test_required_roles_enrol_at_first_sign_in_before_any_page(app, client, db, make_user, role):
    user = make_user(role=role)
    response = password_step(client, user)
    assert response.status_code == 302 and response.headers["Location"] == "/two-factor"
    assert client.get("/").status_code == 302  # half signed in is not signed in
    page = client.get("/two-factor")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Set up two-factor sign-in" in html
    secret = shown_secret(html)
    uri = totp.provisioning_uri(secret, user.username, app.config["TOTP_ISSUER"])
    assert f'src="{totp.qr_data_uri(uri)}"' in html  # the QR encodes exactly this account and secret
    assert fresh(db, user).totp_secret is None  # nothing stored before it is confirmed

    wrong = client.post("/two-factor", data={"code": "123456"})
    assert wrong.status_code == 400 and "This code does not match" in wrong.get_data(as_text=True)
    assert shown_secret(wrong.get_data(as_text=True)) == secret  # same secret across attempts
    assert not fresh(db, user).totp_enabled

    done = client.post("/two-factor", data={"code": totp.code_at(secret)})
    codes = shown_recovery_codes(done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    stored = fresh(db, user)
    assert stored.totp_enabled and stored.totp_secret == secret
    hashes = db.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert sorted(hashes) == sorted(totp.recovery_hash(c) for c in codes)
    assert not set(codes) & set(hashes)
    assert client.get("/").status_code == 200
    row = db.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.second_factor_at is not None
    assert audit_trail(db) == [
        ("login", "pending_2fa"),
        ("two_factor_enrol", "failed"),
        ("two_factor_enrol", "ok"),
        ("login", "ok"),
    ]


def test_recovery_codes_are_shown_once_and_the_secret_leaves_the_cookie(app, client, make_user):
    user = make_user(role="supervisor")
    password_step(client, user)
    secret = shown_secret(client.get("/two-factor").get_data(as_text=True))
    codes = shown_recovery_codes(client.post("/two-factor", data={"code": totp.code_at(secret)}).get_data(as_text=True))
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = serializer.loads(client.get_cookie("session").value)
    assert secret not in repr(cookie) and "pending_sign_in" not in cookie
    assert client.get("/two-factor").status_code == 302  # no way back to the codes
    account = client.get("/account").get_data(as_text=True)
    assert "10 unused recovery codes" in account and not any(code in account for code in codes)


def test_other_roles_sign_in_with_the_password_alone_unless_required_for_all(app, client, make_user):
    officer = make_user(role="officer")
    assert password_step(client, officer).headers["Location"] == "/"
    client.post("/logout")
    app.config["REQUIRE_2FA_FOR_ALL"] = True
    assert password_step(client, officer).headers["Location"] == "/two-factor"
    assert "Set up two-factor sign-in" in client.get("/two-factor").get_data(as_text=True)


def test_enrolled_user_needs_a_code_and_a_code_works_only_once(client, db, make_user, frozen_clock):
    user = make_user(role="lead")
    enrol_directly(db, user)
    assert password_step(client, user).headers["Location"] == "/two-factor"
    page = client.get("/two-factor").get_data(as_text=True)
    assert "Second step" in page and "totp-secret" not in page  # no secret shown to a signed-up user
    code = totp.code_at(SECRET)
    assert client.post("/two-factor", data={"code": code}).headers["Location"] == "/"
    client.post("/logout")

    password_step(client, user)
    replay = client.post("/two-factor", data={"code": code})
    assert replay.status_code == 401 and "This code was used already" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302
    frozen_clock.advance(seconds=30)
    assert client.post("/two-factor", data={"code": totp.code_at(SECRET)}).headers["Location"] == "/"
    outcomes = audit_trail(db, "login_2fa")
    assert outcomes == [("login_2fa", "ok"), ("login_2fa", "failed"), ("login_2fa", "ok")]
    assert "replayed" in db.exec(select(AuditEvent.detail).where(AuditEvent.outcome == "failed")).one()


@pytest.mark.parametrize("steps, accepted", [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_codes_of_the_neighbouring_time_steps_are_accepted(client, db, make_user, frozen_clock, steps, accepted):
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    response = client.post("/two-factor", data={"code": totp.code_at(SECRET, steps)})
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "This code is not right" in response.get_data(as_text=True)


def test_an_older_code_is_refused_after_a_newer_one(client, db, make_user, frozen_clock):
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    assert client.post("/two-factor", data={"code": totp.code_at(SECRET, 1)}).status_code == 302
    client.post("/logout")
    password_step(client, user)
    assert client.post("/two-factor", data={"code": totp.code_at(SECRET, 0)}).status_code == 401


def _enrol_through_pages(client, user) -> tuple[str, list[str]]:
    password_step(client, user)
    secret = shown_secret(client.get("/two-factor").get_data(as_text=True))
    html = client.post("/two-factor", data={"code": totp.code_at(secret)}).get_data(as_text=True)
    client.post("/logout")
    return secret, shown_recovery_codes(html)


def test_each_recovery_code_works_once(client, db, make_user):
    user = make_user(role="supervisor")
    _, codes = _enrol_through_pages(client, user)
    password_step(client, user)
    first = client.post("/two-factor", data={"code": codes[0]}, follow_redirects=True)
    assert first.status_code == 200 and "9 codes are left" in first.get_data(as_text=True)
    client.post("/logout")
    password_step(client, user)
    again = client.post("/two-factor", data={"code": codes[0]})
    assert again.status_code == 401 and client.get("/").status_code == 302
    typed_loosely = " " + codes[1].upper().replace("-", " ") + " "
    assert client.post("/two-factor", data={"code": typed_loosely}).status_code == 302
    used = db.exec(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 2


def test_new_recovery_codes_replace_the_old_ones(client, db, make_user):
    user = make_user(role="supervisor")
    secret, old_codes = _enrol_through_pages(client, user)
    password_step(client, user)
    client.post("/two-factor", data={"code": old_codes[0]})
    new_codes = shown_recovery_codes(client.post("/account/recovery-codes").get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/logout")
    password_step(client, user)
    assert client.post("/two-factor", data={"code": old_codes[1]}).status_code == 401
    assert client.post("/two-factor", data={"code": new_codes[0]}).status_code == 302


def test_the_second_step_waits_only_a_few_minutes(client, db, make_user, frozen_clock):
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    frozen_clock.advance(minutes=5, seconds=30)
    late = client.post("/two-factor", data={"code": totp.code_at(SECRET)}, follow_redirects=True)
    assert "Sign in with your user name and password first" in late.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_password_reset_in_between_voids_the_half_sign_in(client, db, make_user, frozen_clock):
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    frozen_clock.advance(seconds=5)
    user.password_changed_at = frozen_clock.now()
    db.add(user)
    db.commit()
    response = client.post("/two-factor", data={"code": totp.code_at(SECRET)}, follow_redirects=True)
    assert "can no longer continue" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(app, client, db, make_user):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 3
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    for _ in range(2):
        assert client.post("/two-factor", data={"code": "000000"}).status_code == 401
    locked = client.post("/two-factor", data={"code": "000000"}, follow_redirects=True)
    assert "the account is locked" in locked.get_data(as_text=True)
    assert fresh(db, user).locked_at is not None
    assert password_step(client, user).status_code == 401  # even with the right password


def test_a_half_signed_in_user_reaches_no_page(app, client, db, make_user):
    user = make_user(role="lead")
    enrol_directly(db, user)
    password_step(client, user)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.login", "auth.two_factor", "main.health"):
            continue
        path = rule.build({name: 1 for name in rule.arguments}, append_unknown=False)[1]
        response = client.get(path)
        assert response.status_code in (302, 401) and "/login" in response.headers.get("Location", "/login"), path


def test_a_user_promoted_while_signed_in_must_enrol_before_any_page(client, db, make_user):
    user = make_user(role="officer")
    login(client, user)
    user.role = "supervisor"
    db.add(user)
    db.commit()
    for page in ("/", "/account", "/account/sessions", "/policy"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", page
    html = client.get("/account/two-factor").get_data(as_text=True)
    client.post("/account/two-factor", data={"code": totp.code_at(shown_secret(html))})
    assert client.get("/policy").status_code == 200


def test_optional_two_factor_from_the_account_page_and_turning_it_off(client, db, make_user):
    user = make_user(role="officer")
    login(client, user)
    assert "Set up two-factor sign-in" in client.get("/account").get_data(as_text=True)
    secret = shown_secret(client.get("/account/two-factor").get_data(as_text=True))
    wrong = client.post("/account/two-factor", data={"code": "999999"})
    assert wrong.status_code == 400 and not fresh(db, user).totp_enabled
    done = client.post("/account/two-factor", data={"code": totp.code_at(secret)})
    assert len(shown_recovery_codes(done.get_data(as_text=True))) == 10
    assert "Turn off" in client.get("/account").get_data(as_text=True)
    assert client.post("/account/two-factor/off").status_code == 302
    stored = fresh(db, user)
    assert not stored.totp_enabled and stored.totp_secret is None
    assert db.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    assert audit_trail(db, "two_factor_enrol", "two_factor_disable") == [
        ("two_factor_enrol", "failed"),
        ("two_factor_enrol", "ok"),
        ("two_factor_disable", "ok"),
    ]


def test_required_two_factor_cannot_be_turned_off(client, db, make_user):
    user = make_user(role="auditor")
    login(client, user)
    assert "Turn off" not in client.get("/account").get_data(as_text=True)
    response = client.post("/account/two-factor/off", follow_redirects=True)
    assert "cannot be turned off" in response.get_data(as_text=True)
    assert fresh(db, user).totp_enabled


def test_admin_resets_a_lost_second_factor(app, client, db, make_user, login_as):
    user = make_user(role="supervisor")
    user_client = app.test_client()
    login(user_client, user)
    assert user_client.get("/").status_code == 200
    outsider = make_user(agency="SSS", role="admin")
    outsider_client = app.test_client()
    login(outsider_client, outsider)
    assert outsider_client.post(f"/admin/users/{user.id}/reset-two-factor").status_code == 404
    assert fresh(db, user).totp_enabled

    login_as(make_user(role="admin"))
    assert client.post(f"/admin/users/{user.id}/reset-two-factor").status_code == 302
    assert not fresh(db, user).totp_enabled
    assert user_client.get("/").status_code == 302  # sessions ended
    password_step(user_client, user)
    assert "Set up two-factor sign-in" in user_client.get("/two-factor").get_data(as_text=True)
    assert ("two_factor_reset", "ok") in audit_trail(db, "two_factor_reset")
