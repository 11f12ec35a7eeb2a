"""Test users' password, sign-in (with the second factor where required) and API token clients."""

from __future__ import annotations

from sqlmodel import Session

from ops import passwords
from ops.apitokens.services import create_token
from ops.auth import totp
from ops.auth.two_factor import required_for
from ops.models import User

PASSWORD = "blue-Harbour-lantern-42"
PASSWORD_HASH = passwords.hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # known secret for test users who need two-factor sign-in
OTHER_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"  # a second secret, for tests that enrol a user themselves


def second_factor_code(app, user: User) -> str:
    """Enrol `user` with TOTP_SECRET if needed and return a code the server will accept now.

    The last accepted step is forgotten first, so that a test may sign the same
    user in several times within 30 seconds (replay is tested in test_two_factor).
    """
    with Session(app.extensions["ops_engine"]) as session:
        stored = session.get(User, user.id)
        if not stored.totp_enabled:
            stored.totp_secret, stored.totp_enabled = TOTP_SECRET, True
        stored.totp_last_counter = None
        session.add(stored)
        session.commit()
        return totp.code_at(stored.totp_secret)


def enrol_directly(db, user: User, secret: str = OTHER_SECRET) -> None:
    """Turn on two-factor sign-in with `secret`, as if the user had set it up."""
    user.totp_secret, user.totp_enabled, user.totp_last_counter = secret, True, None
    db.add(user)
    db.commit()


def login(client, user: User, password: str = PASSWORD):
    """Sign in; for users who need two-factor sign-in, also the second step with a valid code."""
    app = client.application
    with app.app_context():  # the rule may read the user's agency (a foreign partner's people always need it)
        needs_code = required_for(user, app.config)
    if needs_code:
        second_factor_code(app, user)  # enrolled before the password step, so it asks for a code
    response = client.post("/login", data={"username": user.username, "password": password})
    if response.status_code == 302 and response.headers["Location"].startswith("/two-factor"):
        response = client.post("/two-factor", data={"code": second_factor_code(app, user)})
    return response


def token_client(app, user: User, read_only: bool = False, name: str = "test"):
    """A test client that sends a fresh personal API token of `user` on every request."""
    with app.test_request_context():
        _token, clear = create_token(user, name, 30, read_only)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
    return client
