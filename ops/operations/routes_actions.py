"""The record page's actions: submit, review, visibility, photos and documents."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge

from ops import identities, policy, vocab
from ops.db import session as db_session
from ops.errors import render_error
from ops.operations import attachments, handling, legal_hold, pages, services, workflow
from ops.operations.blueprint import bp
from ops.operations.forms import ReviewForm, UploadForm, VersionedActionForm, VisibilityForm
from ops.operations.forms_handling import HandlingForm
from ops.operations.forms_hold import LegalHoldForm


def changed_meanwhile() -> str:
    return _("The record was changed by someone else since you opened it. Check it below and try again.")


def _back(operation_id: int):
    return redirect(url_for("operations.view", operation_id=operation_id))


@bp.post("/<int:operation_id>/submit")
def submit(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "submit")
    form = VersionedActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        workflow.submit(current_user, operation, form.version.data)
    except services.Conflict:
        flash(changed_meanwhile(), "error")
        return _back(operation_id)
    except workflow.NotReady as missing:
        flash(str(missing), "error")
        return _back(operation_id)
    flash(_("%(ref)s is submitted for review.", ref=operation.ref), "success")
    return _back(operation_id)


@bp.post("/<int:operation_id>/review")
def review(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "review")
    form = ReviewForm()
    decision = request.form.get("decision")
    if decision not in ("approve", "return") or not form.validate_on_submit():
        return pages.render_record(operation, status=400, review_form=form)
    try:
        if decision == "approve":
            workflow.approve(current_user, operation, form.version.data, (form.comment.data or "").strip())
            flash(_("%(ref)s is approved.", ref=operation.ref), "success")
        else:
            comment = form.returning_comment()
            if not comment:
                return pages.render_record(operation, status=400, review_form=form)
            workflow.return_to_team(current_user, operation, form.version.data, comment)
            flash(_("%(ref)s is returned to the team with your comment.", ref=operation.ref), "success")
    except services.Conflict:
        flash(changed_meanwhile(), "error")
    return _back(operation_id)


@bp.post("/<int:operation_id>/visibility")
def visibility(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "change_visibility")
    form = pages.with_share_choices(VisibilityForm(), services.reference_data()[0], operation)
    valid = form.validate_on_submit()
    if valid and form.visibility.data == "all" and operation.handling_code == vocab.NO_FURTHER_DISSEMINATION:
        form.visibility.errors = [*form.visibility.errors, handling.h2_not_for_all()]
        valid = False
    if not valid:
        return pages.render_record(operation, status=400, visibility_form=form)
    expected = int(form.version.data) if (form.version.data or "").isdigit() else 0
    try:
        changed = workflow.change_visibility(current_user, operation, form.visibility_choice(), expected)
    except services.Conflict:
        flash(changed_meanwhile(), "error")
        return _back(operation_id)
    flash(_("Visibility saved.") if changed else _("Nothing was changed."), "success" if changed else "info")
    return _back(operation_id)


@bp.post("/<int:operation_id>/handling")
def handling_code(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "change_handling")
    form = HandlingForm()
    if not (form.validate_on_submit() and form.check(operation.visibility)):
        return pages.render_record(operation, status=400, handling_form=form)
    expected = int(form.version.data) if (form.version.data or "").isdigit() else 0
    try:
        changed = handling.change(current_user, operation, form.handling_choice(), expected)
    except services.Conflict:
        flash(changed_meanwhile(), "error")
        return _back(operation_id)
    flash(
        _("Handling code and grading saved.") if changed else _("Nothing was changed."),
        "success" if changed else "info",
    )
    return _back(operation_id)


@bp.post("/<int:operation_id>/legal-hold")
def legal_hold_change(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "legal_hold")
    form = LegalHoldForm()
    holding = request.form.get("decision") == "hold"
    if request.form.get("decision") not in ("hold", "lift") or not form.validate_on_submit():
        return pages.render_record(operation, status=400, legal_hold_form=form)
    reason = form.reason_for(holding)
    if reason is None:
        return pages.render_record(operation, status=400, legal_hold_form=form)
    if holding:
        changed = legal_hold.set_hold(current_user, operation, reason)
        done = _("%(ref)s is under a legal hold: retention keeps its identities.", ref=operation.ref)
    else:
        changed = legal_hold.lift_hold(current_user, operation, reason)
        done = _("The legal hold of %(ref)s is lifted.", ref=operation.ref)
    flash(done if changed else _("Nothing was changed."), "success" if changed else "info")
    return _back(operation_id)


@bp.post("/<int:operation_id>/attachments")
def attach(operation_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "attach")
    form = UploadForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        return pages.render_record(operation, status=400, upload_form=form)
    files = [f for f in request.files.getlist("files") if f.filename] or [None]
    try:  # all files are checked before any is stored: one bad file stores nothing
        checked = [attachments.check_upload(f, current_app.config["MAX_UPLOAD_MB"]) for f in files]
    except attachments.UploadError as error:
        return _back_to_files(operation_id, str(error))
    for item in checked:
        attachments.add(current_user, operation, item, **form.codes())
    flash(ngettext("%(num)d file added.", "%(num)d files added.", len(checked)), "success")
    return _back(operation_id)


def _back_to_files(operation_id: int, error: str):
    """Redirect-after-post to the record's files, where the refusal is shown (pages.render_record).

    Rendering the record as the POST's answer left the address at .../attachments, which a
    reload answered with 405, and opened the page at its top, far above the message.
    """
    session[pages.UPLOAD_ERROR] = {"operation": operation_id, "message": error}
    return redirect(url_for("operations.view", operation_id=operation_id, _anchor="attachments"), code=303)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_error):
    """The server refuses the body before the upload is read; say what the limit is, beside the files."""
    message = _(
        "Photos and documents of up to %(mb)s MB each are accepted. Nothing was stored; choose a smaller file.",
        mb=current_app.config["MAX_UPLOAD_MB"],
    )
    if request.endpoint == "operations.attach":  # the record's access was checked before the body was read
        return _back_to_files(request.view_args["operation_id"], message)
    return render_error(413, message)


@bp.post("/<int:operation_id>/attachments/<int:attachment_id>/delete")
def detach(operation_id: int, attachment_id: int):
    operation = policy.load_operation(db_session(), operation_id, current_user, "attach")
    attachment = attachments.find(operation, attachment_id)
    if attachment is None or not FlaskForm().validate_on_submit():  # the CSRF token is all it carries
        abort(404 if attachment is None else 400)
    attachments.remove(current_user, operation, attachment)
    flash(_("%(name)s removed.", name=attachment.filename), "success")
    return _back(operation_id)


def _send(operation_id: int, attachment_id: int, thumbnail: bool):
    operation = policy.load_operation(db_session(), operation_id, current_user, "view")
    attachment = attachments.find(operation, attachment_id)
    if attachment is None or (thumbnail and not attachment.thumbnail_key):
        abort(404)
    if not thumbnail:  # a thumbnail is named by the record page's view event (pages.render_record)
        attachments.record_download(current_user, operation, attachment, "download")
    path = attachments.stored_path(attachment.thumbnail_key if thumbnail else attachment.storage_key)
    if not path.is_file():
        current_app.logger.error("attachment %s of operation %s: file %s is missing", attachment.id, operation.id, path)
        abort(404)
    inline = thumbnail or attachment.content_type.startswith("image/")
    response = send_file(
        path,
        mimetype="image/jpeg" if thumbnail else attachment.content_type,
        as_attachment=not inline,
        download_name=identities.shown(attachment.filename, operation),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # a file is shown as a file: no script, no plugin, no framing, whatever is inside it
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@bp.get("/<int:operation_id>/attachments/<int:attachment_id>")
def download(operation_id: int, attachment_id: int):
    return _send(operation_id, attachment_id, thumbnail=False)


@bp.get("/<int:operation_id>/attachments/<int:attachment_id>/thumbnail")
def thumbnail(operation_id: int, attachment_id: int):
    return _send(operation_id, attachment_id, thumbnail=True)
