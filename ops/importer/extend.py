"""Operations imported before that a new file adds seizures to: what they hold, and their update.

Rare compared with new operations, so plain chunked queries (a few per batch,
never one per row) are enough.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select, update

from ops.importer import records
from ops.importer.reader import FileError
from ops.models import Operation, OperationAgency, OperationShare, Person, Vehicle

IN_CHUNK = 500
OPERATION = Operation.__table__


class ChangedMeanwhile(FileError):
    def __init__(self):
        super().__init__(
            _l(
                "Someone changed an operation of this file while it was being imported. "
                "Nothing was imported; import the file again."
            )
        )


def chunks(items: list, size: int = IN_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select_in(connection, columns, key_column, ids: list[int]):
    for chunk in chunks(ids):
        yield from connection.execute(select(*columns).where(key_column.in_(chunk)))


def extend_operations(
    connection, owner_id: int, now: datetime, items: list[tuple[int, list]]
) -> dict[int, tuple[set, set]]:
    """Update each (operation id, new rows) and return the persons and plates each already has."""
    ids = [op_id for op_id, _rows in items]
    stored = {
        row.id: row
        for row in _select_in(
            connection,
            [
                OPERATION.c.id,
                OPERATION.c.narrative,
                OPERATION.c.visibility,
                OPERATION.c.handling_code,
                OPERATION.c.handling_conditions,
                OPERATION.c.grading,
                OPERATION.c.started_at,
                OPERATION.c.ended_at,
                OPERATION.c.version,
            ],
            OPERATION.c.id,
            ids,
        )
    }
    _update(connection, [records.extended_operation(stored[op_id], rows, now) for op_id, rows in items])
    _add_participants(connection, owner_id, items)
    known = {op_id: (set(), set()) for op_id in ids}
    for op_id, name_norm, document_norm in _select_in(
        connection, [Person.operation_id, Person.name_norm, Person.document_norm], Person.operation_id, ids
    ):
        known[op_id][0].add((name_norm, document_norm or ""))
    for op_id, plate_norm in _select_in(
        connection, [Vehicle.operation_id, Vehicle.plate_norm], Vehicle.operation_id, ids
    ):
        known[op_id][1].add(plate_norm)
    return known


def _update(connection, values: list[dict]) -> None:
    statement = (
        update(OPERATION)
        .where(OPERATION.c.id == bindparam("b_id"), OPERATION.c.version == bindparam("b_version"))
        .values(version=OPERATION.c.version + 1)
    )
    result = connection.execute(statement, values)
    if connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(values):
        raise ChangedMeanwhile()


def _add_participants(connection, owner_id: int, items: list[tuple[int, list]]) -> None:
    """New seizing agencies take part, and are shared with as on a first import. An agency that
    took part before keeps whatever sharing a supervisor left it with: nothing is re-shared."""
    ids = [op_id for op_id, _rows in items]
    before = {
        tuple(row)
        for row in _select_in(
            connection, [OperationAgency.operation_id, OperationAgency.agency_id], OperationAgency.operation_id, ids
        )
    }
    members, shares = [], []
    for op_id, rows in items:
        taking_part, _shared = records.participants(rows, owner_id)
        for agency_id in sorted(taking_part):
            if (op_id, agency_id) not in before:
                members.append({"operation_id": op_id, "agency_id": agency_id})
                if agency_id != owner_id:
                    shares.append({"operation_id": op_id, "agency_id": agency_id})
    already_shared = {
        tuple(row)
        for row in _select_in(
            connection, [OperationShare.operation_id, OperationShare.agency_id], OperationShare.operation_id, ids
        )
    }
    shares = [share for share in shares if (share["operation_id"], share["agency_id"]) not in already_shared]
    if members:
        connection.execute(insert(OperationAgency.__table__), members)
    if shares:
        connection.execute(insert(OperationShare.__table__), shares)
