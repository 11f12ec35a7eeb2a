"""The inbox page: the user's items, paged; opening one marks it read and follows its link."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ops.db import session
from ops.inbox import present, services
from ops.inbox.blueprint import bp


@bp.get("")
def inbox_page():
    number = request.args.get("page", 1, type=int) or 1
    found = services.page(session(), current_user, number)
    return render_template("inbox/list.html", page=found, present=present)


@bp.get("/<int:inbox_item_id>")
def open_item(inbox_item_id: int):
    try:
        item = services.open_item(session(), current_user, inbox_item_id)
    except services.NotYours:
        abort(404)
    return redirect(item.link or url_for("inbox.inbox_page"))
