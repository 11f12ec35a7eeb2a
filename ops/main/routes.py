"""Home page, health check and the policy page."""

from __future__ import annotations

from flask import redirect, render_template, request, session
from flask_login import current_user

from ops import checks, policy, vocab
from ops.auth.nav import safe_next
from ops.auth.services import save_preferences
from ops.db import engine
from ops.db import session as db_session
from ops.extensions import LANGUAGES
from ops.inbox import present as inbox_present
from ops.inbox import services as inbox
from ops.main.blueprint import bp
from ops.main.services import counterpart_office, home_lists, recent_searches
from ops.search import saved


@bp.get("/healthz")
def health():
    """Readiness for a load balancer: the database answers and is at this code's schema; 503 otherwise."""
    state = checks.readiness(engine())
    return {"status": "ok" if state.ok else "not ok", "revision": state.revision}, (200 if state.ok else 503)


@bp.get("/")
def home():
    if policy.is_foreign_partner(current_user):
        return render_template("counterpart_home.html", office=counterpart_office(current_user))
    searches = policy.can(current_user, "search") and not policy.can(current_user, "create")
    return render_template(
        "home.html",
        lists=home_lists(current_user),
        saved_searches=saved.list_with_news(db_session(), current_user) if searches else None,
        recent_searches=recent_searches(current_user) if searches else None,
        inbox_items=inbox.unread(db_session(), current_user),
        present=inbox_present,
    )


@bp.post("/language")
def set_language():
    """The header's language switcher: saved in the profile when signed in, in the session otherwise."""
    code = request.form.get("lang", "")
    if code in LANGUAGES:
        if current_user.is_authenticated:
            save_preferences(current_user, code, current_user.timezone)
        else:
            session["lang"] = code
    return redirect(safe_next(request.form.get("next")))


@bp.get("/policy")
def policy_page():
    policy.require(current_user, "view_policy")
    return render_template("policy.html", matrix=policy.policy_matrix(), roles=vocab.ROLES, scopes=policy.SCOPES)
