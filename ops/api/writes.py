"""Creating, updating and moving operations through the API, with the pages' forms and services."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from ops import policy
from ops.api import bodies
from ops.api.problems import ApiError
from ops.operations import handling, services, workflow
from ops.operations.forms import AmendForm, CreateForm, EditForm
from ops.operations.forms_handling import HandlingForm

NO_CSRF = {"csrf": False}  # checked once for the whole API (ops/api/auth.py), not per form


def expected_version(operation) -> int:
    """The If-Match version: required (428), and stale versions are refused (412)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiError(428, "send the version you read as If-Match (the ETag of GET /operations/{id})")
    text = header.removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ApiError(400, 'If-Match: the ETag of GET /operations/{id}, e.g. "3"')
    if int(text) != operation.version:
        raise ApiError(412, f"the record is at version {operation.version}; read it again and reapply your change")
    return int(text)


def _validated(form, body: dict):
    extra = bodies.unknown_fields(body, form)
    if extra:
        raise ApiError(422, "unknown fields", extra)
    shapes = bodies.wrong_shapes(body, form)
    if shapes:
        raise ApiError(422, "some fields are invalid", shapes)
    if not form.validate():
        raise ApiError(422, "some fields are invalid", bodies.field_errors(form))
    return form


def create(body: dict):
    own_teams = services.user_teams(current_user, policy.team_ids(current_user))
    if not own_teams:
        raise ApiError(403, "you are not a member of any team; every operation belongs to a team")
    team_id = body.get("owner_team_id", own_teams[0].id)
    body = {"owner_team_id": team_id, "lead_team_id": team_id, "participants": [current_user.agency_id], **body}
    form = CreateForm(formdata=bodies.to_formdata(body), meta=NO_CSRF)
    form.set_choices(*services.reference_data(), own_teams, current_user.agency_id)
    _validated(form, body)
    team = next(t for t in own_teams if t.id == form.owner_team_id.data)
    year = form.started_at.data.astimezone(bodies.user_zone()).year
    return services.create_operation(
        current_user, team, form.to_input(), form.visibility_choice(), year, form.handling_choice()
    )


def update(operation, body: dict) -> bool:
    action = "amend" if operation.status == "approved" else "edit"
    policy.require(current_user, action, operation)
    form_class = AmendForm if action == "amend" else EditForm
    body = {"lead_team_id": operation.lead_team_id, **body}
    form = form_class(formdata=bodies.to_formdata(body), meta=NO_CSRF)
    form.set_choices(*services.reference_data())
    _validated(form, body)
    version = expected_version(operation)  # after the body's checks: a bad body is 422 whatever its version
    reason = form.reason.data.strip() if action == "amend" else ""
    try:
        return services.update_operation(
            current_user,
            operation,
            form.to_input(),
            version,
            action=action,
            reason=reason,
            persons_editable=policy.persons_visible(current_user, operation),
        )
    except services.Conflict:
        raise ApiError(412, "someone saved this record while you wrote; read it again") from None


def change_handling(operation, body: dict) -> bool:
    policy.require(current_user, "change_handling", operation)
    if "handling_code" not in body:  # never H0 by omission: the record's code is changed only when said
        raise ApiError(422, "some fields are invalid", [{"field": "handling_code", "message": "required"}])
    form = HandlingForm(formdata=bodies.to_formdata(body), meta=NO_CSRF)
    _validated(form, body)
    if not form.check(operation.visibility):
        raise ApiError(422, "some fields are invalid", bodies.field_errors(form))
    version = expected_version(operation)  # after the body's checks: a bad body is 422 whatever its version
    try:
        return handling.change(current_user, operation, form.handling_choice(), version)
    except services.Conflict:
        raise ApiError(412, "someone changed this record meanwhile; read it again") from None


TRANSITIONS = {"submit": "submit", "return": "review", "approve": "review"}


def transition(operation, step: str, body: dict) -> None:
    policy.require(current_user, TRANSITIONS[step], operation)
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise ApiError(422, "comment: text", [{"field": "comment", "message": "a string or null"}])
    comment = (comment or "").strip()
    if step == "return" and len(comment) < 3:
        raise ApiError(422, "say what to fix", [{"field": "comment", "message": "required when returning"}])
    version = expected_version(operation)
    try:
        if step == "submit":
            try:
                workflow.submit(current_user, operation, version)
            except workflow.NotReady as missing:
                raise ApiError(422, "not ready to submit", [{"field": "grading", "message": str(missing)}]) from None
        elif step == "return":
            workflow.return_to_team(current_user, operation, version, comment)
        else:
            workflow.approve(current_user, operation, version, comment)
    except services.Conflict:
        raise ApiError(412, "someone changed this record meanwhile; read it again") from None


def location(operation) -> str:
    return url_for("api.operation", operation_id=operation.id)
