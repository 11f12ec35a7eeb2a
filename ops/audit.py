"""The audit trail: one append-only, hash-chained event per action.

`record()` adds the event to the caller's session, so it commits or rolls back
together with the change it describes. The chain is serialised by updating
the single `audithead` row first: on PostgreSQL that row lock orders
concurrent writers, on SQLite the update takes the database's write lock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import func, update
from sqlmodel import Session, select

from ops.models import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "ts",
    "user_id",
    "username",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "object_agency_id",
    "outcome",
    "request_id",
    "ip",
    "detail",
    "prev_hash",
)


def event_hash(event: AuditEvent) -> str:
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["ts"] = event.ts.isoformat(timespec="microseconds")
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _request_facts() -> tuple[str, str]:
    if not has_request_context():
        return "", ""
    return g.get("request_id", ""), (request.remote_addr or "")[:64]


def _acting_user(user):
    if user is not None:
        return user
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def record(
    session: Session,
    action: str,
    *,
    user=None,
    object_type: str = "",
    object_id: Any = "",
    object_agency_id: int | None = None,
    outcome: str = "ok",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    actor = _acting_user(user)
    request_id, ip = _request_facts()
    seq, prev_hash = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
    ).one()
    event = AuditEvent(
        seq=seq,
        ts=utcnow(),
        user_id=actor.id if actor else None,
        username=actor.username if actor else "",
        agency_id=actor.agency_id if actor else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_agency_id=object_agency_id,
        outcome=outcome,
        request_id=request_id,
        ip=ip,
        detail=json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str) if detail else "",
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = event_hash(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash))
    session.add(event)
    return event


def record_now(engine, action: str, **kwargs) -> None:
    """Write an event in a transaction of its own: for refusals and failed sign-ins,
    whose request is about to end without committing anything else."""
    with Session(engine) as own:
        record(own, action, **kwargs)
        own.commit()


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(session: Session) -> VerifyResult:
    """Walk the whole chain in order; name the first event that does not fit; then compare the head row."""
    events = session.exec(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000))
    try:
        broken = _first_break(events)
    finally:
        events.close()  # a break found early leaves a server-side cursor open otherwise
    if broken is not None:
        return broken
    checked = session.exec(select(func.count()).select_from(AuditEvent)).one()
    return _head_mismatch(session, checked) or VerifyResult(True, checked)


def _head_mismatch(session: Session, checked: int) -> VerifyResult | None:
    """The head row must name the last event: its number and its hash."""
    head = session.get(AuditHead, 1)
    if head is None:
        return VerifyResult(False, checked, checked + 1, "the head row is missing")
    if head.seq != checked:
        return VerifyResult(False, checked, checked + 1, f"the chain ends at {checked} but {head.seq} were written")
    last = session.exec(select(AuditEvent.hash).where(AuditEvent.seq == checked)).first() if checked else GENESIS
    if head.last_hash != last:
        return VerifyResult(False, checked, checked, "the head row's hash is not the last event's")
    return None


def _first_break(events) -> VerifyResult | None:
    expected_prev, expected_seq = GENESIS, 1
    for event in events:
        checked = expected_seq - 1
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.seq, "does not link to the event before it")
        if event_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, "its content does not match its hash")
        expected_prev, expected_seq = event.hash, expected_seq + 1
    return None
