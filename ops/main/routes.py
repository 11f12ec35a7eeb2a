"""Home page, health check and the policy page."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ops import policy, vocab
from ops.main import bp


@bp.get("/healthz")
def health():
    return {"status": "ok"}


@bp.get("/")
def home():
    from ops.main.services import home_lists
    return render_template("home.html", lists=home_lists(current_user))


@bp.get("/policy")
def policy_page():
    policy.require(current_user, "view_policy")
    return render_template("policy.html", matrix=policy.policy_matrix(), roles=vocab.ROLES,
                           scopes=policy.SCOPES)
