"""Access requests (ask, list, answer, withdraw) and a record's hit settings."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy
from ops.db import session
from ops.hits import requests as access
from ops.hits import settings
from ops.hits.blueprint import bp
from ops.hits.forms import AnswerForm, AskForm, HitSettingsForm, WithdrawForm, agency_choices
from ops.hits.services import Refused


@bp.post("/ask")
def ask():
    policy.require(current_user, "look_up_elsewhere")
    form = AskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        made = access.ask(
            session(), current_user, form.identifier.data, form.token.data, form.purpose.data, form.case_number.data
        )
    except Refused as error:
        flash(str(error), "error")
        return redirect(url_for("search.lookup", value=form.identifier.data or ""))
    flash(_("Your request was sent. You will be told the answer in your inbox."), "success")
    return redirect(url_for("hits.request_page", request_id=made.id))


@bp.get("")
def index():
    policy.require(current_user, "follow_access_requests")
    db = session()
    answer, mine, overdue = access.to_answer(db, current_user), access.mine(db, current_user), []
    overdue = access.overdue_everywhere(db, current_user)
    agencies, people = access.names(db, answer + mine + overdue)
    return render_template(
        "hits/index.html", answer=answer, mine=mine, overdue=overdue, agencies=agencies, people=people, access=access
    )


def _load(request_id: int):
    found = access.load(session(), current_user, request_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<int:request_id>")
def request_page(request_id: int):
    item = _load(request_id)
    return _render(item, AnswerForm(formdata=None, version=str(item.version)))


def _render(item, form, status: int = 200):
    db = session()
    agencies, people = access.names(db, [item])
    owner_side = item.owner_agency_id == current_user.agency_id
    page = render_template(
        "hits/request.html",
        item=item,
        form=form,
        withdraw_form=WithdrawForm(),
        agencies=agencies,
        people=people,
        access=access,
        owner_side=owner_side,
        may_answer=owner_side and policy.can(current_user, "answer_access_requests") and item.status == "open",
    )
    return page, status


@bp.post("/<int:request_id>/answer")
def answer(request_id: int):
    item = _load(request_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _render(item, form, 400)
    until = datetime.combine(form.until.data, time.max, tzinfo=UTC) if form.until.data else None
    try:
        version = int(form.version.data or 0)
        access.answer(
            session(), current_user, item, form.decision.data, version, form.reason.data, form.persons.data, until
        )
    except Refused as error:
        flash(str(error), "error")
        return _render(item, form, 409 if "meanwhile" in str(error) else 400)
    flash(_("Your answer was sent to the requester."), "success")
    return redirect(url_for("hits.request_page", request_id=item.id))


@bp.post("/<int:request_id>/withdraw")
def withdraw(request_id: int):
    item = _load(request_id)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    try:
        access.withdraw(session(), current_user, item)
    except Refused as error:
        flash(str(error), "error")
    else:
        flash(_("Request withdrawn."), "success")
    return redirect(url_for("hits.request_page", request_id=item.id))


@bp.post("/record/<int:operation_id>/hits")
def record_hits(operation_id: int):
    db = session()
    operation = policy.load_operation(db, operation_id, current_user, "view")
    policy.require(current_user, "set_hits", operation)
    form = HitSettingsForm()
    others = settings.other_agencies(db, operation)
    form.agencies.choices = agency_choices(others)
    if not form.validate_on_submit():
        flash(_("Choose agencies from the list."), "error")
    elif settings.save(db, current_user, operation, bool(form.silent.data), form.agencies.data or []):
        flash(_("Hit settings saved."), "success")
    return redirect(url_for("operations.view", operation_id=operation.id) + "#hit-settings")
