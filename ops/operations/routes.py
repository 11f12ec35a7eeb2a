"""The list of operations, the operation form (new, edit, amend) and the record page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import identities, policy
from ops.db import session
from ops.errors import render_error
from ops.models import Operation
from ops.operations import history, listing, pages, queries, revisions, services
from ops.operations.blueprint import bp
from ops.operations.fields import user_zone
from ops.operations.forms import AmendForm, CreateForm, EditForm


@bp.get("/")
def index():
    policy.require(current_user, "view")
    form = listing.list_form(request.args)
    if not form.validate():
        return render_template("operations/list.html", form=form, page=None, status=None), 400
    page = listing.operation_page(current_user, form.data)
    filters = {k: str(v) for k, v in form.data.items() if v and k not in ("page", "sort")}
    services.record_list(current_user, page.number, form.status.data or None, filters)
    identities.prefetch(row[0].id for row in page.rows)  # one query for the titles' masks, not one per row
    return render_template("operations/list.html", form=form, page=page, status=form.status.data or None)


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
        operation = services.create_operation(
            current_user, team, form.to_input(), form.visibility_choice(), year, form.handling_choice()
        )
        flash(
            _("Draft %(ref)s saved. Add photos and documents below, then submit it for review.", ref=operation.ref),
            "success",
        )
        return redirect(url_for("operations.view", operation_id=operation.id))
    return pages.render_form(form, "create", own_teams=own_teams, status=400 if request.method == "POST" else 200)


@bp.get("/<int:operation_id>")
def view(operation_id: int):
    operation = policy.load_operation(session(), operation_id, current_user, "view")
    if request.args.get("as") == "partners":
        policy.require(current_user, "view_as_partners", operation)
        identities.partners_view()
    return pages.render_record(operation)


@bp.get("/<int:operation_id>/print")
def print_view(operation_id: int):
    operation = policy.load_operation(session(), operation_id, current_user, "view")
    return pages.render_print(operation)


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
    saved_since = revisions.revisions(db, operation.id, since=form.opened())
    since = history.present(saved_since, reader)
    # the same user in another tab or window is told so, not that "someone else" saved
    by_me = bool(saved_since) and all(revision.user_id == current_user.id for revision, _user in saved_since)
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
        saved_by_me=by_me,
        persons_editable=persons_editable,
    )
