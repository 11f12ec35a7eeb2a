"""Legal holds: a supervisor of the owning agency keeps a record's identities out of retention.

A hold is not part of the record's content: setting or lifting it does not
raise the record's version (an editor's open form stays valid), but each
change is an audit event and the record page shows the hold to its readers.
"""

from __future__ import annotations

from sqlalchemy import update

from ops.db import session
from ops.models import Operation, User, utcnow
from ops.operations.services import audit_operation

MAX_REASON = 1000


def set_hold(actor: User, operation: Operation, reason: str) -> bool:
    """Hold the record with a reason; False when it is held already (nothing written)."""
    return _write(actor, operation, True, reason.strip(), "legal_hold_set")


def lift_hold(actor: User, operation: Operation, reason: str) -> bool:
    """Lift the record's hold; False when it is not held (nothing written)."""
    return _write(actor, operation, False, reason.strip(), "legal_hold_lift")


def _write(actor: User, operation: Operation, held: bool, reason: str, action: str) -> bool:
    db = session()
    values = (
        {"legal_hold": True, "legal_hold_reason": reason, "legal_hold_at": utcnow(), "legal_hold_by_id": actor.id}
        if held
        else {"legal_hold": False, "legal_hold_reason": "", "legal_hold_at": None, "legal_hold_by_id": None}
    )
    # conditional: of two supervisors pressing at once, one changes it and the other is told it was done
    changed = db.execute(
        update(Operation)
        .where(Operation.id == operation.id, Operation.legal_hold.is_(not held))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.rollback()
        return False
    audit_operation(db, actor, action, operation, reason=reason)
    db.commit()
    db.expire(operation)
    return True
