"""The spreadsheet import of equipment items: every row checked first, then all rows or none.

The file is read by the seizure importer's reader (ops.importer.reader: CSV or
XLSX, the same messages for a file that is not one) with this format's columns;
bad rows are reported like the seizure importer's (RowError: line, column,
value, message). A check (dry run) writes no item; an import writes every item,
its first status and its assignment, and their audit events, in one transaction.
Both are audited (`equipment_import`, outcome checked / refused / ok).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ops import audit, policy, vocab
from ops.db import session
from ops.equipment.forms import NUMBER
from ops.equipment.services import MAKE_MODEL_MAX, NUMBER_MAX, VALUE_MAX, ItemInput, write_item
from ops.importer.reader import Columns, FileError, UncomputedFormula, WrongWidth, file_sha256, open_source
from ops.importer.rows import RowError
from ops.importer.validate import MAX_LISTED_ERRORS
from ops.models import Agency, Team, TeamMember, User
from ops.models_equipment import EquipmentItem, HandoverBatch

COLUMNS = Columns(
    (
        "kind",
        "make",
        "model",
        "serial",
        "inventory_number",
        "value",
        "currency",
        "status",
        "agency",
        "team_or_crossing_point",
        "batch",
    )
)


@dataclass(kw_only=True)
class ItemRow(ItemInput):
    """An item as the form gives it (ItemInput, the same fields and limits), and what only a row says."""

    line: int
    status: str
    batch: HandoverBatch  # of the row's agency (checked): the item's agency is its batch's


@dataclass
class Outcome:
    filename: str
    sha256: str = ""
    rows: list[ItemRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    written: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    def refuse(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        self.errors.extend(errors[: max(MAX_LISTED_ERRORS - len(self.errors), 0)])


class Lookups:
    """The register's reference data, read once per file (no query per row)."""

    def __init__(self, db):
        agencies = db.scalars(select(Agency)).all()
        self.agencies = {key.lower(): a for a in agencies for key in (a.code, a.name)}
        teams = db.scalars(select(Team)).all()
        self.teams = {key.lower(): t for t in teams for key in (t.code, t.name)}
        self.batches = {b.reference.lower(): b for b in db.scalars(select(HandoverBatch))}
        self.places = {key.lower(): p.code for p in vocab.PLACES if p.kind != "postal" for key in (p.code, p.name)}
        self.taking_part = set(db.execute(select(TeamMember.team_id, User.agency_id).join(User)).all())
        self.serials = set(db.execute(select(EquipmentItem.kind, EquipmentItem.serial)).all())
        self.inventory = set(db.scalars(select(EquipmentItem.inventory_number)))
        self.kinds = _by_code_and_label(vocab.EQUIPMENT_KINDS)
        self.statuses = _by_code_and_label(vocab.EQUIPMENT_STATUSES)


def _by_code_and_label(terms: dict) -> dict[str, str]:
    """A vocabulary's codes by code and by English label, in lower case ("xray_density_meter", "fibrescope")."""
    return {key.lower(): code for code, label in terms.items() for key in (code, str(label))}


def check_file(path: Path, filename: str, actor: User | None) -> Outcome:
    """Read and check every row; nothing is written."""
    outcome = Outcome(filename)
    try:
        source = open_source(path, COLUMNS)
        outcome.sha256 = file_sha256(path)
        checker = _RowChecker(Lookups(session()), actor)
        for line, values in source.records():
            row, errors = checker.check(line, values)
            if errors:
                outcome.refuse(errors)
            elif row is not None:
                outcome.rows.append(row)
    except FileError as error:
        outcome.file_error = str(error.message)
    if outcome.ok and not outcome.rows:
        outcome.file_error = _("The file holds no items.")
    return outcome


def import_file(path: Path, filename: str, actor: User | None, apply: bool) -> Outcome:
    """Check the file; with `apply` and no bad row, write every item in one transaction. Audited either way."""
    outcome = check_file(path, filename, actor)
    db = session()
    if outcome.ok and apply:
        try:
            outcome.written = _write(db, outcome, actor)
        except IntegrityError:  # someone registered the same serial or number meanwhile
            db.rollback()
            outcome.file_error = _("An item of the file was registered by someone else meanwhile: nothing imported.")
    result = "ok" if outcome.written else ("checked" if outcome.ok else "refused")
    audit.record(
        db,
        "equipment_import",
        user=actor,
        object_type="equipment",
        outcome=result,
        detail={
            "file": filename,
            "sha256": outcome.sha256,
            "items": outcome.written or len(outcome.rows),
            "bad_rows": outcome.error_count,
        },
    )
    db.commit()
    return outcome


def _write(db, outcome: Outcome, actor: User | None) -> int:
    reason = _("Imported from %(file)s", file=outcome.filename)
    user_id = actor.id if actor else None
    for row in outcome.rows:
        item = write_item(db, row.batch, row, row.status, reason, user_id)
        audit.record(
            db,
            "equipment_add",
            user=actor,
            object_type="equipmentitem",
            object_id=item.id,
            object_agency_id=item.agency_id,
            detail={"inventory_number": item.inventory_number, "kind": item.kind, "file": outcome.filename},
        )
    return len(outcome.rows)


class _RowChecker:
    """One row's values -> an ItemRow or the row's errors, each naming its column; remembers the file's keys."""

    def __init__(self, lookups: Lookups, actor: User | None):
        self.look = lookups
        self.actor = actor
        self.serial_lines: dict[tuple[str, str], int] = {}
        self.number_lines: dict[str, int] = {}

    def check(self, line: int, values: list[str]) -> tuple[ItemRow | None, list[RowError]]:
        if isinstance(values, WrongWidth):
            message = _l(
                "This line has %(found)s values; the first line names %(expected)s columns.",
                found=len(values),
                expected=values.expected,
            )
            return None, [RowError(line, "", "", message)]
        cells = dict(zip(COLUMNS.all, (str(v).strip() for v in values), strict=False))
        formulas = [name for name, raw in zip(COLUMNS.all, values, strict=False) if _is_formula(raw)]
        if formulas:
            return None, [RowError(line, name, "", _l("A formula without a saved value.")) for name in formulas]
        errors: list[RowError] = []

        def bad(column: str, message) -> None:
            errors.append(RowError(line, column, cells[column], message))

        kind = self._kind(cells, bad)
        make, model = self._text(cells, "make", bad), self._text(cells, "model", bad)
        serial = self._number(cells, "serial", bad)
        number = self._number(cells, "inventory_number", bad)
        value = self._value(cells, bad)
        currency = self._currency(cells, bad)
        status = self._status(cells, bad)
        agency = self._agency(cells, bad)
        batch = self._batch(cells, agency, bad)
        team_id, place_code = self._place(cells, agency, bad)
        self._unique(line, kind, serial, number, bad)
        if errors:
            return None, errors
        fields = (kind, make, model, serial, number, value, currency, team_id, place_code)
        return ItemRow(*fields, line=line, status=status, batch=batch), []

    def _kind(self, cells, bad) -> str:
        kind = self.look.kinds.get(cells["kind"].lower(), "")
        if not kind:
            bad("kind", _l("Unknown kind of equipment. Use one of: %(kinds)s.", kinds=", ".join(vocab.EQUIPMENT_KINDS)))
        return kind

    def _text(self, cells, column: str, bad) -> str:
        if len(cells[column]) > MAKE_MODEL_MAX:
            bad(column, _l("At most %(n)s characters.", n=MAKE_MODEL_MAX))
        return cells[column]

    def _number(self, cells, column: str, bad) -> str:
        text = cells[column]
        if not text:
            bad(column, _l("Required."))
        elif len(text) > NUMBER_MAX:
            bad(column, _l("At most %(n)s characters.", n=NUMBER_MAX))
        elif not NUMBER.regex.match(text):
            bad(column, NUMBER.message)
        return text

    def _value(self, cells, bad) -> Decimal | None:
        text = cells["value"]
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value > VALUE_MAX:
            bad("value", _l("A value is a number from 0 to 100,000,000,000 with a dot for decimals, e.g. 1250.50."))
            return None
        if value.as_tuple().exponent < -2:
            bad("value", _l("At most 2 decimals."))
        return value

    def _currency(self, cells, bad) -> str:
        currency = (cells["currency"] or "USD").upper()
        if currency not in vocab.CURRENCIES:
            bad("currency", _l("Unknown currency. Use one of: %(codes)s.", codes=", ".join(vocab.CURRENCIES)))
        return currency

    def _status(self, cells, bad) -> str:
        status = self.look.statuses.get((cells["status"] or "in_service").lower(), "")
        if not status:
            bad("status", _l("Unknown status. Use one of: %(codes)s.", codes=", ".join(vocab.EQUIPMENT_STATUSES)))
        return status

    def _agency(self, cells, bad) -> Agency | None:
        agency = self.look.agencies.get(cells["agency"].lower())
        if agency is None:
            bad("agency", _l("Unknown agency: give its code or name."))
        elif agency.is_programme:
            bad("agency", _l("A programme organisation receives no equipment: name the recipient agency."))
        elif not self._may_import(agency):
            bad("agency", _l("You may import the items of your own agency only."))
        return agency

    def _may_import(self, agency: Agency) -> bool:
        """The command line (no user) imports for any agency; on the page, the policy decides per row."""
        return self.actor is None or policy.can(self.actor, "import_equipment", SimpleNamespace(agency_id=agency.id))

    def _batch(self, cells, agency: Agency | None, bad) -> HandoverBatch | None:
        batch = self.look.batches.get(cells["batch"].lower())
        if batch is None:
            bad("batch", _l("Unknown handover batch: give the reference of a registered batch."))
        elif agency is not None and batch.agency_id != agency.id:
            bad("batch", _l("This batch was handed over to another agency: an item belongs to its batch's agency."))
        return batch

    def _place(self, cells, agency: Agency | None, bad) -> tuple[int | None, str | None]:
        text = cells["team_or_crossing_point"].lower()
        if not text:
            return None, None
        team = self.look.teams.get(text)
        if team is not None:
            if agency is not None and (team.id, agency.id) not in self.look.taking_part:
                bad(
                    "team_or_crossing_point",
                    _l("The item's agency takes no part in this team (no officer of it is a member)."),
                )
            return team.id, None
        place = self.look.places.get(text)
        if place is None:
            bad("team_or_crossing_point", _l("Neither a team nor a crossing point: give a team's or a place's code."))
        return None, place

    def _unique(self, line: int, kind: str, serial: str, number: str, bad) -> None:
        if kind and serial:
            first = self.serial_lines.setdefault((kind, serial), line)
            if (kind, serial) in self.look.serials:
                bad("serial", _l("An item of this kind with this serial number is already registered."))
            elif first != line:
                bad("serial", _l("The same kind and serial number as line %(line)s.", line=first))
        if number:
            first = self.number_lines.setdefault(number, line)
            if number in self.look.inventory:
                bad("inventory_number", _l("This inventory number is already in use."))
            elif first != line:
                bad("inventory_number", _l("The same inventory number as line %(line)s.", line=first))


def _is_formula(raw) -> bool:
    return isinstance(raw, UncomputedFormula)
