"""Re-authentication before sensitive actions (require_recent_auth), on the admin's user page."""

from __future__ import annotations

import re

from sqlmodel import select

from ops.auth import totp
from ops.models import AuditEvent, User
from tests.support.accounts import PASSWORD, TOTP_SECRET


def _actions(db, *names):
    rows = db.exec(select(AuditEvent).where(AuditEvent.action.in_(names)).order_by(AuditEvent.seq)).all()
    return [(e.action, e.outcome) for e in rows]


def _hidden_fields(html: str) -> dict[str, list[str]]:
    """The hidden inputs of the page's content (not the sign-out form in the header)."""
    fields: dict[str, list[str]] = {}
    content = html.split('<main id="content">', 1)[1]
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', content):
        fields.setdefault(name, []).append(value)
    return fields


def test_a_fresh_sign_in_counts_as_recent(client, db, make_user, login_as, frozen_clock):
    victim = make_user(role="officer")
    login_as(make_user(role="admin"))
    frozen_clock.advance(minutes=9)
    assert client.get(f"/admin/users/{victim.id}").status_code == 200


def test_stale_get_goes_to_the_confirmation_page_and_back(client, db, make_user, login_as, frozen_clock):
    victim = make_user(role="officer")
    admin = make_user(role="admin")
    login_as(admin)
    frozen_clock.advance(minutes=11)
    response = client.get(f"/admin/users/{victim.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/confirm?next=/admin/users/{victim.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="reauth-password"' in page and 'name="reauth-code"' in page  # admins are enrolled
    wrong = client.post(
        "/account/confirm",
        data={
            "next": f"/admin/users/{victim.id}",
            "reauth-password": "not-my-password",
            "reauth-code": totp.code_at(TOTP_SECRET),
        },
    )
    assert wrong.status_code == 401 and "This is not your password" in wrong.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, admin.id).failed_logins == 1
    ok = client.post(
        "/account/confirm",
        data={
            "next": f"/admin/users/{victim.id}",
            "reauth-password": PASSWORD,
            "reauth-code": totp.code_at(TOTP_SECRET),
        },
    )
    assert ok.status_code == 302 and ok.headers["Location"] == f"/admin/users/{victim.id}"
    assert client.get(f"/admin/users/{victim.id}").status_code == 200
    frozen_clock.advance(minutes=9)
    assert client.get(f"/admin/users/{victim.id}").status_code == 200  # the window starts again
    assert _actions(db, "reauth") == [("reauth", "failed"), ("reauth", "ok")]


def test_stale_post_asks_in_place_and_keeps_what_was_typed(client, db, make_user, login_as, frozen_clock):
    victim = make_user(role="officer")
    login_as(make_user(role="admin"))
    frozen_clock.advance(minutes=15)
    change = {"full_name": "Renamed Officer", "role": "lead", "is_active": "y"}
    asked = client.post(f"/admin/users/{victim.id}", data=change)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Confirm it is you" in html
    assert db.get(User, victim.id).role == "officer"  # nothing changed yet
    carried = _hidden_fields(html)
    assert carried["full_name"] == ["Renamed Officer"] and carried["role"] == ["lead"]
    assert f'action="/admin/users/{victim.id}"' in html

    resend = {key: values[0] for key, values in carried.items()}
    wrong = client.post(
        f"/admin/users/{victim.id}", data={**resend, "reauth-password": PASSWORD, "reauth-code": "000000"}
    )
    assert wrong.status_code == 401 and "This code is not right" in wrong.get_data(as_text=True)
    assert _hidden_fields(wrong.get_data(as_text=True))["full_name"] == ["Renamed Officer"]
    db.expire_all()
    assert db.get(User, victim.id).role == "officer"

    done = client.post(
        f"/admin/users/{victim.id}",
        data={**resend, "reauth-password": PASSWORD, "reauth-code": totp.code_at(TOTP_SECRET)},
    )
    assert done.status_code == 302
    db.expire_all()
    changed = db.get(User, victim.id)
    assert (changed.role, changed.full_name) == ("lead", "Renamed Officer")
    assert _actions(db, "reauth", "reauth_code", "user_update")[-3:] == [
        ("reauth_code", "ok"),
        ("reauth", "ok"),
        ("user_update", "ok"),
    ]


def test_the_code_used_to_sign_in_cannot_confirm_again(app, client, make_user, login_as, frozen_clock):
    login_as(make_user(role="admin"))
    sign_in_code = totp.code_at(TOTP_SECRET)
    app.config["REAUTH_MINUTES"] = 0  # any confirmation is stale at once
    frozen_clock.advance(seconds=1)  # still the same 30-second step
    response = client.post(
        "/account/confirm", data={"next": "/", "reauth-password": PASSWORD, "reauth-code": sign_in_code}
    )
    assert response.status_code == 401 and "used already" in response.get_data(as_text=True)


def test_users_without_two_factor_confirm_with_the_password(client, db, make_user, login_as, frozen_clock):
    login_as(make_user(role="officer"))
    frozen_clock.advance(minutes=11)
    response = client.get("/account/two-factor")
    assert response.headers["Location"] == "/account/confirm?next=/account/two-factor"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="reauth-password"' in page and 'name="reauth-code"' not in page
    ok = client.post("/account/confirm", data={"next": "/account/two-factor", "reauth-password": PASSWORD})
    assert ok.headers["Location"] == "/account/two-factor"


def test_confirmation_never_sends_the_user_off_site(client, make_user, login_as):
    login_as(make_user(role="officer"))
    for evil in ("https://evil.example/", "//evil.example/"):
        response = client.post("/account/confirm", data={"next": evil, "reauth-password": PASSWORD})
        assert response.headers["Location"] == "/"


def test_wrong_confirmations_count_towards_the_lockout(app, client, db, make_user, login_as):
    app.config["LOGIN_LOCKOUT_THRESHOLD"] = 2
    user = make_user(role="officer")
    login_as(user)
    for _ in range(2):
        client.post("/account/confirm", data={"next": "/", "reauth-password": "wrong-wrong-wrong"})
    db.expire_all()
    assert db.get(User, user.id).locked_at is not None
    assert client.get("/").status_code == 302  # a locked account's session stops working


def test_the_in_place_confirmation_works_with_csrf_protection_on(app, client, db, make_user, login_as, frozen_clock):
    victim = make_user(role="officer")
    login_as(make_user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/admin/users/{victim.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    frozen_clock.advance(minutes=15)
    asked = client.post(
        f"/admin/users/{victim.id}",
        data={"csrf_token": token, "full_name": "Still Here", "role": "analyst", "is_active": "y"},
    )
    assert asked.status_code == 200 and "Confirm it is you" in asked.get_data(as_text=True)
    carried = {key: values[0] for key, values in _hidden_fields(asked.get_data(as_text=True)).items()}
    assert carried["csrf_token"] == token
    done = client.post(
        f"/admin/users/{victim.id}",
        data={**carried, "reauth-password": PASSWORD, "reauth-code": totp.code_at(TOTP_SECRET)},
    )
    assert done.status_code == 302
    db.expire_all()
    assert db.get(User, victim.id).role == "analyst"
    forged = {key: value for key, value in carried.items() if "csrf" not in key}
    frozen_clock.advance(minutes=15)
    refused = client.post(f"/admin/users/{victim.id}", data={**forged, "role": "auditor", "reauth-password": PASSWORD})
    assert refused.status_code == 400  # no token, no change
    db.expire_all()
    assert db.get(User, victim.id).role == "analyst"


def test_the_confirmation_page_carries_its_own_token(app, client, make_user, login_as, frozen_clock):
    login_as(make_user(role="officer"))
    app.config["WTF_CSRF_ENABLED"] = True
    frozen_clock.advance(minutes=11)
    page = client.get("/account/confirm?next=/account/two-factor").get_data(as_text=True)
    token = _hidden_fields(page)["csrf_token"][0]
    without = client.post("/account/confirm", data={"next": "/account/two-factor", "reauth-password": PASSWORD})
    assert without.status_code == 400
    done = client.post(
        "/account/confirm", data={"next": "/account/two-factor", "reauth-password": PASSWORD, "csrf_token": token}
    )
    assert done.headers["Location"] == "/account/two-factor"


def test_the_decorator_on_any_view_and_uploads_that_cannot_be_carried(app, client, make_user, login_as, frozen_clock):
    import io

    from ops.auth.reauth import require_recent_auth

    @app.post("/test-only/upload")
    @require_recent_auth
    def upload_for_test():
        return {"names": sorted(request_names())}

    def request_names():
        from flask import request

        return list(request.form) + [f.filename for f in request.files.values()]

    login_as(make_user(role="officer"))
    assert client.post("/test-only/upload", data={"note": "x"}).json == {"names": ["note"]}
    frozen_clock.advance(minutes=11)
    upload = client.post(
        "/test-only/upload",
        data={"note": "x", "file": (io.BytesIO(b"data"), "photo.jpg")},
        headers={"Referer": "http://localhost/account?tab=1"},
    )
    assert upload.status_code == 302
    assert upload.headers["Location"] == "/account/confirm?next=/account?tab%3D1"
    in_place = client.post("/test-only/upload", data={"note": "x"})
    assert in_place.status_code == 200 and 'value="x"' in in_place.get_data(as_text=True)
    done = client.post("/test-only/upload", data={"note": "x", "reauth-password": PASSWORD})
    assert done.json == {"names": ["note", "reauth-password"]}
