"""Reading the audit trail, always through the policy's SQL filters."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import String, cast, func
from sqlmodel import select

from ops import audit, policy
from ops.db import session
from ops.models import Agency, AuditEvent, Operation, local_name_sql

PAGE_SIZE = 50
REFUSED = "refused"  # the action filter's choice for every refusal ("refused:<action>")


def _record_condition(text: str):
    """A record is named by its database id or by its reference."""
    text = text.strip()
    if not text.isdigit():
        found = session().exec(select(Operation.id).where(Operation.ref == text)).first()
        text = str(found) if found is not None else "-"
    return (AuditEvent.object_type == "operation") & (AuditEvent.object_id == text)


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered_events(user, filters: dict) -> tuple[list[AuditEvent], int | None]:
    """One page of events (newest first) the user may read, and the cursor of the next page."""
    query = select(AuditEvent).where(policy.visible_audit_events(user))
    if filters.get("username"):
        query = query.where(AuditEvent.username == filters["username"].strip())
    if filters.get("agency"):
        query = query.where(AuditEvent.agency_id == int(filters["agency"]))
    if filters.get("record"):
        query = query.where(_record_condition(filters["record"]))
    if filters.get("action") == REFUSED:
        query = query.where(AuditEvent.action.startswith("refused:"))
    elif filters.get("action"):
        query = query.where(AuditEvent.action == filters["action"])
    if filters.get("outcome"):
        query = query.where(AuditEvent.outcome == filters["outcome"])
    if filters.get("date_from"):
        query = query.where(AuditEvent.ts >= _day_start(filters["date_from"]))
    if filters.get("date_to"):
        query = query.where(AuditEvent.ts < _day_start(filters["date_to"]) + timedelta(days=1))
    if filters.get("before"):
        query = query.where(AuditEvent.seq < filters["before"])  # keyset: fast on any page
    rows = session().exec(query.order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE + 1)).all()
    next_cursor = rows[PAGE_SIZE - 1].seq if len(rows) > PAGE_SIZE else None
    audit.record(session(), "audit_read", object_type="audit", detail={k: str(v) for k, v in filters.items() if v})
    session().commit()
    return rows[:PAGE_SIZE], next_cursor


def outside_readers(user, operation_id: int | None = None) -> list[tuple]:
    """Who outside the agency viewed its records: record, reader's agency, user, count, last time."""
    query = (
        select(
            Operation.id,
            Operation.ref,
            Operation.title,
            local_name_sql(Agency),
            AuditEvent.username,
            func.count(AuditEvent.id),
            func.max(AuditEvent.ts),
        )
        .join(Operation, AuditEvent.object_id == cast(Operation.id, String))
        .join(Agency, Agency.id == AuditEvent.agency_id)
        .where(policy.outside_reads_of_own_records(user), Operation.owner_agency_id == user.agency_id)
        .group_by(Operation.id, Operation.ref, Operation.title, Agency.id, AuditEvent.username)
        .order_by(func.max(AuditEvent.ts).desc())
        .limit(500)
    )
    if operation_id is not None:
        query = query.where(Operation.id == operation_id)
    return session().exec(query).all()


def agencies() -> list[Agency]:
    return session().exec(select(Agency).order_by(Agency.name)).all()


def agency_names() -> dict[int, str]:
    return {agency.id: agency.code for agency in agencies()}
