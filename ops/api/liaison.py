"""Releases and heads-up messages as the API shows them, and a sent body as the pages' draft.

The rules are ops.liaison's (its services check, write and audit); this module only shapes answers.
A counterpart office's people never get the source record's reference or a refusal's reason.
"""

from __future__ import annotations

import json
from datetime import UTC

from flask import request
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from ops import policy
from ops.api import bodies
from ops.api.problems import ApiError
from ops.api.schemas_liaison import (
    HeadsUpPublic,
    HeadsUpReply,
    HeadsUpWrite,
    ReleaseExtract,
    ReleasePublic,
    ReleaseSummary,
)
from ops.liaison import headsups
from ops.models import Agency, Operation, User
from ops.models_liaison import HeadsUp, Release


def agency_codes(db: Session) -> dict[int, str]:
    return dict(db.execute(select(Agency.id, Agency.code)).all())


def release_summaries(db: Session, user: User, releases: list[Release]) -> list[ReleaseSummary]:
    codes, refs = agency_codes(db), _refs(db, user, releases)
    return [ReleaseSummary(**_summary_fields(release, codes, refs)) for release in releases]


def release_public(db: Session, user: User, release: Release) -> ReleasePublic:
    fields = _summary_fields(release, agency_codes(db), _refs(db, user, [release]))
    national = not policy.is_foreign_partner(user)
    return ReleasePublic(
        **fields,
        extract=ReleaseExtract.model_validate(json.loads(release.extract)),
        summary=release.summary,
        refusal_reason=release.closed_reason if national and release.status == "refused" else None,
    )


def _refs(db: Session, user: User, releases: list[Release]) -> dict[int, str]:
    """The source records' references, for the owning agency's own people only."""
    if policy.is_foreign_partner(user) or not releases:
        return {}
    ids = {release.operation_id for release in releases}
    return dict(db.execute(select(Operation.id, Operation.ref).where(Operation.id.in_(ids))).all())


def _summary_fields(release: Release, codes: dict[int, str], refs: dict[int, str]) -> dict:
    return {
        "id": release.id,
        "status": release.status,
        "from_agency": codes.get(release.owner_agency_id, ""),
        "to_agency": codes.get(release.to_agency_id, ""),
        "created_at": release.created_at,
        "approved_at": release.approved_at,
        "acknowledged_at": release.acknowledged_at,
        "closed_at": release.closed_at,
        "operation_ref": refs.get(release.operation_id),
    }


def headsup_public(message: HeadsUp, codes: dict[int, str]) -> HeadsUpPublic:
    return HeadsUpPublic(
        id=message.id,
        thread_id=message.thread_id,
        from_agency=codes.get(message.from_agency_id, ""),
        to_agency=codes.get(message.to_agency_id, ""),
        subject=message.subject,
        plate=message.plate,
        place_code=message.place_code,
        window_start=message.window_start,
        window_end=message.window_end,
        text=message.text,
        expires_at=message.expires_at,
        created_at=message.created_at,
        acknowledged_at=message.acknowledged_at,
    )


def _validated(model):
    """The JSON body checked against its schema: 400 when it is no JSON object, 422 naming each bad field."""
    bodies.json_body()
    try:
        return model.model_validate_json(request.get_data())
    except ValidationError as error:
        found = [
            {"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
            for item in error.errors(include_url=False)
        ]
        raise ApiError(422, "some fields are invalid", found) from None


def draft(db: Session) -> headsups.Draft:
    """POST /messages's body as the draft the page's form makes."""
    body = _validated(HeadsUpWrite)
    office = db.execute(select(Agency.id).where(Agency.code == body.to_agency.upper())).scalar_one_or_none()
    return headsups.Draft(
        to_agency_id=office,  # an unknown code is "not a counterpart of your agency", as on the page
        subject=body.subject,
        plate=body.plate or "",
        place_code=body.place_code or None,
        window_start=_utc(body.window_start, "window_start"),
        window_end=_utc(body.window_end, "window_end"),
        text=body.text,
        valid_hours=body.valid_hours,
    )


def reply_text() -> str:
    return _validated(HeadsUpReply).text


def _utc(moment, field: str):
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # the year 1 or 9999 with an offset lies outside what a date holds
        raise ApiError(422, "some fields are invalid", [{"field": field, "message": "out of range"}]) from None


def refused(error, status: int = 422):
    """A service's LiaisonError as the API's problem, naming its field."""
    return ApiError(status, error.message, [{"field": error.field, "message": error.message}])
