"""A record's hit settings, kept by its owning agency's supervisors: silent, and who gets hits of an H2/H3 record."""

from __future__ import annotations

from sqlalchemy import delete, select

from ops import audit
from ops.models import Agency, Operation, OperationHitAgency


def hit_agency_ids(db, operation_id: int) -> list[int]:
    query = select(OperationHitAgency.agency_id).where(OperationHitAgency.operation_id == operation_id)
    return sorted(db.execute(query).scalars())


def other_agencies(db, operation: Operation) -> list[Agency]:
    query = select(Agency).where(Agency.id != operation.owner_agency_id, Agency.is_programme.is_(False))
    return list(db.execute(query.order_by(Agency.name)).scalars())


def save(db, user, operation: Operation, silent: bool, agency_ids: list[int]) -> bool:
    """False when nothing changed. The caller has checked policy "set_hits" and the agency ids."""
    before = (operation.silent, hit_agency_ids(db, operation.id))
    wanted = sorted(set(agency_ids))
    if before == (silent, wanted):
        return False
    if operation.silent != silent:
        db.execute(
            Operation.__table__.update().where(Operation.id == operation.id).values(silent=silent)
        )  # not a content change: the record's version (and so open edit forms) stays as it is
    db.execute(delete(OperationHitAgency).where(OperationHitAgency.operation_id == operation.id))
    for agency_id in wanted:
        db.add(OperationHitAgency(operation_id=operation.id, agency_id=agency_id))
    audit.record(
        db,
        "operation_hits",
        user=user,
        object_type="operation",
        object_id=operation.id,
        object_agency_id=operation.owner_agency_id,
        detail={"ref": operation.ref, "silent": silent, "agency": wanted},
    )
    db.commit()
    db.refresh(operation)
    return True
