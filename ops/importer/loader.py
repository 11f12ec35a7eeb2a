"""Pass 2: stream the checked file again and write it in batches, inside the caller's one transaction.

Speed comes from doing per batch what a naive import does per row: ids are
taken for a whole batch at once, rows go in by the thousand (ops/importer/bulk.py),
and everything needed to decide is already in memory (the Plan): no query and
no commit per row. An operation is written when its last row has been read;
rows of one operation usually follow each other, so little waits in memory.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from ops import identifier_index
from ops.events import candidates
from ops.importer import records
from ops.importer.bulk import BulkWriter, IdAllocator
from ops.importer.extend import extend_operations
from ops.importer.reader import FileError, Source
from ops.importer.rows import Row
from ops.importer.statistics import Statistics
from ops.importer.validate import Plan, Progress
from ops.models import Operation, OperationAgency, OperationShare, Person, Seizure, Vehicle
from ops.models_equipment import OperationEquipment

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


class FileChanged(FileError):
    def __init__(self):
        super().__init__(_l("The file changed while it was being imported. Nothing was imported; check it again."))


class Loader:
    # possible duplicates of the new seizures are looked for as each batch is written (ops/events/candidates.py);
    # the benchmark turns this off to measure what the step costs
    find_duplicates = True

    def __init__(self, db: Session, plan: Plan, user_id: int | None, now: datetime, progress: Progress):
        self.db = db
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
        self.writer = BulkWriter(self.connection)
        self.statistics = Statistics(self.connection, least=BATCH_ROWS)
        # operations written or extended, once each (an operation is written when its last row is read): their
        # watchers are told once; 8 bytes an id, where a set of ints took 70 (30 MB a million rows)
        self.touched = array("q")
        self.new_seizures: tuple[int, int] | None = None  # the lowest and highest id of the seizures written

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
            self._equipment(operation_ids)
            identifier_index.reindex(self.connection, operation_ids.values())
            self.touched.extend(operation_ids.values())
            self.statistics.wrote(self.batch_rows)
            self.batch, self.batch_rows = [], 0
        self.progress("writing", self.rows_read, self.plan.rows)

    # --- operations ---------------------------------------------------------------------------
    def _operations(self) -> tuple[dict[str, int], dict[int, tuple[set, set]]]:
        """Insert the new operations, extend those imported before; their ids and known persons/vehicles."""
        new = [(key, rows) for key, rows in self.batch if self.plan.operations[key].existing_id is None]
        ids = self.operation_ids.take(len(new))
        self.writer.insert(
            OPERATION,
            [
                records.operation_values(op_id, key, rows, self.owner, self.user_id, self.now)
                for op_id, (key, rows) in zip(ids, new, strict=False)
            ],
        )
        members, shares = [], []
        for op_id, (_key, rows) in zip(ids, new, strict=False):
            taking_part, shared_with = records.participants(rows, self.owner.id)
            members += [{"operation_id": op_id, "agency_id": agency} for agency in sorted(taking_part)]
            # identities stay with the owning agency: no partner gets them from an import
            shares += [{"operation_id": op_id, "agency_id": agency, "persons": False} for agency in sorted(shared_with)]
        self.writer.insert(OperationAgency.__table__, members)
        self.writer.insert(OperationShare.__table__, shares)
        operation_ids = {key: op_id for op_id, (key, _rows) in zip(ids, new, strict=False)}
        known = {op_id: (set(), set()) for op_id in ids}
        extended = [(key, rows) for key, rows in self.batch if self.plan.operations[key].existing_id is not None]
        if extended:
            for key, _rows in extended:
                operation_ids[key] = self.plan.operations[key].existing_id
            known.update(
                extend_operations(
                    self.connection, self.owner.id, self.now, [(operation_ids[key], rows) for key, rows in extended]
                )
            )
        self.counts.operations += len(new)
        self.counts.operations_extended += len(extended)
        return operation_ids, known

    # --- equipment used: the union over an operation's rows -----------------------------------------
    def _equipment(self, operation_ids: dict[str, int]) -> None:
        wanted = {
            (operation_ids[key], self.plan.items[number][0])
            for key, rows in self.batch
            for row in rows
            for number in row.equipment
        }
        if not wanted:
            return
        extended = sorted({op_id for op_id, _item in wanted if op_id in self._extended_ids()})
        have = set()
        if extended:  # an operation imported before may have some of them already
            query = select(OperationEquipment.operation_id, OperationEquipment.item_id).where(
                OperationEquipment.operation_id.in_(extended)
            )
            have = {tuple(row) for row in self.connection.execute(query)}
        links = [{"operation_id": op_id, "item_id": item_id} for op_id, item_id in sorted(wanted - have)]
        self.writer.insert(OperationEquipment.__table__, links)

    def _extended_ids(self) -> set[int]:
        return {op.existing_id for op in self.plan.operations.values() if op.existing_id is not None}

    def _note_new(self, ids: list[int]) -> None:
        if ids:
            low, high = self.new_seizures or (min(ids), max(ids))
            self.new_seizures = (min(low, *ids), max(high, *ids))

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
        self.writer.insert(SEIZURE, seizures)
        self._note_new([values["id"] for values in seizures])
        self.writer.insert(Person.__table__, persons)
        self.writer.insert(Vehicle.__table__, vehicles)
        if self.find_duplicates and seizures:
            candidates.record(self.db, [values["id"] for values in seizures], "import")
        self.counts.seizures += len(seizures)
        self.counts.persons += len(persons)
        self.counts.vehicles += len(vehicles)
