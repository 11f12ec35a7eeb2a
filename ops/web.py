"""Request plumbing shared by every blueprint: request ids, deny-by-default, headers, template globals."""

from __future__ import annotations

import uuid
from datetime import UTC

from flask import Flask, abort, g, redirect, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from ops import identities, policy, titles, vocab
from ops.db import session as db_session
from ops.errors import problem, wants_json
from ops.extensions import LANGUAGE_NAMES
from ops.inbox import present as inbox_present
from ops.inbox import services as inbox

MAX_DATABASE_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider

# The only endpoints an anonymous visitor may reach; a test checks url_map against it.
PUBLIC_ENDPOINTS = frozenset({"static", "auth.login", "auth.two_factor", "main.health", "main.set_language"})
# What a counterpart office's people may reach (policy.is_foreign_partner): everything else answers 404 before any
# view runs, whatever a later blueprint forgets; the views they reach still ask ops.policy.
COUNTERPART_BLUEPRINTS = frozenset({"main", "auth", "apitokens", "static", "inbox", "liaison"})
COUNTERPART_ENDPOINTS = frozenset(
    {"api.inbox_list", "api.openapi"}
    # releases and heads-up messages (ops/api/routes_liaison.py): the API follows the pages' fence
    | {"api.releases", "api.release", "api.acknowledge_release", "api.messages", "api.send_message"}
    | {"api.message_thread", "api.acknowledge_message", "api.reply_message"}
)


def init_app(app: Flask) -> None:
    if app.config["BEHIND_PROXY"]:
        # one proxy in front: trust its X-Forwarded-For/Proto/Host, nothing more
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.url_map.converters["int"] = DatabaseIdConverter  # before any blueprint adds its rules
    app.before_request(_assign_request_id)
    app.before_request(_refuse_nul_characters)
    app.before_request(_require_login)
    app.before_request(_fence_counterpart_offices)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(
        can=_can, vocab=vocab, label=vocab.label, country_name=vocab.country_name, local_name=vocab.local_name
    )
    app.jinja_env.filters["local_name"] = vocab.local_name  # for |map("local_name") over agencies or teams
    app.jinja_env.filters["dt"] = _format_dt
    app.jinja_env.filters["num"] = _format_number
    # free text of a record (title, narrative, concealment detail, file name) as the reader may see it
    app.jinja_env.filters["masked"] = identities.shown
    app.jinja_env.globals["may_read_remarks"] = lambda op: identities.may_read_remarks(current_user, op)
    app.jinja_env.filters["op_title"] = titles.display_title
    app.jinja_env.filters["date_fmt"] = _format_date
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale)
    app.jinja_env.globals["inbox_unread"] = _inbox_unread
    app.jinja_env.filters["hit_kind"] = lambda kind: str(inbox_present.MATCH_KINDS.get(kind, kind))


def _inbox_unread() -> int:
    """The page header's unread count (one indexed count, asked only by pages that show the header)."""
    if not current_user.is_authenticated:
        return 0
    if "inbox_unread" not in g:
        g.inbox_unread = inbox.unread_count(db_session(), current_user)
    return g.inbox_unread


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number beyond what the database's id columns hold is a 404, not a 500."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)


def _assign_request_id() -> None:
    g.request_id = uuid.uuid4().hex


def _refuse_nul_characters():
    """A NUL character has no place in any field, and PostgreSQL refuses to store or compare it: 400, not 500."""
    values = list(request.args.values()) + (
        list(request.form.values()) if request.mimetype != "application/json" else []
    )
    if any("\x00" in value for value in values):
        abort(400)


def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if wants_json():
        return problem(401, _("Sign-in required"))
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def _fence_counterpart_offices():
    endpoint = request.endpoint or ""
    if endpoint in COUNTERPART_ENDPOINTS or endpoint.split(".")[0] in COUNTERPART_BLUEPRINTS:
        return None
    if current_user.is_authenticated and policy.is_foreign_partner(current_user):
        abort(404)
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Request-ID"] = g.get("request_id", "")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=(), payment=()")
    if request.endpoint != "static":
        # signed-in pages, and the sign-in steps (CSRF tokens, a two-factor secret being set up)
        headers["Cache-Control"] = "no-store"
    return response


def _can(action: str, obj=None) -> bool:
    return policy.can(current_user, action, obj)


# One date-and-time format across the product, the same in every language: "2026-12-01 08:46".
DATETIME_PATTERN = "yyyy-MM-dd HH:mm"


def _format_dt(value) -> str:
    """UTC from the database -> the user's time zone, in the product's one format."""
    if value is None:
        return ""
    return format_datetime(value if value.tzinfo else value.replace(tzinfo=UTC), DATETIME_PATTERN)


def _format_date(value, fmt: str = "medium") -> str:
    """A calendar date (no time zone to convert) in the reader's locale."""
    return "" if value is None else format_date(value, fmt)


def _format_number(value, digits: int | None = None) -> str:
    """Numbers in the reader's locale (1 234,5 in Russian, 1,234.5 in English)."""
    if value is None:
        return ""
    if digits is None:
        return format_decimal(value)
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
