"""Query parameters of the list endpoints: every one checked, unknown ones refused.

A misspelt filter must answer 400, never silently return everything.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import request
from sqlmodel import select

from ops.api.problems import ApiError
from ops.db import session
from ops.models import Agency, Operation, Seizure
from ops.vocab import CATEGORIES, COMMODITIES, STATUSES

COMMON = {"limit", "cursor"}
OPERATION_FILTERS = {"status", "agency", "date_from", "date_to"}
SEIZURE_FILTERS = OPERATION_FILTERS | {"category", "commodity"}
DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _reject_unknown(allowed: set[str]) -> None:
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise ApiError(
            400,
            f"unknown query parameter(s): {', '.join(unknown)}",
            [{"field": name, "message": "unknown parameter"} for name in unknown],
        )


def only(allowed: set[str]) -> None:
    """400 for any query parameter outside `allowed` (an endpoint without filters takes none)."""
    _reject_unknown(allowed)


def limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(
            400,
            f"limit: a whole number from 1 to {MAX_LIMIT}",
            [{"field": "limit", "message": f"a whole number from 1 to {MAX_LIMIT}"}],
        )
    return int(raw)


def _date(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            400, f"{name}: a date as YYYY-MM-DD", [{"field": name, "message": "a date as YYYY-MM-DD"}]
        ) from None


def _choice(name: str, allowed) -> str | None:
    raw = request.args.get(name)
    if raw is not None and raw not in allowed:
        raise ApiError(400, f"{name}: unknown value", [{"field": name, "message": "unknown value"}])
    return raw


def _agency_id() -> int | None:
    code = request.args.get("agency")
    if code is None:
        return None
    found = session().exec(select(Agency.id).where(Agency.code == code.upper())).first()
    if found is None:
        raise ApiError(400, "agency: unknown agency code", [{"field": "agency", "message": "unknown agency code"}])
    return found


def _day(value: date) -> datetime:
    return datetime.combine(value, time.min, tzinfo=UTC)


def operation_conditions(allowed: set[str] = OPERATION_FILTERS | COMMON, started=Operation.started_at) -> list:
    _reject_unknown(allowed)
    conditions = []
    status = _choice("status", STATUSES)
    if status:
        conditions.append(Operation.status == status)
    agency_id = _agency_id()
    if agency_id is not None:
        conditions.append(Operation.owner_agency_id == agency_id)
    date_from, date_to = _date("date_from"), _date("date_to")
    if date_from and date_to and date_to < date_from:
        raise ApiError(400, "date_to is before date_from", [{"field": "date_to", "message": "before date_from"}])
    if date_from:
        conditions.append(started >= _day(date_from))
    if date_to:
        conditions.append(started < _day(date_to) + timedelta(days=1))
    return conditions


def seizure_conditions() -> list:
    conditions = operation_conditions(SEIZURE_FILTERS | COMMON, started=Seizure.occurred_at)
    category = _choice("category", CATEGORIES)
    if category:
        conditions.append(Seizure.category == category)
    commodity = _choice("commodity", COMMODITIES)
    if commodity:
        conditions.append(Seizure.commodity == commodity)
    return conditions
