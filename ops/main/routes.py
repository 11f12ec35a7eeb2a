"""Home page, health check and the policy page."""

from __future__ import annotations

from flask import redirect, render_template, request, session
from flask_login import current_user

from ops import policy, vocab
from ops.auth.routes import safe_next
from ops.auth.services import save_preferences
from ops.db import session as db_session
from ops.extensions import LANGUAGES
from ops.main import bp
from ops.search import saved


@bp.get("/healthz")
def health():
    return {"status": "ok"}


@bp.get("/")
def home():
    from ops.main.services import home_lists, recent_searches

    searches = policy.can(current_user, "search") and not policy.can(current_user, "create")
    return render_template(
        "home.html",
        lists=home_lists(current_user),
        saved_searches=saved.list_with_news(db_session(), current_user) if searches else None,
        recent_searches=recent_searches(current_user) if searches else None,
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
