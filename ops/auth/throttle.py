"""Throttling of sign-in, two-factor and re-authentication attempts.

Two limits guard each of these endpoints, counted on POST only and for every
attempt, right or wrong:
- per client address, OPS_LOGIN_RATE_LIMIT — one machine trying many accounts —
  in Flask-Limiter (Redis when REDIS_URL is set, under a prefix of this installation's own);
- per account, OPS_LOGIN_ACCOUNT_RATE_LIMIT — many machines trying one account —
  in the database (ops/auth/attempts.py), so it holds with any number of server
  processes and without Redis; an unknown user name is counted by address only.
Independently, the database counts failures in a row per account and locks it
(services.count_failure). Each refusal is audited.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import current_app, make_response, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded, RequestLimit
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from ops import audit
from ops.auth import attempts, pending, services
from ops.db import engine
from ops.errors import render_error
from ops.extensions import limiter

AUDIT_ACTIONS = {"auth.login": "login", "auth.two_factor": "login_2fa", "auth.reauthenticate": "reauth"}


def _client_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _typed_username() -> str:
    return (request.form.get("username") or "").strip().lower()[:64]


class AccountThrottled(TooManyRequests):
    """Too many attempts on one account (counted in the database)."""

    def __init__(self, wait_seconds: int):
        super().__init__()
        self.wait_seconds = wait_seconds


def account_id() -> int | None:
    """Whose account the attempt is for: the typed name's, the half-signed-in user's, or the signed-in one's."""
    if request.endpoint == "auth.login":
        user = services.find_user(request.form.get("username") or "")
        return user.id if user is not None else None  # an unknown name: no row, no key
    state = pending.current()
    if state is not None:
        return state.user_id
    return current_user.id if current_user.is_authenticated else None


def _audit_breach(kind: str, limit: str, user_id: int | None = None) -> None:
    audit.record_now(
        engine(),
        AUDIT_ACTIONS.get(request.endpoint, "login"),
        outcome="throttled",
        object_type="user",
        object_id=user_id or _typed_username(),
        detail={"by": kind, "limit": limit},
    )


def _client_breach(request_limit: RequestLimit) -> None:
    _audit_breach("client", str(request_limit.limit), account_id())


def attempts_limited(view):
    """Both limits, on POST, for a sign-in-like endpoint: the client's first, then the account's."""

    @wraps(view)
    def by_account(*args, **kwargs):
        if request.method == "POST" and current_app.config.get("RATELIMIT_ENABLED", True):
            user_id = account_id()
            wait = attempts.attempt(user_id) if user_id is not None else None
            if wait is not None:
                _audit_breach("account", current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], user_id)
                raise AccountThrottled(wait)
        return view(*args, **kwargs)

    return limiter.limit(_client_limit, methods=["POST"], on_breach=_client_breach)(by_account)


def _seconds_to_wait(error) -> int:
    if isinstance(error, AccountThrottled):
        return error.wait_seconds
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))  # the limiter's storage keeps real time


def too_many_attempts(error: RateLimitExceeded | AccountThrottled):
    seconds = _seconds_to_wait(error)
    wait = format_timedelta(timedelta(seconds=seconds), threshold=1.1, add_direction=False)
    detail = _(
        "Too many sign-in attempts from this computer or for this account. For your protection, "
        "wait %(wait)s and try again. Nothing is wrong with your account; if this keeps "
        "happening, tell your agency administrator.",
        wait=wait,
    )
    body, status = render_error(429, detail)
    response = make_response(body, status)
    if isinstance(error, AccountThrottled):  # Flask-Limiter sets its own
        response.headers["Retry-After"] = str(seconds)
    return response
