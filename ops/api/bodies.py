"""JSON bodies -> the operation forms, so the API validates with exactly the pages' rules.

A body uses the form's field names; rows are lists of objects; an existing row
is named by its "id". Datetimes are ISO 8601 with a UTC offset. Errors come
back per field as "seizures.0.quantity".
"""

from __future__ import annotations

from datetime import datetime

from flask import request
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, FieldList, SelectMultipleField

from ops.api.problems import ApiError
from ops.operations.fields import user_zone

DATETIME_FIELDS = ("started_at", "ended_at")
ROW_LISTS = ("seizures", "persons", "vehicles")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object (Content-Type: application/json)")
    return body


def _local_time(name: str, value) -> str:
    """An aware ISO datetime -> the user's wall-clock text that the form field reads."""
    if value in (None, ""):
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(422, "invalid datetime", [{"field": name, "message": "an ISO 8601 date and time"}]) from None
    if moment.tzinfo is None:
        raise ApiError(
            422,
            "datetime without offset",
            [{"field": name, "message": "include a UTC offset, e.g. 2026-05-01T08:00:00+05:00"}],
        )
    return moment.astimezone(user_zone()).strftime(LOCAL_FORMAT)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "y" if value else ""
    return "" if value is None else str(value)


def _add_row(formdata: MultiDict, prefix: str, row) -> None:
    if not isinstance(row, dict):
        raise ApiError(422, "rows must be objects", [{"field": prefix.replace("-", "."), "message": "an object"}])
    for key, value in row.items():
        name = "key" if key == "id" else key
        if isinstance(value, list):  # e.g. transit countries; phone numbers have spaces inside
            value = ("; " if name == "phones" else " ").join(map(str, value))
        formdata.add(f"{prefix}-{name}", _scalar(value))


def to_formdata(body: dict) -> MultiDict:
    formdata = MultiDict()
    for key, value in body.items():
        if key in DATETIME_FIELDS:
            formdata.add(key, _local_time(key, value))
        elif key in ROW_LISTS:
            if not isinstance(value, list):
                raise ApiError(422, "rows must be a list", [{"field": key, "message": "a list of objects"}])
            for index, row in enumerate(value):
                _add_row(formdata, f"{key}-{index}", row)
        elif isinstance(value, list):
            for item in value:
                formdata.add(key, _scalar(item))
        else:
            formdata.add(key, _scalar(value))
    bad = sorted({name for name, value in formdata.items(multi=True) if "\x00" in value})
    if bad:  # PostgreSQL can neither store nor compare it
        raise ApiError(
            422,
            "NUL character",
            [{"field": name.replace("-", "."), "message": "contains a NUL character"} for name in bad],
        )
    return formdata


def _flatten_errors(errors, prefix: str = "") -> list[dict]:
    found = []
    for name, messages in errors.items():
        path = f"{prefix}{name}"
        if isinstance(messages, dict):
            found += _flatten_errors(messages, f"{path}.")
        elif isinstance(messages, list) and messages and isinstance(messages[0], (dict, list)):
            for index, item in enumerate(messages):
                if isinstance(item, dict):
                    found += _flatten_errors(item, f"{path}.{index}.")
        else:
            found += [{"field": path, "message": str(message)} for message in messages]
    return found


def field_errors(form) -> list[dict]:
    return _flatten_errors(form.errors)


def wrong_shapes(body: dict, form) -> list[dict]:
    """A list or an object where the field takes one value (a list of rows or choices is fine where taken), or
    true/false where the field is not a yes/no one."""
    wrong = []
    for key, value in body.items():
        field = form._fields.get(key)
        takes_many = key in ROW_LISTS or isinstance(field, (SelectMultipleField, FieldList))
        if field is not None and isinstance(value, (list, dict)) and not (takes_many and isinstance(value, list)):
            wrong.append({"field": key, "message": "one value" if not takes_many else "a list"})
        elif field is not None and isinstance(value, bool) and not isinstance(field, BooleanField):
            wrong.append({"field": key, "message": "not true or false"})
    return wrong


def unknown_fields(body: dict, form) -> list[dict]:
    """Fields the form does not take (owning agency, status, version...) are refused, not ignored."""
    allowed = set(form._fields) - {"csrf_token", "version", "opened_at"}
    return [{"field": key, "message": "not a field of this operation"} for key in body if key not in allowed]
