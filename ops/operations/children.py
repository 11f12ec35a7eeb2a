"""Seizures, persons and vehicles of an operation, written from the rows of its form.

Rows that carry the id of an existing child of *this* operation update it in
place (so its id, and anything that points at it, survives); other rows are
new; children with no row any more are deleted. An id belonging to another
operation is never honoured: it is looked up among this operation's children
only. A seizure's id is what its seizure event and its possible duplicates
hang on (ops/events), so a list of seizures that names no id at all (an API
body written without them) keeps a stored seizure where the row at its place
is the same seizure: same commodity, quantity and unit. Denormalised copies
(owner agency, date of the seizure) and normal forms (plates, document
numbers, names) are set here, on every save.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from ops import normalize, vocab
from ops.models import Operation, Person, Seizure, Vehicle
from ops.operations.schemas import PERSON_FIELDS, SEIZURE_FIELDS, VEHICLE_FIELDS, PersonIn, SeizureIn, VehicleIn


def children(db: Session, model, operation_id: int) -> list:
    return list(db.exec(select(model).where(model.operation_id == operation_id).order_by(model.id)).all())


def _sync(db: Session, model, operation: Operation, rows, fields, derived) -> list:
    """`derived(row)` gives the values computed from a row: normal forms, links, copies."""
    existing = {child.id: child for child in children(db, model, operation.id)}
    kept = []
    for row in rows:
        values = {**{name: getattr(row, name) for name in fields}, **derived(row)}
        child = existing.pop(row.id, None) if row.id is not None else None
        if child is None:
            child = model(operation_id=operation.id, **values)
        else:
            for name, value in values.items():
                setattr(child, name, value)
        db.add(child)
        kept.append(child)
    for gone in existing.values():
        db.delete(gone)
    return kept


def sync_seizures(db: Session, operation: Operation, rows: list[SeizureIn]) -> list[Seizure]:
    def derived(row):
        return {
            "owner_agency_id": operation.owner_agency_id,
            "occurred_at": operation.started_at,
            "kg_equivalent": vocab.kg_equivalent(row.commodity, row.unit, row.quantity),
        }

    rows = _matched_by_position(children(db, Seizure, operation.id), rows)
    seizures = _sync(db, Seizure, operation, rows, SEIZURE_FIELDS, derived)
    db.flush()  # new seizures get their ids: persons and vehicles may point at them
    return seizures


def _same_seizure(stored: Seizure, row: SeizureIn) -> bool:
    return (stored.commodity, stored.unit) == (row.commodity, row.unit) and Decimal(str(stored.quantity)) == Decimal(
        str(row.quantity)
    )


def _matched_by_position(stored: list[Seizure], rows: list[SeizureIn]) -> list[SeizureIn]:
    """Rows naming no stored seizure at all take the id of the stored seizure at their place (in the order of
    entry) where it is the same seizure; any other row is new. A list naming ids is left to them alone."""
    if any(row.id is not None for row in rows):
        return rows
    matched = []
    for place, row in enumerate(rows):
        old = stored[place] if place < len(stored) else None
        matched.append(row.model_copy(update={"id": old.id}) if old is not None and _same_seizure(old, row) else row)
    return matched


def _linked(seizures: list[Seizure], row_number: int | None) -> int | None:
    return seizures[row_number - 1].id if row_number else None


def sync_persons(db: Session, operation: Operation, rows: list[PersonIn], seizures: list[Seizure]) -> None:
    def derived(row):
        return {
            "name_norm": normalize.name(row.full_name),
            "name_spellings": normalize.spellings(row.full_name),
            "document_norm": normalize.identifier(row.document_number) or None,
            "seizure_id": _linked(seizures, row.seizure_row),
        }

    _sync(db, Person, operation, rows, PERSON_FIELDS, derived)


def sync_vehicles(db: Session, operation: Operation, rows: list[VehicleIn], seizures: list[Seizure]) -> None:
    def derived(row):
        return {"plate_norm": normalize.identifier(row.plate), "seizure_id": _linked(seizures, row.seizure_row)}

    _sync(db, Vehicle, operation, rows, VEHICLE_FIELDS, derived)


def keep_seizures_in_step(db: Session, operation: Operation) -> None:
    """The seizures' copies of the operation's owner and date, when only the operation changed."""
    for seizure in children(db, Seizure, operation.id):
        seizure.owner_agency_id, seizure.occurred_at = operation.owner_agency_id, operation.started_at
        db.add(seizure)
