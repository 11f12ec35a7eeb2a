"""Telling both agencies' supervisors, through the inbox, that a seizure event of their records changed.

Each agency's supervisors hear of their own record (its reference, a link to
it) and of the other report by its agency's name only — what the record page
already shows them of a linked report — never the other record's content. The
items are written in the transaction of the step that causes them (an unlink,
an edit that removes or changes a linked seizure); the one who acted is not
told of their own step.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from ops.inbox import services as inbox
from ops.models import Agency, Operation, Seizure


@dataclass(frozen=True)
class Report:
    """One report of a seizure event, as its agency's supervisors are told of it."""

    seizure_id: int
    operation_id: int
    ref: str
    agency_id: int
    agency_name: str


def reports(db, seizure_ids) -> dict[int, Report]:
    """seizure id -> its report (read before a seizure is deleted: the inbox item outlives it)."""
    ids = sorted(set(seizure_ids))
    if not ids:
        return {}
    rows = db.execute(
        select(Seizure.id, Operation.id, Operation.ref, Agency.id, Agency.name)
        .join(Operation, Operation.id == Seizure.operation_id)
        .join(Agency, Agency.id == Seizure.owner_agency_id)
        .where(Seizure.id.in_(ids))
    ).all()
    return {row[0]: Report(*row) for row in rows}


def supervisors(db, actor, kind: str, first: Report, second: Report) -> None:
    """One inbox item per supervisor of each report's agency, about their own record."""
    for own, other in ((first, second), (second, first)):
        people = [user_id for user_id in inbox.supervisors_of(db, own.agency_id) if user_id != actor.id]
        params = {"ref": own.ref, "agency": other.agency_name}
        link = url_for("operations.view", operation_id=own.operation_id, _anchor="seizure-events")
        inbox.notify(db, people, kind, params, link=link, operation_id=own.operation_id)
