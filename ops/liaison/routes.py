"""Releases to counterpart offices: written from a record, approved by a supervisor, read by the office."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ops import policy
from ops.db import session
from ops.liaison import extract, services
from ops.liaison.blueprint import bp
from ops.liaison.forms import AcknowledgeForm, ApproveForm, RefuseForm, ReleaseForm, WithdrawForm
from ops.models import Agency, Operation, User
from ops.models_liaison import Release


@bp.app_context_processor
def _releases_of_record():
    """The record page lists its releases to their owner (template global releases_of)."""

    def releases_of(operation: Operation) -> list[Release]:
        if not policy.can(current_user, "view_release") or operation.owner_agency_id != current_user.agency_id:
            return []
        return services.visible(session(), current_user, operation.id)

    return {"releases_of": releases_of}


@bp.route("/operations/<int:operation_id>/release", methods=["GET", "POST"])
def new_release(operation_id: int):
    db = session()
    operation = policy.load_operation(db, operation_id, current_user, "send_release")
    form = ReleaseForm()
    form.offer(services.counterparts_of(db, operation.owner_agency_id))
    preview = None
    if form.validate_on_submit():
        try:
            if form.step.data == "send":
                release = _create(db, operation, form)
                flash(_("The release waits for a supervisor's approval; nothing was sent yet."), "success")
                return redirect(url_for("liaison.release_page", release_id=release.id))
            preview = services.prepare(db, operation, form.to_agency.data, form.include_plate.data, form.summary.data)
        except services.LiaisonError as error:
            db.rollback()
            getattr(form, error.field).errors = [error.message]
            return _form_page(form, operation, None), 400
    elif request.method == "POST":
        return _form_page(form, operation, None), 400
    return _form_page(form, operation, preview)


def _create(db, operation, form) -> Release:
    return services.create(
        db, current_user, operation, form.to_agency.data, form.include_plate.data, form.summary.data or ""
    )


def _form_page(form, operation, preview):
    rows = extract.rows(preview["extract"]) if preview else []
    summary = preview["summary"] if preview else ""
    return render_template("liaison/new.html", form=form, op=operation, rows=rows, summary=summary)


@bp.get("/releases")
def releases():
    policy.require(current_user, "view_release")
    db = session()
    found = services.visible(db, current_user)
    agencies = {a.id: a for a in db.execute(select(Agency)).scalars()}
    return render_template("liaison/list.html", releases=found, agencies=agencies)


@bp.get("/releases/<int:release_id>")
def release_page(release_id: int):
    db = session()
    release = policy.load(db, Release, release_id, current_user, "view_release")
    services.record_read(db, current_user, release)
    return _release_page(db, release)


def _forms(release: Release, **given) -> dict:
    """The page's forms, each carrying the version read (a form sent after someone else's step is stale)."""
    forms = {
        "approve_form": ApproveForm(version=release.version),
        "refuse_form": RefuseForm(version=release.version),
        "withdraw_form": WithdrawForm(version=release.version),
        "ack_form": AcknowledgeForm(),
    }
    return {**forms, **given}


def _release_page(db, release: Release, **given):
    office = db.get(Agency, release.to_agency_id)
    language = office.receive_language if policy.is_foreign_partner(current_user) else None
    with force_locale(language) if language else _nothing():
        rows = extract.rows(json.loads(release.extract))
    people = {u.id: u for u in db.execute(select(User).where(User.id.in_(_people_ids(release)))).scalars()}
    return render_template(
        "liaison/release.html",
        release=release,
        rows=rows,
        office=office,
        sender=db.get(Agency, release.owner_agency_id),
        operation=db.get(Operation, release.operation_id) if not policy.is_foreign_partner(current_user) else None,
        people=people,
        **_forms(release, **given),
    )


def _people_ids(release: Release) -> list[int]:
    ids = (release.created_by_id, release.approved_by_id, release.acknowledged_by_id, release.closed_by_id)
    return [i for i in ids if i]


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


@bp.post("/releases/<int:release_id>/approve")
def approve(release_id: int):
    db = session()
    release = policy.load(db, Release, release_id, current_user, "approve_release")
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.approve(db, current_user, release, form.condition_met.data, _int(form.version.data))
    except services.StaleError:
        db.rollback()
        flash(_("Someone changed this release meanwhile: read it again."), "error")
        return redirect(url_for("liaison.release_page", release_id=release_id)), 303
    except services.LiaisonError as error:
        db.rollback()
        db.refresh(release)
        form.condition_met.errors = [error.message]
        return _release_page(db, release, approve_form=form), 400
    flash(_("The release was delivered to the counterpart office."), "success")
    return redirect(url_for("liaison.release_page", release_id=release_id))


@bp.post("/releases/<int:release_id>/refuse")
def refuse(release_id: int):
    db = session()
    release = policy.load(db, Release, release_id, current_user, "refuse_release")
    form = RefuseForm()
    if not form.validate_on_submit():
        abort(400)
    return _close(
        db,
        release,
        "refuse_form",
        form,
        lambda: services.refuse(db, current_user, release, form.reason.data or "", _int(form.version.data)),
    )


@bp.post("/releases/<int:release_id>/withdraw")
def withdraw(release_id: int):
    db = session()
    release = policy.load(db, Release, release_id, current_user, "withdraw_release")
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    return _close(
        db,
        release,
        "withdraw_form",
        form,
        lambda: services.withdraw(db, current_user, release, _int(form.version.data)),
    )


CLOSED = {
    "refuse_form": _l("The release was refused: it will not be sent."),
    "withdraw_form": _l("The release was withdrawn: it will not be sent."),
}


def _close(db, release: Release, name: str, form, step):
    """Refuse or withdraw: a stale form is sent back to read again, a release no longer pending says why."""
    try:
        step()
    except services.StaleError:
        db.rollback()
        flash(_("Someone changed this release meanwhile: read it again."), "error")
        return redirect(url_for("liaison.release_page", release_id=release.id)), 303
    except services.LiaisonError as error:
        db.rollback()
        if error.field != "reason":  # no longer pending, or refused by its writer: said on the page as it is
            flash(error.message, "error")
            return redirect(url_for("liaison.release_page", release_id=release.id)), 303
        db.refresh(release)
        form.reason.errors = [error.message]
        return _release_page(db, release, **{name: form}), 400
    flash(str(CLOSED[name]), "success")
    return redirect(url_for("liaison.release_page", release_id=release.id))


@bp.post("/releases/<int:release_id>/acknowledge")
def acknowledge(release_id: int):
    db = session()
    release = policy.load(db, Release, release_id, current_user, "acknowledge_release")
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    try:
        services.acknowledge(db, current_user, release)
    except services.LiaisonError as error:
        db.rollback()
        flash(error.message, "error")
    except services.StaleError:  # acknowledged by a colleague in the same moment
        flash(_("Someone changed this release meanwhile: read it again."), "error")
    return redirect(url_for("liaison.release_page", release_id=release_id))


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None
