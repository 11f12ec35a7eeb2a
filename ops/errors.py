"""Error pages that answer HTML or JSON, show the request id, and never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def wants_json() -> bool:
    """Does this request want problem+json rather than an HTML page? Every API path does."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def problem(status: int, title: str, detail: str | None = None, errors: list[dict] | None = None):
    """The one application/problem+json (RFC 9457) answer, with the request id and, where given, each bad field."""
    body = {"type": "about:blank", "title": title, "status": status, "request_id": g.get("request_id", "")}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do this."),
        404: _("There is nothing here."),
        405: _("This method is not allowed here."),
        409: _("Someone else changed this in the meantime."),
        412: _("The record has changed since you read it."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Wait a moment and try again."),
        500: _("Something went wrong on our side."),
    }


def render_error(status: int, detail: str | None = None):
    title = _titles().get(status, _("Error"))
    if wants_json():
        return problem(status, title, detail), status
    request_id = g.get("request_id", "")
    return render_template(
        "errors/error.html", status=status, title=title, detail=detail, request_id=request_id
    ), status


def _http_error(error: HTTPException):
    body, status = render_error(error.code or 500)
    response = current_app.make_response((body, status))
    allowed = getattr(error, "valid_methods", None)
    if allowed:  # a 405 says which methods would work (RFC 9110)
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _csrf_error(error: CSRFError):
    return render_error(400, _("The form had expired or was sent from elsewhere. Reload the page and try again."))


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    if "db_session" in g:  # nothing half-done may be committed by a later handler
        g.db_session.rollback()
    current_app.logger.exception("unhandled error, request %s", g.get("request_id", ""))
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
