"""Heads-up messages between counterpart offices: the list of threads, a new message, a thread."""

from __future__ import annotations

from datetime import UTC

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ops import policy
from ops.db import session
from ops.liaison import headsups
from ops.liaison.blueprint import bp
from ops.liaison.forms import HEADSUP_SUBJECTS, AcknowledgeForm, HeadsUpForm, ReplyForm
from ops.liaison.services import LiaisonError
from ops.models import Agency, User
from ops.models_liaison import HeadsUp


@bp.get("/messages")
def messages():
    policy.require(current_user, "view_headsup")
    db = session()
    found = headsups.threads(db, current_user)
    agencies = {a.id: a for a in db.execute(select(Agency)).scalars()}
    may_send = policy.may_send_headsup(current_user)
    return render_template("liaison/messages.html", threads=found, agencies=agencies, may_send=may_send)


@bp.route("/messages/new", methods=["GET", "POST"])
def new_message():
    policy.require_headsup_sender(current_user)
    db = session()
    form = HeadsUpForm()
    form.offer(headsups.counterparts_for(db, current_user))
    if form.validate_on_submit():
        try:
            message = headsups.send(db, current_user, _draft(form))
        except LiaisonError as error:
            db.rollback()
            getattr(form, error.field).errors = [error.message]
            return render_template("liaison/message_new.html", form=form), 400
        flash(_("The message was sent."), "success")
        return redirect(url_for("liaison.thread", headsup_id=message.id))
    status = 400 if form.errors else 200
    return render_template("liaison/message_new.html", form=form), status


def _draft(form: HeadsUpForm) -> headsups.Draft:
    return headsups.Draft(
        to_agency_id=form.to_agency.data,
        subject=form.subject.data,
        plate=form.plate.data or "",
        place_code=form.place_code.data or None,
        window_start=_utc(form.window_start.data),
        window_end=_utc(form.window_end.data),
        text=form.text.data or "",
        valid_hours=form.valid_hours.data or 48,
    )


def _utc(value):
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@bp.get("/messages/<int:headsup_id>")
def thread(headsup_id: int):
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "view_headsup")
    return _thread_page(db, message, ReplyForm())


def _thread_page(db, message: HeadsUp, reply_form, status: int = 200):
    found = headsups.thread_of(db, current_user, message)
    agencies = {a.id: a for a in db.execute(select(Agency)).scalars()}
    ids = {m.created_by_id for m in found} | {m.acknowledged_by_id for m in found if m.acknowledged_by_id}
    people = {u.id: u for u in db.execute(select(User).where(User.id.in_(ids))).scalars()}
    context = {"agencies": agencies, "people": people, "subjects": HEADSUP_SUBJECTS, "ack_form": AcknowledgeForm()}
    page = render_template("liaison/thread.html", messages=found, root=found[0], reply_form=reply_form, **context)
    return page, status


@bp.post("/messages/<int:headsup_id>/acknowledge")
def acknowledge_message(headsup_id: int):
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "answer_headsup")
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    try:
        headsups.acknowledge(db, current_user, message)
    except LiaisonError as error:
        db.rollback()
        flash(error.message, "error")
    return redirect(url_for("liaison.thread", headsup_id=message.thread_id or message.id))


@bp.post("/messages/<int:headsup_id>/reply")
def reply(headsup_id: int):
    db = session()
    message = policy.load(db, HeadsUp, headsup_id, current_user, "answer_headsup")
    form = ReplyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        headsups.reply(db, current_user, message, form.text.data or "")
    except LiaisonError as error:
        db.rollback()
        form.text.errors = [error.message]
        return _thread_page(db, message, form, 400)
    return redirect(url_for("liaison.thread", headsup_id=message.thread_id or message.id))
