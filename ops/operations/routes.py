"""The list of operations, the operation form (new, edit, amend) and the record page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy, vocab
from ops.db import session
from ops.errors import render_error
from ops.models import Operation
from ops.operations import bp, history, pages, queries, revisions, services
from ops.operations.fields import user_zone
from ops.operations.forms import AmendForm, CreateForm, EditForm


@bp.get("/")
def index():
    policy.require(current_user, "view")
    status = request.args.get("status") if request.args.get("status") in vocab.STATUSES else None
    page = queries.operation_page(current_user, request.args.get("page", 1, type=int), status)
    services.record_list(current_user, page.number, status)
    return render_template("operations/list.html", page=page, status=status)


@bp.get("/keepalive")
def keepalive():
    """Pinged by the form's script while the user types, so a long report outlives the idle timeout."""
    return "", 204


@bp.route("/new", methods=["GET", "POST"])
def new():
    policy.require(current_user, "create")
    own_teams = services.user_teams(current_user, policy.team_ids(current_user))
    if not own_teams:
        return render_error(
            403,
            _(
                "You are not a member of any team, and every operation belongs to a team. "
                "Ask your agency administrator to add you to your team."
            ),
        )
    agencies, teams = services.reference_data()
    form = CreateForm()
    form.set_choices(agencies, teams, own_teams, current_user.agency_id)
    pages.offer_equipment(form, current_user.agency_id, [t.id for t in own_teams])
    if request.method == "GET":
        form.owner_team_id.data = form.lead_team_id.data = own_teams[0].id
        form.participants.data = [current_user.agency_id]
    elif pages.rows_changed(form):
        return pages.render_form(form, "create", own_teams=own_teams)
    elif form.validate_on_submit():
        team = next(t for t in own_teams if t.id == form.owner_team_id.data)
        year = form.started_at.data.astimezone(user_zone()).year
        operation = services.create_operation(current_user, team, form.to_input(), form.visibility_choice(), year)
        flash(
            _("Draft %(ref)s saved. Add photos and documents below, then submit it for review.", ref=operation.ref),
            "success",
        )
        return redirect(url_for("operations.view", operation_id=operation.id))
    return pages.render_form(form, "create", own_teams=own_teams, status=400 if request.method == "POST" else 200)


@bp.get("/<int:operation_id>")
def view(operation_id: int):
    operation = policy.load_operation(session(), operation_id, current_user, "view")
    return pages.render_record(operation)


def _edit_action(operation: Operation) -> str:
    return "amend" if operation.status == "approved" else "edit"


@bp.route("/<int:operation_id>/edit", methods=["GET", "POST"])
def edit(operation_id: int):
    db = session()
    operation = policy.load_operation(db, operation_id, current_user, "view")
    action = _edit_action(operation)
    form_class = AmendForm if action == "amend" else EditForm
    persons_editable = policy.persons_visible(current_user, operation)
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(data=queries.form_data(operation, persons_editable))
        form.version.data, form.opened_at.data = str(operation.version), pages.opened_now()
    form.set_choices(*services.reference_data())
    pages.offer_equipment(form, operation.owner_agency_id, [operation.owner_team_id], operation.id)
    if not policy.can(current_user, action, operation):
        if request.method == "POST" and form.expected_version() != operation.version:
            # it was submitted or approved while this user typed: show their input, do not drop it
            return _conflict(operation, form, editable=False)
        policy.refuse(current_user, action, operation, 403)
    if request.method == "GET":
        services.record_view(current_user, operation, page="edit")
    elif pages.rows_changed(form):
        return pages.render_form(form, action, operation, persons_editable=persons_editable)
    elif form.validate_on_submit():
        return _save(operation, form, action, persons_editable)
    return pages.render_form(
        form, action, operation, persons_editable=persons_editable, status=400 if request.method == "POST" else 200
    )


def _save(operation: Operation, form, action: str, persons_editable: bool):
    reason = form.reason.data.strip() if action == "amend" else ""
    try:
        changed = services.update_operation(
            current_user,
            operation,
            form.to_input(),
            form.expected_version(),
            action=action,
            reason=reason,
            persons_editable=persons_editable,
        )
    except services.Conflict:
        return _conflict(operation, form, editable=True)
    if changed:
        flash(_("%(ref)s saved.", ref=operation.ref), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("operations.view", operation_id=operation.id))


def _conflict(operation: Operation, form, editable: bool):
    """Someone saved first: the saved record beside the user's input, nothing lost, nothing overwritten."""
    db = session()
    db.refresh(operation)
    record = queries.record(operation, current_user)
    persons_editable = record.persons_visible
    mine = form.to_input() if form.validate() else None
    reader = pages.reader(record)
    differences = []
    if mine is not None:
        theirs = revisions.snapshot(db, operation)
        for key, saved, typed in revisions.differences(
            theirs, revisions.snapshot_of_input(db, operation, mine, persons_editable), persons_editable
        ):
            differences += history.explain(key, saved, typed, reader)
    since = history.present(revisions.revisions(db, operation.id, since=form.opened()), reader)
    form.version.data, form.opened_at.data = str(operation.version), pages.opened_now()
    services.record_view(current_user, operation, page="conflict")
    return pages.render_form(
        form,
        _edit_action(operation),
        operation,
        status=409,
        conflict=True,
        editable=editable and policy.can(current_user, _edit_action(operation), operation),
        differences=differences,
        since=since,
        persons_editable=persons_editable,
    )
