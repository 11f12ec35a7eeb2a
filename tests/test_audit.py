"""The audit trail: chained, append-only in the database, verified end to end."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from ops import audit
from ops.models import AuditEvent
from tests.support.databases import ON_POSTGRES


def _write_events(db, n: int) -> None:
    for i in range(n):
        audit.record(db, "test_action", object_type="thing", object_id=i, detail={"i": i})
    db.commit()


def test_events_are_chained(db):
    _write_events(db, 5)
    events = db.exec(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert audit.verify(db).ok


@pytest.mark.parametrize("statement", ["UPDATE auditevent SET action = 'x'", "DELETE FROM auditevent"])
def test_database_refuses_to_change_events(db, statement):
    _write_events(db, 2)
    with pytest.raises(DatabaseError, match="append-only"):
        db.exec(text(statement))
        db.commit()
    db.rollback()


def _bypass_append_only(db):
    """Play the attacker with database access: switch the guard off for this session."""
    if ON_POSTGRES:
        db.exec(text("SET session_replication_role = replica"))
    else:
        db.exec(text("DROP TRIGGER auditevent_no_update"))
        db.exec(text("DROP TRIGGER auditevent_no_delete"))


def test_verify_names_an_edited_event(db, runner):
    _write_events(db, 6)
    _bypass_append_only(db)
    db.exec(text("UPDATE auditevent SET detail = '{\"i\": 99}' WHERE seq = 4"))
    db.commit()
    result = audit.verify(db)
    assert not result.ok and result.broken_seq == 4 and "hash" in result.reason
    cli = runner.invoke(args=["audit", "verify"])
    assert cli.exit_code == 1 and "BROKEN at event 4" in cli.output


def test_verify_names_a_deleted_event(db):
    _write_events(db, 6)
    _bypass_append_only(db)
    db.exec(text("DELETE FROM auditevent WHERE seq = 3"))
    db.commit()
    result = audit.verify(db)
    assert not result.ok and result.broken_seq == 3


def test_verify_notices_the_last_event_deleted(db):
    _write_events(db, 4)
    _bypass_append_only(db)
    db.exec(text("DELETE FROM auditevent WHERE seq = 4"))
    db.commit()
    result = audit.verify(db)
    assert not result.ok and result.broken_seq == 4
