"""The import page (supervisors): upload, dry-run report, confirm, progress."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ops import policy
from ops.db import session
from ops.importer import jobs
from ops.importer.blueprint import bp
from ops.importer.forms import ConfirmForm, UploadForm
from ops.importer.services import report_errors
from ops.importer.validate import MAX_LISTED_ERRORS
from ops.importformat import COLUMNS, OPTIONAL_COLUMNS
from ops.models import User


@bp.before_request
def _importers_only():
    policy.require(current_user, "import")


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UploadForm()
    if form.validate_on_submit():
        outcome = jobs.check_upload(current_user, form.file.data)
        if outcome.plan is not None:  # the file could be read: its report has a page of its own
            return redirect(url_for("importer.batch", batch_id=outcome.batch.id))
        form.file.errors.append(outcome.message)  # not the import format at all
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template(
        "importer/index.html",
        form=form,
        columns=COLUMNS,
        optional_columns=OPTIONAL_COLUMNS,
        batches=jobs.recent_batches(current_user.agency_id),
        max_mb=int(request.max_content_length or 0) // (1024 * 1024),
    ), status


@bp.get("/<int:batch_id>")
def batch(batch_id: int):
    found = jobs.batch_of(current_user, batch_id)
    summary, errors = report_errors(found)
    by = session().get(User, found.user_id) if found.user_id else None
    return render_template(
        "importer/batch.html",
        batch=found,
        summary=summary,
        errors=errors,
        by=by,
        listed_max=MAX_LISTED_ERRORS,
        form=ConfirmForm(),
        progress=jobs.progress_of(found),
        stalled=jobs.stalled(found),
    )


@bp.post("/<int:batch_id>/confirm")
def confirm(batch_id: int):
    found = jobs.batch_of(current_user, batch_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Confirm again."), "error")
    elif jobs.confirm(current_user, found):
        flash(_("The import has started. You may leave this page; it goes on without you."), "success")
    else:
        flash(_("This file is not waiting for confirmation any more."), "warning")
    return redirect(url_for("importer.batch", batch_id=batch_id))


@bp.get("/<int:batch_id>/progress")
def progress(batch_id: int):
    return jsonify(jobs.progress_of(jobs.batch_of(current_user, batch_id)))
