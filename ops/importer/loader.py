"""Pass 2: stream the checked file again and write it in batches, inside the caller's one transaction.

Speed comes from doing per batch what a naive import does per row: ids are
taken for a whole batch at once (a sequence range on PostgreSQL; on SQLite,
which has one writer, counting on from max(id) under the write lock), rows go
in with executemany (insertmanyvalues), and everything needed to decide is
already in memory (the Plan). An operation is written when its last row has
been read; rows of one operation usually follow each other, so little waits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, text
from sqlmodel import Session

from ops.importer import records
from ops.importer.extend import extend_operations
from ops.importer.reader import FileError, Source
from ops.importer.rows import Row
from ops.importer.validate import Plan, Progress
from ops.models import Operation, OperationAgency, OperationShare, Person, Seizure, Vehicle

BATCH_ROWS = 2000
OPERATION, SEIZURE = Operation.__table__, Seizure.__table__


@dataclass
class Counts:
    operations: int = 0
    operations_extended: int = 0
    seizures: int = 0
    persons: int = 0
    vehicles: int = 0
    skipped: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class IdAllocator:
    """Hands out primary keys for a table, a batch at a time."""

    def __init__(self, connection, table):
        self.connection, self.table, self.next_id = connection, table, None

    def take(self, count: int) -> list[int]:
        if count == 0:
            return []
        if self.connection.dialect.name == "postgresql":
            return list(self.connection.execute(text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
                {"table": self.table.name, "count": count}).scalars())
        if self.next_id is None:  # SQLite: safe because the caller holds the write lock (BEGIN IMMEDIATE)
            self.next_id = self.connection.execute(select(func.coalesce(func.max(self.table.c.id), 0))).scalar() + 1
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        return ids


class FileChanged(FileError):
    def __init__(self):
        super().__init__(_l("The file changed while it was being imported. Nothing was imported; check it again."))


class Loader:
    def __init__(self, db: Session, plan: Plan, user_id: int | None, now: datetime, progress: Progress):
        self.connection = db.connection()
        self.plan, self.user_id, self.now, self.progress = plan, user_id, now, progress
        self.owner = plan.owner
        self.operation_ids = IdAllocator(self.connection, OPERATION)
        self.seizure_ids = IdAllocator(self.connection, SEIZURE)
        self.pending: dict[str, list[Row | None]] = {}
        self.batch: list[tuple[str, list[Row]]] = []
        self.batch_rows = 0
        self.rows_read = 0
        self.counts = Counts()
        self.inserters: dict[tuple, ExecuteMany] = {}

    def inserter(self, table, columns: list[str]) -> "ExecuteMany":
        key = (table.name, tuple(columns))
        if key not in self.inserters:
            self.inserters[key] = ExecuteMany(self.connection.dialect, table, columns)
        return self.inserters[key]

    def run(self, source: Source) -> Counts:
        for line, values in source.records():
            row, errors = self.plan.parser.parse(line, values)
            if errors or row.operation_key not in self.plan.operations:
                raise FileChanged()
            self._add(row)
        self._flush()
        if self.pending or self.rows_read != self.plan.rows:
            raise FileChanged()
        return self.counts

    def _add(self, row: Row) -> None:
        self.rows_read += 1
        rows = self.pending.setdefault(row.operation_key, [])
        rows.append(None if row.seizure_key in self.plan.existing.seizures else row)
        if len(rows) < self.plan.operations[row.operation_key].rows:
            return
        del self.pending[row.operation_key]
        new = [item for item in rows if item is not None]
        self.counts.skipped += len(rows) - len(new)
        if new:
            self.batch.append((row.operation_key, new))
            self.batch_rows += len(new)
            if self.batch_rows >= BATCH_ROWS:
                self._flush()

    def _flush(self) -> None:
        if self.batch:
            operation_ids, known = self._operations()
            self._seizures(operation_ids, known)
            self.batch, self.batch_rows = [], 0
        self.progress("writing", self.rows_read, self.plan.rows)

    # --- operations ---------------------------------------------------------------------------
    def _operations(self) -> tuple[dict[str, int], dict[int, tuple[set, set]]]:
        """Insert the new operations, extend those imported before; their ids and known persons/vehicles."""
        new = [(key, rows) for key, rows in self.batch if self.plan.operations[key].existing_id is None]
        ids = self.operation_ids.take(len(new))
        self._insert(OPERATION, [records.operation_values(op_id, key, rows, self.owner, self.user_id, self.now)
                                 for op_id, (key, rows) in zip(ids, new)])
        members, shares = [], []
        for op_id, (_key, rows) in zip(ids, new):
            taking_part, shared_with = records.participants(rows, self.owner.id)
            members += [{"operation_id": op_id, "agency_id": agency} for agency in sorted(taking_part)]
            shares += [{"operation_id": op_id, "agency_id": agency} for agency in sorted(shared_with)]
        self._insert(OperationAgency.__table__, members)
        self._insert(OperationShare.__table__, shares)
        operation_ids = {key: op_id for op_id, (key, _rows) in zip(ids, new)}
        known = {op_id: (set(), set()) for op_id in ids}
        extended = [(key, rows) for key, rows in self.batch if self.plan.operations[key].existing_id is not None]
        if extended:
            for key, _rows in extended:
                operation_ids[key] = self.plan.operations[key].existing_id
            known.update(extend_operations(self.connection, self.owner.id, self.now,
                                           [(operation_ids[key], rows) for key, rows in extended]))
        self.counts.operations += len(new)
        self.counts.operations_extended += len(extended)
        return operation_ids, known

    # --- seizures, persons, vehicles -------------------------------------------------------------
    def _seizures(self, operation_ids: dict[str, int], known: dict[int, tuple[set, set]]) -> None:
        ids = iter(self.seizure_ids.take(self.batch_rows))
        seizures, persons, vehicles = [], [], []
        for key, rows in self.batch:
            op_id = operation_ids[key]
            people, plates = known[op_id]
            for row in rows:
                seizure_id = next(ids)
                seizures.append(records.seizure_values(seizure_id, op_id, self.owner.id, row, self.now))
                person = records.person_key(row)
                if person is not None and person not in people:
                    people.add(person)
                    persons.append(records.person_values(op_id, seizure_id, row, person))
                plate = records.vehicle_key(row)
                if plate is not None and plate not in plates:
                    plates.add(plate)
                    vehicles.append(records.vehicle_values(op_id, seizure_id, row, plate))
        self._insert(SEIZURE, seizures)
        self._insert(Person.__table__, persons)
        self._insert(Vehicle.__table__, vehicles)
        self.counts.seizures += len(seizures)
        self.counts.persons += len(persons)
        self.counts.vehicles += len(vehicles)

    def _insert(self, table, values: list[dict]) -> None:
        if not values:
            return
        if self.connection.dialect.name == "postgresql":
            copy_rows(self.connection, table, values)
        else:
            self.inserter(table, list(values[0])).run(self.connection, values)


class ExecuteMany:
    """One INSERT compiled once and run with executemany over rows converted by the columns' own bind
    processors (SQLAlchemy's: what is stored is exactly what the ORM would store). It saves Core's
    per-row parameter handling, and a value met again in a column (the batch's timestamp) is converted once."""

    def __init__(self, dialect, table, columns: list[str]):
        compiled = insert(table).compile(dialect=dialect, column_keys=columns)
        self.sql = str(compiled)
        self.columns = list(compiled.positiontup) if compiled.positional else columns
        self.processors = [table.c[column].type._cached_bind_processor(dialect) for column in self.columns]

    def run(self, connection, values: list[dict]) -> None:
        plan = list(zip(self.columns, self.processors))
        last_in, last_out = [None] * len(plan), [None] * len(plan)
        rows = []
        for row in values:
            converted = []
            for index, (column, processor) in enumerate(plan):
                value = row[column]
                if processor is not None and value is not None:
                    if value is not last_in[index]:
                        last_in[index], last_out[index] = value, processor(value)
                    value = last_out[index]
                converted.append(value)
            rows.append(tuple(converted))
        connection.exec_driver_sql(self.sql, rows)


def copy_rows(connection, table, values: list[dict]) -> None:
    """PostgreSQL's COPY, inside the caller's transaction: several times faster than multi-row INSERTs.

    Every value is already what the column holds (aware datetimes, Decimals, codes); psycopg adapts
    them by their Python type, as it would for an INSERT.
    """
    columns = list(values[0])
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row([row[column] for column in columns])

