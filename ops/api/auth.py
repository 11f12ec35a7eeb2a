"""How API requests authenticate: a Bearer token, or the browser's session with its CSRF token."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from ops.api.problems import problem
from ops.apitokens import services as tokens
from ops.extensions import csrf, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@login_manager.request_loader
def _load_user_from_token(req):
    """Only API paths accept tokens: a token never opens the HTML pages."""
    if not req.path.startswith("/api/"):
        return None
    clear = bearer_token()
    if clear is None:
        return None
    found = tokens.user_for_token(clear)
    if found is None:
        g.api_token_rejected = True
        return None
    user, token = found
    g.api_token = token
    return user


def check_request():
    """Before every API request: read-only tokens read; cookie sessions need CSRF to write."""

    if bearer_token() is not None and g.get("api_token_rejected"):
        return problem(401, _("The API token is unknown, expired or revoked, or its user is disabled."))
    if request.method in SAFE_METHODS:
        return None
    token = g.get("api_token")
    if token is not None:
        if token.read_only:
            return problem(403, _("This token is read-only."))
        return None
    csrf.protect()  # a browser session writing to the API must prove the page is ours
    return None
