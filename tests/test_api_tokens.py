"""Personal API tokens: shown once, stored hashed, expiring, revocable, read-only, dead with their user."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from ops.models import ApiToken, utcnow


def _new_token(client, name="script", days=30, read_only=True) -> str:
    data = {"name": name, "days": str(days)}
    if read_only:
        data["read_only"] = "y"
    page = client.post("/account/tokens/", data=data).get_data(as_text=True)
    return page.split('id="new-token">')[1].split("<")[0]


def test_token_is_shown_once_and_stored_as_a_hash(app, client, db, make_user, login_as):
    login_as(make_user(role="analyst"))
    clear = _new_token(client)
    stored = db.exec(select(ApiToken)).one()
    assert clear.startswith(f"ops_{stored.prefix}_") and clear not in stored.token_hash
    assert clear not in client.get("/account/tokens/").get_data(as_text=True)
    api = app.test_client()
    assert api.get("/api/v1/operations", headers={"Authorization": f"Bearer {clear}"}).status_code == 200


def test_bad_token_form_input_is_refused(client, db, make_user, login_as):
    login_as(make_user(role="analyst"))
    for data, message in [
        ({"name": "", "days": "30"}, b"This field is required"),
        ({"name": "x", "days": "0"}, b"between 1 and 365"),
        ({"name": "x", "days": "abc"}, b"Not a valid integer value"),
        ({"name": "x" * 81, "days": "3"}, b"longer than 80"),
    ]:
        response = client.post("/account/tokens/", data=data)
        assert response.status_code == 400 and message in response.data, data
    assert db.exec(select(ApiToken)).all() == []


def test_expired_revoked_and_unknown_tokens_fail(app, client, db, make_user, login_as):
    login_as(make_user(role="analyst"))
    clear = _new_token(client)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {clear}"}
    token = db.exec(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.commit()
    response = api.get("/api/v1/operations", headers=headers)
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    token.expires_at = utcnow() + timedelta(days=1)
    db.add(token)
    db.commit()
    assert api.get("/api/v1/operations", headers=headers).status_code == 200
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert api.get("/api/v1/operations", headers=headers).status_code == 401
    assert api.get("/api/v1/operations", headers={"Authorization": "Bearer ops_nope_nope"}).status_code == 401


def test_a_disabled_users_tokens_stop_at_once(app, client, db, make_user, login_as):
    user = make_user(role="analyst")
    login_as(user)
    clear = _new_token(client)
    user.is_active = False
    db.add(user)
    db.commit()
    assert app.test_client().get("/api/v1/operations", headers={"Authorization": f"Bearer {clear}"}).status_code == 401


def test_a_token_never_opens_html_pages(app, client, make_user, login_as):
    login_as(make_user(role="analyst"))
    clear = _new_token(client)
    page = app.test_client().get("/", headers={"Authorization": f"Bearer {clear}"})
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_cannot_revoke_someone_elses_token(app, client, db, make_user, login_as):
    owner_client = app.test_client()
    from tests.support.accounts import login

    owner = make_user(role="analyst")
    login(owner_client, owner)
    _new_token(owner_client)
    token = db.exec(select(ApiToken)).one()
    login_as(make_user(role="analyst"))
    client.post(f"/account/tokens/{token.id}/revoke")
    db.expire_all()
    assert db.get(ApiToken, token.id).revoked_at is None


def test_creating_a_token_asks_again_for_the_password_after_a_while(client, db, make_user, login_as, frozen_clock):
    login_as(make_user(role="analyst"))
    frozen_clock.advance(minutes=client.application.config["REAUTH_MINUTES"] + 1)
    response = client.post("/account/tokens/", data={"name": "late", "days": "3", "read_only": "y"})
    assert b'name="reauth-password"' in response.data
    assert db.exec(select(ApiToken)).all() == []
