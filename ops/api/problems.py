"""Errors as application/problem+json (RFC 9457), with one message per field where it applies."""

from __future__ import annotations

from flask_babel import gettext as _

from ops import errors as error_pages

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
    """The API's problem: a fixed English title per status (clients match on it), the detail in the user's language."""
    return error_pages.problem(status, TITLES.get(status, "Error"), detail, errors)


def field_errors(errors: list[dict]):
    """422 with each invalid field named: [{"field": "seizures.0.quantity", "message": "..."}]."""
    return problem(422, _("Some fields are invalid."), errors)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def handle_api_error(error: ApiError):
    return problem(error.status, error.detail, error.errors)
