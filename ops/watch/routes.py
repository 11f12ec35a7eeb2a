"""The watchlist page: the user's watched values, add one, remove one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy
from ops.db import session
from ops.watch import services
from ops.watch.blueprint import bp
from ops.watch.forms import RemoveForm, WatchForm


@bp.get("")
def index():
    policy.require(current_user, "search")
    return _page(WatchForm(formdata=None))


def _page(form, status: int = 200):
    watches = services.mine(session(), current_user)
    return render_template("watch/index.html", form=form, watches=watches, remove_form=RemoveForm()), status


@bp.post("")
def add():
    policy.require(current_user, "search")
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.add(session(), current_user, form.kind.data, form.value.data or "")
    except services.Refused as error:
        flash(str(error), "error")
        return _page(form, 400)
    flash(_("Added to your watchlist."), "success")
    return redirect(url_for("watch.index"))


@bp.post("/<int:watch_id>/delete")
def remove(watch_id: int):
    if not RemoveForm().validate_on_submit():
        abort(400)
    try:
        services.remove(session(), current_user, watch_id)
    except services.Refused:
        abort(404)
    flash(_("Removed from your watchlist."), "success")
    return redirect(url_for("watch.index"))
