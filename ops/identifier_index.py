"""The index of normalised identifiers (IdentifierKey): plates, document numbers, phone numbers, name keys.

Hits and phone lookups read only this index (an indexed equality on kind and
value), never the records. It is rebuilt per operation from the operation's
persons and vehicles:

- by every ORM write: a flush that adds, changes or deletes a person or a
  vehicle reindexes their operations in the same transaction (`_after_flush`);
- by bulk writers (the importer), which call `reindex` for the operations of
  each batch they wrote.

Name keys are names.key of each part of a person's name, so that "Rahimov
Jasur" in Latin or Cyrillic, in any order, finds the same person (names.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from ops import names, phones
from ops.models import IdentifierKey, Person, Vehicle

_CHUNK = 500
_VALUE_LENGTH = 64


def _rows_of(connection, operation_ids: list[int]) -> list[dict]:
    rows: list[dict] = []
    for operation_id, plate_norm in connection.execute(
        select(Vehicle.operation_id, Vehicle.plate_norm).where(Vehicle.operation_id.in_(operation_ids))
    ):
        if plate_norm:
            rows.append(_row(operation_id, None, "plate", plate_norm))
    people = select(Person.id, Person.operation_id, Person.full_name, Person.document_norm, Person.phones).where(
        Person.operation_id.in_(operation_ids)
    )
    for person_id, operation_id, full_name, document_norm, numbers in connection.execute(people):
        if document_norm:
            rows.append(_row(operation_id, person_id, "document", document_norm))
        rows += [_row(operation_id, person_id, "phone", number) for number in phones.stored(numbers)]
        rows += [_row(operation_id, person_id, "name", part) for part in sorted(names.keys(full_name)) if part]
    # one row per (operation, person, kind, value): a plate on two vehicles of one record counts once
    return list({tuple(r.values()): r for r in rows}.values())


def _row(operation_id: int, person_id: int | None, kind: str, value: str) -> dict:
    return {"operation_id": operation_id, "person_id": person_id, "kind": kind, "value": value[:_VALUE_LENGTH]}


def reindex(connection, operation_ids: Iterable[int]) -> None:
    """Rebuild the index rows of these operations (on the caller's connection and transaction)."""
    ids = sorted({i for i in operation_ids if i is not None})
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        connection.execute(delete(IdentifierKey).where(IdentifierKey.operation_id.in_(chunk)))
        rows = _rows_of(connection, chunk)
        if rows:
            connection.execute(insert(IdentifierKey), rows)


def _touched(session: Session) -> set[int]:
    found = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Person, Vehicle)) and obj.operation_id is not None:
            found.add(obj.operation_id)
    return found


@event.listens_for(Session, "before_flush")
def _remember(session: Session, _context, _instances) -> None:
    session.info.setdefault("identifier_index_pending", set()).update(_touched(session))


@event.listens_for(Session, "after_flush_postexec")
def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop("identifier_index_pending", None)
    if pending:
        reindex(session.connection(), pending)
