"""The dry run: read the whole file once, check every row and the rows of each operation together.

The result, a Plan, lists every bad row (line, column, reason; the listing is
capped, the count is not) and what an import would do: which operations are
new, which exist already (natural keys per owning agency), which rows were
imported before and are skipped. Nothing is written to the database here (the file's seizure_ids
wait in a temporary file of their own while it is read: firstlines.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlmodel import Session

from ops import vocab
from ops.importer.firstlines import FirstLines
from ops.importer.reader import Source
from ops.importer.records import NARRATIVE_SEPARATOR
from ops.importer.rows import Row, RowError, RowParser
from ops.models import Agency, Operation, Seizure, Team
from ops.models_equipment import EquipmentItem

MAX_LISTED_ERRORS = 1000
PROGRESS_EVERY = 5000

Progress = Callable[[str, int, int], None]


def no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


@dataclass(slots=True)
class PlannedOperation:
    first_line: int
    team_id: int
    place_name: str
    rows: int = 0  # rows of the file that belong to it
    new_rows: int = 0  # of which not imported before
    existing_id: int | None = None
    # a million-row file plans hundreds of thousands of operations: a tuple of one or two agencies and no dict
    # until an item is named take a fraction of an empty set's and dict's memory each
    agencies: tuple[int, ...] = ()  # seizing agencies of its rows (they take part)
    equipment: dict | None = None  # item id -> (line, inventory number) of the column `equipment`
    # the operation's narrative is its rows' distinct narratives joined: its length so far, and the hash of
    # the text counted, a tuple of hashes only where there are several (a tuple each was 22 MB a million rows)
    narrative_chars: int = 0
    narratives: int | tuple[int, ...] = ()


@dataclass
class Existing:
    """What the owning agency imported before, by natural key."""

    operations: dict[str, tuple[int, int, str, int]]  # operation_ref -> (id, team id, place name, narrative length)
    seizures: dict[str, str]  # seizure_id -> operation_ref
    foreign_refs: set[str]  # "<code>-..." references not made by this agency's imports


@dataclass
class Plan:
    owner: Agency
    parser: RowParser
    existing: Existing
    team_names: dict[int, str]
    rows: int = 0
    bad_rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    operations: dict[str, PlannedOperation] = field(default_factory=dict)
    skipped: int = 0
    # inventory number -> (item id, agency id) of the programme's register, for the column `equipment`
    items: dict[str, tuple[int, int]] = field(default_factory=dict)
    # the few distinct tuples of seizing agencies, shared by the operations (one per operation: 22 MB a million rows)
    agency_tuples: dict[tuple[int, ...], tuple[int, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rows > 0 and self.error_count == 0

    @property
    def new_operations(self) -> int:
        return sum(1 for op in self.operations.values() if op.existing_id is None and op.new_rows)

    @property
    def new_seizures(self) -> int:
        return self.rows - self.skipped

    def add_errors(self, errors: list[RowError]) -> None:
        self.bad_rows += 1
        self.error_count += len(errors)
        room = MAX_LISTED_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "bad_rows": self.bad_rows,
            "errors": self.error_count,
            "operations_new": self.new_operations,
            "seizures_new": self.new_seizures,
            "skipped": self.skipped,
        }


def load_existing(db: Session, owner: Agency) -> Existing:
    operations = {
        key: (op_id, team_id, place, chars or 0)
        for key, op_id, team_id, place, chars in db.execute(
            select(
                Operation.import_key,
                Operation.id,
                Operation.owner_team_id,
                Operation.place_name,
                func.length(Operation.narrative),
            ).where(Operation.owner_agency_id == owner.id, Operation.import_key.is_not(None))
        )
    }
    seizures = dict(
        db.execute(
            select(Seizure.import_key, Operation.import_key)
            .join(Operation, Operation.id == Seizure.operation_id)
            .where(Seizure.owner_agency_id == owner.id, Seizure.import_key.is_not(None))
        ).all()
    )
    prefix = owner.code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
    foreign = set(
        db.execute(
            select(Operation.ref).where(
                Operation.ref.like(prefix, escape="\\"),
                or_(Operation.import_key.is_(None), Operation.owner_agency_id != owner.id),
            )
        ).scalars()
    )
    return Existing(operations, seizures, foreign)


def make_plan(db: Session, owner: Agency) -> Plan:
    # a seizing agency is a national one: a foreign counterpart office takes part in no record
    national = select(Agency).where(Agency.is_foreign_partner.is_(False))
    agencies, teams = db.execute(national).scalars().all(), db.execute(select(Team)).scalars().all()
    plan = Plan(
        owner, RowParser(agencies, teams, owner.code), load_existing(db, owner), {team.id: team.name for team in teams}
    )
    plan.items = {
        number: (item_id, agency_id)
        for number, item_id, agency_id in db.execute(
            select(EquipmentItem.inventory_number, EquipmentItem.id, EquipmentItem.agency_id)
        )
    }
    return plan


def check_file(db: Session, source: Source, owner: Agency, progress: Progress = no_progress) -> Plan:
    """Pass 1 over the file; raises reader.FileError when it is not the import format at all."""
    plan = make_plan(db, owner)
    with closing(FirstLines()) as first_line_of:  # its temporary file goes as soon as the rows are read
        _check_rows(plan, source, first_line_of, progress)
    for error in _check_equipment(plan):
        plan.add_errors([error])
    progress("checking", plan.rows, plan.rows)
    return plan


def _check_rows(plan: Plan, source: Source, first_line_of: FirstLines, progress: Progress) -> None:
    total = source.estimate_rows()
    for line, values in source.records():
        plan.rows += 1
        row, errors = plan.parser.parse(line, values)
        if row is not None:
            errors = _check_against_file(plan, row, first_line_of) + _check_against_database(plan, row)
            errors += _equipment_of_row(plan, row) if row.equipment else []
            if not errors:
                errors = _check_narrative(plan, row)
            if not errors:
                _count(plan, row)
        if errors:
            plan.add_errors(errors)
        if plan.rows % PROGRESS_EVERY == 0:
            progress("checking", plan.rows, max(total, plan.rows))


def _equipment_of_row(plan: Plan, row: Row) -> list[RowError]:
    """Every inventory number names an item of the register; the operation collects them."""
    errors, operation = [], plan.operations[row.operation_key]
    for number in row.equipment:
        found = plan.items.get(number)
        if found is None:
            errors.append(
                RowError(
                    row.line, "equipment", number, _l("no item of the equipment register has this inventory number")
                )
            )
        else:
            if operation.equipment is None:
                operation.equipment = {}
            operation.equipment.setdefault(found[0], (row.line, number))
    return errors


def _check_equipment(plan: Plan) -> list[RowError]:
    """Once the file is read: an item used belongs to an agency taking part (the owner or a seizing agency)."""
    agency_of = {item_id: agency_id for item_id, agency_id in plan.items.values()}
    errors = []
    for operation in plan.operations.values():
        if not operation.equipment:
            continue
        taking_part = {plan.owner.id, *operation.agencies}
        for item_id, (line, number) in sorted(operation.equipment.items(), key=lambda kv: kv[1]):
            if agency_of[item_id] not in taking_part:
                errors.append(
                    RowError(
                        line,
                        "equipment",
                        number,
                        _l("this item belongs to an agency that takes no part in the operation"),
                    )
                )
    return errors


def _check_against_file(plan: Plan, row: Row, first_line_of: FirstLines) -> list[RowError]:
    errors = []
    earlier = first_line_of.first_line(row.seizure_key, row.line)
    if earlier != row.line:
        errors.append(
            RowError(
                row.line, "seizure_id", row.seizure_key, _l("seizure_id appears already on line %(line)s", line=earlier)
            )
        )
    operation = plan.operations.get(row.operation_key)
    if operation is None:
        existing = plan.existing.operations.get(row.operation_key)
        operation = PlannedOperation(
            row.line,
            row.team_id,
            row.place_name,
            existing_id=existing[0] if existing else None,
            narrative_chars=existing[3] if existing else 0,
        )
        plan.operations[row.operation_key] = operation
    else:
        errors += _agrees(
            row,
            operation.team_id,
            operation.place_name,
            plan,
            lambda value: _l(
                "the rows of operation %(ref)s disagree: line %(line)s says %(value)s",
                ref=row.operation_key,
                line=operation.first_line,
                value=value,
            ),
        )
    return errors


def _check_against_database(plan: Plan, row: Row) -> list[RowError]:
    errors = []
    stored = plan.existing.operations.get(row.operation_key)
    if stored is not None:
        errors += _agrees(
            row,
            stored[1],
            stored[2],
            plan,
            lambda value: _l(
                "operation %(ref)s was imported earlier with %(value)s", ref=row.operation_key, value=value
            ),
        )
    elif f"{plan.owner.code}-{row.operation_key}" in plan.existing.foreign_refs:
        errors.append(
            RowError(
                row.line,
                "operation_ref",
                row.operation_key,
                _l(
                    "the reference %(ref)s is already used by another record",
                    ref=f"{plan.owner.code}-{row.operation_key}",
                ),
            )
        )
    imported_in = plan.existing.seizures.get(row.seizure_key)
    if imported_in is not None and imported_in != row.operation_key:
        errors.append(
            RowError(
                row.line,
                "seizure_id",
                row.seizure_key,
                _l("this seizure was imported earlier in operation %(ref)s", ref=imported_in),
            )
        )
    return errors


def _check_narrative(plan: Plan, row: Row) -> list[RowError]:
    """The joined narrative must stay within the one limit, or the record could not be amended."""
    operation = plan.operations[row.operation_key]
    text = row.narrative
    key = hash(text)
    if not text or row.seizure_key in plan.existing.seizures or _among(operation.narratives, key):
        return []
    grown = operation.narrative_chars + (len(NARRATIVE_SEPARATOR) if operation.narrative_chars else 0) + len(text)
    if grown > vocab.NARRATIVE_MAX_LENGTH:
        message = _l(
            "the narratives of operation %(ref)s together would be longer than %(max)s characters",
            ref=row.operation_key,
            max=vocab.NARRATIVE_MAX_LENGTH,
        )
        return [RowError(row.line, "narrative", text[:80], message)]
    operation.narrative_chars, operation.narratives = grown, _with(operation.narratives, key)
    return []


def _among(hashes: int | tuple[int, ...], key: int) -> bool:
    return key in hashes if isinstance(hashes, tuple) else key == hashes


def _with(hashes: int | tuple[int, ...], key: int) -> int | tuple[int, ...]:
    """The narratives' hashes with one more: the first alone, the others in a tuple."""
    if hashes == ():
        return key
    return (*hashes, key) if isinstance(hashes, tuple) else (hashes, key)


def _count(plan: Plan, row: Row) -> None:
    operation = plan.operations[row.operation_key]
    operation.rows += 1
    if row.agency_id not in operation.agencies:
        grown = (*operation.agencies, row.agency_id)
        operation.agencies = plan.agency_tuples.setdefault(grown, grown)
    if row.seizure_key in plan.existing.seizures:
        plan.skipped += 1
    else:
        operation.new_rows += 1


def _agrees(row: Row, team_id: int, place_name: str, plan: Plan, message) -> list[RowError]:
    """Rows of one operation share its team and place; `message(value)` says what the other one is."""
    errors = []
    if row.team_id != team_id:
        errors.append(
            RowError(row.line, "team", plan.team_names.get(row.team_id, ""), message(plan.team_names.get(team_id, "?")))
        )
    if row.place_name.lower() != place_name.lower():
        errors.append(RowError(row.line, "location", row.place_name, message(place_name)))
    return errors
