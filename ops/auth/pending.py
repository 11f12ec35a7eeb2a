"""The half-signed-in state between the password step and the second factor.

It lives in the signed session cookie, never as a logged-in user: nothing but
`auth.two_factor` reads it, and it expires after a few minutes. It remembers
who proved the password (and the password's change time, so that a password
reset in between voids it), where to go afterwards and, while a user enrols at
sign-in, the secret that is not confirmed yet. The cookie is signed, not
encrypted: the secret in it is the one shown on the enrolment page to the same
person, and it is dropped the moment enrolment completes or the state expires.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask import session as cookie_session

from ops import clock
from ops.models import User

KEY = "pending_sign_in"
CODE_MINUTES = 5  # time to type a code after the password
ENROL_MINUTES = 15  # time to install an app, scan the QR code and confirm


@dataclass
class Pending:
    user_id: int
    expires: float  # POSIX seconds
    next: str
    enrol: bool  # must set up two-factor sign-in before going on
    password_changed: float  # User.password_changed_at when the password was proven
    secret: str | None = None


def begin(user: User, next_url: str, enrol: bool) -> Pending:
    """Start the second step. Whatever the cookie held before is dropped (no fixation)."""
    minutes = ENROL_MINUTES if enrol else CODE_MINUTES
    state = Pending(
        user_id=user.id,
        expires=clock.now().timestamp() + minutes * 60,
        next=next_url,
        enrol=enrol,
        password_changed=user.password_changed_at.timestamp(),
    )
    cookie_session.clear()
    cookie_session[KEY] = asdict(state)
    return state


def current() -> Pending | None:
    """The live half-signed-in state, or None (absent, malformed or expired: then it is dropped)."""
    raw = cookie_session.get(KEY)
    if not isinstance(raw, dict):
        return None
    try:
        state = Pending(**raw)
    except TypeError:
        finish()
        return None
    if clock.now().timestamp() > state.expires:
        finish()
        return None
    return state


def belongs_to(state: Pending, user: User | None) -> bool:
    """Still the same account, still allowed in, password unchanged since it was proven."""
    return (
        user is not None
        and user.id == state.user_id
        and user.is_active
        and user.locked_at is None
        and abs(user.password_changed_at.timestamp() - state.password_changed) < 1e-3
    )


def remember_secret(state: Pending, secret: str) -> None:
    state.secret = secret
    cookie_session[KEY] = asdict(state)


def finish() -> None:
    cookie_session.pop(KEY, None)
