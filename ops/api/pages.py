"""The settings page where a user creates, lists and revokes personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ops.api import tokens
from ops.auth.reauth import require_recent_auth

bp = Blueprint("apitokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. 'weekly seizure report script'"),
    )
    days = IntegerField(
        _l("Valid for (days)"), default=90, validators=[InputRequired(), NumberRange(min=1, max=tokens.MAX_DAYS)]
    )
    read_only = BooleanField(
        _l("Read-only"),
        default=True,
        description=_l("A read-only token can read and search but never change anything."),
    )


@bp.get("/")
def index():
    return render_template("api/tokens.html", form=TokenForm(), tokens=tokens.user_tokens(current_user))


@bp.post("/")
@require_recent_auth  # a token is a new way in: prove it is still you
def create():
    form = TokenForm()
    if form.validate_on_submit():
        token, clear = tokens.create_token(current_user, form.name.data.strip(), form.days.data, form.read_only.data)
        return render_template("api/token_once.html", token=token, clear=clear)
    return render_template("api/tokens.html", form=form, tokens=tokens.user_tokens(current_user)), 400


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    if tokens.revoke_token(current_user, token_id):
        flash(_("The token is revoked; it stops working at once."), "success")
    else:
        flash(_("There is no such active token of yours."), "error")
    return redirect(url_for("apitokens.index"))
