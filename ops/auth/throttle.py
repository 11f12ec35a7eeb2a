"""Throttling of sign-in, two-factor and re-authentication attempts (Flask-Limiter).

Two limits guard each of these endpoints, counted on POST only and for every
attempt, right or wrong (a counter incremented atomically in the storage, so
the count is exact even under parallel requests):
- per client address, OPS_LOGIN_RATE_LIMIT — one machine trying many accounts;
- per account, OPS_LOGIN_ACCOUNT_RATE_LIMIT — many machines trying one account.
The counters live in Redis when REDIS_URL is set, so they hold across all server
processes and machines. Independently, the database counts failures in a row
per account and locks it (services.count_failure). Each refusal is audited.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import partial

from flask import current_app, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ops import audit
from ops.auth import pending
from ops.db import engine
from ops.errors import render_error
from ops.extensions import limiter

AUDIT_ACTIONS = {"auth.login": "login", "auth.two_factor": "login_2fa", "auth.reauthenticate": "reauth"}


def _client_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _typed_username() -> str:
    return (request.form.get("username") or "").strip().lower()[:64]


def account_key() -> str:
    """Whose account the attempt is for: the typed name, the half-signed-in user, or the signed-in one."""
    if request.endpoint == "auth.login":
        return f"name:{_typed_username()}"
    state = pending.current()
    if state is not None:
        return f"user:{state.user_id}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"client:{get_remote_address()}"


def _audit_breach(kind: str, request_limit: RequestLimit) -> None:
    key = account_key()
    user_id = int(key.split(":", 1)[1]) if key.startswith("user:") else None
    audit.record_now(
        engine(),
        AUDIT_ACTIONS.get(request.endpoint, "login"),
        outcome="throttled",
        object_type="user",
        object_id=user_id or _typed_username(),
        detail={"by": kind, "limit": str(request_limit.limit)},
    )


def attempts_limited(view):
    """Both limits, on POST, for a sign-in-like endpoint."""
    by_client = limiter.limit(_client_limit, methods=["POST"], on_breach=partial(_audit_breach, "client"))
    by_account = limiter.limit(
        _account_limit, methods=["POST"], key_func=account_key, on_breach=partial(_audit_breach, "account")
    )
    return by_client(by_account(view))


def _seconds_to_wait() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))  # the limiter's storage keeps real time


def too_many_attempts(error: RateLimitExceeded):
    wait = format_timedelta(timedelta(seconds=_seconds_to_wait()), threshold=1.1, add_direction=False)
    detail = _(
        "Too many sign-in attempts from this computer or for this account. For your protection, "
        "wait %(wait)s and try again. Nothing is wrong with your account; if this keeps "
        "happening, tell your agency administrator.",
        wait=wait,
    )
    return render_error(429, detail)
