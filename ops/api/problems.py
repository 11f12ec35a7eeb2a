"""Errors as application/problem+json (RFC 9457), with one message per field where it applies."""

from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    412: "Precondition failed",
    422: "Unprocessable content",
    428: "Precondition required",
}


def problem(status: int, detail: str, errors: list[dict] | None = None):
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "request_id": g.get("request_id", ""),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def field_errors(errors: list[dict]):
    """422 with each invalid field named: [{"field": "seizures.0.quantity", "message": "..."}]."""
    return problem(422, _("Some fields are invalid."), errors)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def handle_api_error(error: ApiError):
    return problem(error.status, error.detail, error.errors)
