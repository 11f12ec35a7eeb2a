"""The settings page where a user creates, lists and revokes personal API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops.apitokens import services as tokens
from ops.apitokens.blueprint import bp
from ops.apitokens.forms import TokenForm
from ops.auth.reauth import require_recent_auth


@bp.get("/")
def index():
    return render_template("apitokens/tokens.html", form=TokenForm(), tokens=tokens.user_tokens(current_user))


@bp.post("/")
@require_recent_auth  # a token is a new way in: prove it is still you
def create():
    form = TokenForm()
    if form.validate_on_submit():
        token, clear = tokens.create_token(current_user, form.name.data.strip(), form.days.data, form.read_only.data)
        return render_template("apitokens/token_once.html", token=token, clear=clear)
    return render_template("apitokens/tokens.html", form=form, tokens=tokens.user_tokens(current_user)), 400


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    if tokens.revoke_token(current_user, token_id):
        flash(_("The token is revoked; it stops working at once."), "success")
    else:
        flash(_("There is no such active token of yours."), "error")
    return redirect(url_for("apitokens.index"))
