"""Exports of a result set: CSV, XLSX and a UNODC Individual Drug Seizures sheet.

Rows are read in batches (yield_per) and written as they come: CSV goes to
the client line by line; XLSX is written by openpyxl's write-only workbook to
a temporary file, then streamed. Persons appear only where the reader may see
them; narratives are masked the same way as on the result page. Cells that a
spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import namedtuple
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter

from flask import Response, current_app, stream_with_context
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, not_, select
from sqlmodel import Session

from ops import db as database
from ops import normalize, policy, used_equipment, vocab
from ops.models import Operation, Person, Seizure, Vehicle, utcnow
from ops.search.language.query import SearchQuery
from ops.search.sql import backends, counting, results
from ops.search.sql.filters import Scope, matching

BATCH = 2000
CSV_CHUNK = 32 * 1024
CSV_ROWS_PER_WRITE = 32
MAX_XLSX_ROWS = 1_048_575  # a sheet's limit, less the header
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEFT_OUT_HEADER = "X-Ops-Left-Out"  # seizures left out of an export (H2 records of other agencies)


def defuse(value):
    """Text that Excel or LibreOffice would evaluate becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(slots=True)
class ExportRow:
    seizure: SeizureRow  # the seizure's columns that exports write, and whether it counts in totals
    operation: OperationRow  # its operation's columns that exports write, and whether its persons are shown
    agency: str
    team: str
    plates: str
    persons: str
    narrative: str
    title: str = ""
    concealment_detail: str = ""
    handling_conditions: str = ""
    equipment: str = ""  # the programme's items used in the operation
    counted: bool = True  # counts in the totals (ops/search/sql/counting.py)
    seizing_agency: str = ""  # the agency that seized (the owner's, where the record does not say), by name


# the categories of the UNODC workbook: drugs on the IDS sheet, precursors on a sheet of their own
UNODC_CATEGORIES = ("drugs", "precursors")


# Read as plain rows with the columns the sheets write as attributes (seizure.category, operation.ref), not as
# ORM objects: building and tracking two model instances per row cost more than the rest of an export's work,
# and every further column read is converted on every row. The operations come per batch, once each: an
# operation's long texts would otherwise travel with each of its seizures.
_SEIZURE_COLUMNS = (
    Seizure.id,
    Seizure.operation_id,
    Seizure.owner_agency_id,
    Seizure.seizing_agency_id,
    Seizure.occurred_at,
    Seizure.category,
    Seizure.commodity,
    Seizure.quantity,
    Seizure.unit,
    Seizure.kg_equivalent,
    Seizure.conveyance,
    Seizure.concealment,
    Seizure.concealment_detail,
    Seizure.detection,
    Seizure.origin_country,
    Seizure.transit_countries,
    Seizure.destination_country,
)
_OPERATION_COLUMNS = (
    Operation.id,
    Operation.ref,
    Operation.owner_team_id,
    Operation.status,
    Operation.place_code,
    Operation.place_name,
    Operation.region,
    Operation.handling_code,
    Operation.handling_conditions,
    Operation.grading,
    Operation.narrative,
    Operation.title,
)
# Each row becomes a named tuple before it is read: an attribute of a SQLAlchemy Row is looked up in Python,
# several times slower than a named tuple's, and an export reads some twenty of them per row.
SeizureRow = namedtuple("SeizureRow", [*(column.key for column in _SEIZURE_COLUMNS), "counted"])
OperationRow = namedtuple("OperationRow", [*(column.key for column in _OPERATION_COLUMNS), "persons_ok"])
_PERSON_COLUMNS = (Person.operation_id, Person.full_name, Person.document_number, Person.birth_date, Person.phones)
PersonRow = namedtuple("PersonRow", [column.key for column in _PERSON_COLUMNS])


def export_rows(db, query: SearchQuery, scope: Scope, backend, drugs_only: bool = False) -> Iterator[ExportRow]:
    """Every row of the result set, oldest first, read in batches. The UNODC sheet (drugs_only) lists each
    seizure event once, the commodity searched for only (counting.py); the standard sheets list every row
    and say whether it counts."""
    counted = counting.counted_flag(query.terms, scope.user).label("counted")
    stmt = (
        matching(query.without_paging(), scope, backend, *_SEIZURE_COLUMNS, counted)
        .where(policy.exportable_seizures(scope.user))
        .order_by(Seizure.occurred_at, Seizure.id)
        .execution_options(yield_per=BATCH)
    )
    if drugs_only:
        stmt = stmt.where(Seizure.category.in_(UNODC_CATEGORIES), counting.counted_clause(query.terms, scope.user))
    # the texts of a row are defused where they are made, once per export or per operation, not per cell
    agencies = {i: defuse(code) for i, code in scope.agency_codes.items()}
    teams = {i: defuse(code) for code, i in scope.team_ids.items()}
    seizing = {i: defuse(scope.agency_names.get(code, code)) for i, code in scope.agency_codes.items()}
    withheld = str(_l("withheld"))  # translated once: gettext costs more than the rest of an operation's texts
    for batch in db.execute(stmt).partitions():
        batch = list(map(SeizureRow._make, batch))
        operations = _operations(db, scope, {seizure.operation_id for seizure in batch}, withheld)
        for seizure in batch:
            operation, ok, texts = operations[seizure.operation_id]
            parties, persons_text, hidden, narrative, title, conditions, equipment = texts
            yield ExportRow(
                seizure,
                operation,
                agencies.get(seizure.owner_agency_id, ""),
                teams.get(operation.owner_team_id, ""),
                parties,
                persons_text,
                narrative,
                title,
                defuse(
                    seizure.concealment_detail if ok else normalize.mask_identities(seizure.concealment_detail, hidden)
                ),
                conditions,
                equipment,
                bool(seizure.counted),
                seizing.get(seizure.seizing_agency_id or seizure.owner_agency_id, ""),
            )


def _operations(db, scope: Scope, ids: set[int], withheld: str) -> dict[int, tuple[OperationRow, bool, tuple]]:
    """The operations of a batch by id: (its columns, may the reader see its persons, its texts)."""
    persons_ok = policy.persons_clause(scope.user).label("persons_ok")
    found = map(
        OperationRow._make,
        db.execute(select(*_OPERATION_COLUMNS, persons_ok).where(database.among(db, Operation.id, ids))),
    )
    plates, persons = _parties(db, ids)
    used = used_equipment.descriptions_of(db, ids)
    return {
        operation.id: (operation, operation.persons_ok, _operation_texts(operation, plates, persons, used, withheld))
        for operation in found
    }


def _parties(db, ids: set[int]) -> tuple[dict[int, list[str]], dict[int, list[PersonRow]]]:
    """results.parties with the persons' columns an export reads only, not as ORM objects."""
    plates, persons = {}, {}
    for operation_id, plate in db.execute(
        select(Vehicle.operation_id, Vehicle.plate)
        .where(database.among(db, Vehicle.operation_id, ids))
        .order_by(Vehicle.id)
    ):
        plates.setdefault(operation_id, []).append(plate)
    for person in map(
        PersonRow._make,
        db.execute(select(*_PERSON_COLUMNS).where(database.among(db, Person.operation_id, ids)).order_by(Person.id)),
    ):
        persons.setdefault(person.operation_id, []).append(person)
    return plates, persons


def _operation_texts(operation: OperationRow, plates: dict, persons: dict, used: dict, withheld: str) -> tuple:
    """An operation's cells of an export row, masked and defused once for all its seizures where the reader may not
    see its persons: (plates, persons, their identities, narrative, title, handling conditions, equipment)."""
    ok = operation.persons_ok
    own = persons.get(operation.id, [])
    hidden = None if ok else results.identities_of(own)  # what masking takes out; nothing to mask where ok
    shown = (
        (operation.narrative, operation.title, operation.handling_conditions)
        if ok
        else tuple(
            normalize.mask_identities(text, hidden)
            for text in (operation.narrative, operation.title, operation.handling_conditions)
        )
    )
    return (
        defuse(", ".join(dict.fromkeys(plates.get(operation.id, [])))),
        defuse("; ".join(_person_text(p) for p in own)) if ok else (withheld if own else ""),
        hidden,
        *map(defuse, shown),
        defuse(used.get(operation.id, "")),
    )


def left_out(db, query: SearchQuery, scope: Scope, backend, drugs_only: bool = False) -> int:
    """How many seizures of the result set an export leaves out: H2 records of other agencies."""
    stmt = matching(query.without_paging(), scope, backend, Seizure.id).where(
        not_(policy.exportable_seizures(scope.user))
    )
    if drugs_only:
        stmt = stmt.where(Seizure.category.in_(UNODC_CATEGORIES))
    return db.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def left_out_note(count: int) -> str:
    return str(
        _l(
            "%(n)s seizure(s) of records with handling code H2 (no further dissemination without the "
            "owner's permission) were left out of this export.",
            n=count,
        )
    )


def _person_text(person: PersonRow) -> str:
    return person.full_name + (f" ({person.document_number})" if person.document_number else "")


def filename_stamp(scope: Scope) -> str:
    return utcnow().astimezone(scope.zone).strftime("%Y%m%d-%H%M")


def reporting_country() -> str:
    """The country whose seizures these are (the UNODC sheet's first column); setting OPS_REPORTING_COUNTRY."""
    return current_app.config.get("REPORTING_COUNTRY", "UZ")


def _local(value, scope: Scope) -> str:
    # "2024-03-05 14:07": isoformat is one call in C; strftime costs several times more, row after row
    return value.astimezone(scope.zone).isoformat(" ", "minutes")[:16]


def _route(countries: str) -> str:
    return " ".join(countries.split())


# --- the standard sheet (CSV and XLSX) --------------------------------------------------


class Label:
    """A column of codes shown as words. Called like any column (row, scope) -> text; an export's row_values
    looks each code's word up once per export instead of once per row (its rows repeat a few dozen codes)."""

    def __init__(self, code: Callable[[ExportRow], Hashable], word: Callable[[Hashable], str]):
        self.code, self.word = code, word

    def __call__(self, row: ExportRow, _scope: Scope) -> str:
        return self.word(self.code(row))


class Field:
    """A column that is an attribute of the row ("narrative", "seizure.quantity"): row_values reads it with one
    call of operator.attrgetter, in C, instead of a function of ours per cell. `defused`: its values are numbers
    or texts export_rows has defused already, so row_values reads them with nothing of ours around the call."""

    def __init__(self, path: str, defused: bool = False):
        self.get = attrgetter(path)
        self.defused = defused

    def __call__(self, row: ExportRow, _scope: Scope):
        return self.get(row)


def _vocabulary(table: dict) -> Callable[[str | None], str]:
    return lambda code: vocab.label(table, code)


STANDARD = [
    (_l("Seizure id"), Field("seizure.id", defused=True)),
    (_l("Record"), Field("operation.ref")),
    (_l("Date and time"), lambda r, sc: _local(r.seizure.occurred_at, sc)),
    (_l("Agency"), Field("agency", defused=True)),
    (_l("Team"), Field("team", defused=True)),
    (_l("Status"), Label(attrgetter("operation.status"), _vocabulary(vocab.STATUSES))),
    (
        _l("Location"),
        Label(attrgetter("operation.place_code", "operation.place_name"), lambda p: vocab.place_label(*p)),
    ),
    (_l("Region"), Label(attrgetter("operation.region"), vocab.region_label)),
    (_l("Category"), Label(attrgetter("seizure.category"), _vocabulary(vocab.CATEGORIES))),
    (_l("Commodity"), Label(attrgetter("seizure.commodity"), vocab.commodity_label)),
    (_l("Quantity"), Field("seizure.quantity", defused=True)),
    (_l("Unit"), Label(attrgetter("seizure.unit"), _vocabulary(vocab.UNITS))),
    (_l("kg-equivalent"), Field("seizure.kg_equivalent", defused=True)),
    (_l("Conveyance"), Label(attrgetter("seizure.conveyance"), _vocabulary(vocab.CONVEYANCES))),
    (_l("Concealment"), Label(attrgetter("seizure.concealment"), _vocabulary(vocab.CONCEALMENTS))),
    (_l("Concealment detail"), Field("concealment_detail", defused=True)),
    (_l("Detection method"), Label(attrgetter("seizure.detection"), _vocabulary(vocab.DETECTION_METHODS))),
    (_l("Origin"), Field("seizure.origin_country")),  # None: the csv writer writes an empty cell
    (_l("Transit"), Label(attrgetter("seizure.transit_countries"), _route)),
    (_l("Destination"), Field("seizure.destination_country")),
    (_l("Vehicles"), Field("plates", defused=True)),
    (_l("Persons"), Field("persons", defused=True)),
    (_l("Handling code"), Field("operation.handling_code")),
    (_l("Handling conditions"), Field("handling_conditions", defused=True)),
    (_l("Grading"), Field("operation.grading")),
    (_l("Equipment used"), Field("equipment", defused=True)),
    # no: a row found through its record's text only, or a second report of a seizure event counted once
    (
        _l("Counted in totals"),
        Label(attrgetter("counted"), lambda counted: str(_l("yes")) if counted else str(_l("no"))),
    ),
    (_l("Narrative"), Field("narrative", defused=True)),
]


def headers(columns) -> list[str]:
    return [str(title) for title, _value in columns]


def values(columns, row: ExportRow, scope: Scope) -> list:
    return [defuse(value(row, scope)) for _title, value in columns]


_UNSEEN = object()


def row_values(columns, scope: Scope) -> Callable[[ExportRow], list]:
    """values(columns, row, scope) for the rows of one export, each Label column's words memoised."""
    cells = [_cell(value, scope) for _title, value in columns]
    return lambda row: [cell(row) for cell in cells]


def _cell(value, scope: Scope) -> Callable[[ExportRow], object]:
    if isinstance(value, Field):
        if value.defused:
            return value.get
        get = value.get

        def field(row: ExportRow):
            cell = get(row)  # defuse() inlined: this runs for most cells of every row
            return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell

        return field
    if not isinstance(value, Label):
        return lambda row: defuse(value(row, scope))
    words: dict = {}
    code, word = value.code, value.word

    def labelled(row: ExportRow) -> str:
        key = code(row)
        found = words.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = words[key] = defuse(word(key))
        return found

    return labelled


def csv_lines(rows: Iterator[ExportRow], scope: Scope, columns=STANDARD) -> Iterator[str]:
    """CSV text in pieces: a byte-order mark (so spreadsheets read Cyrillic right), the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(columns))
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    cells = row_values(columns, scope)
    rows = iter(rows)
    while True:
        written = buffer.tell()
        # a few dozen rows per writerows call; the csv writer writes None as an empty cell
        writer.writerows(map(cells, islice(rows, CSV_ROWS_PER_WRITE)))
        if buffer.tell() == written:  # every row writes at least its line end: no rows were left
            break
        if buffer.tell() >= CSV_CHUNK:  # a chunk per ~32 KB: fewer, larger writes to the client
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(query: SearchQuery, scope: Scope, filename: str, left_out_count: int = 0) -> Response:
    """The result set as a streamed CSV download, read through a session of its own (on the replica when
    DATABASE_READ_URL names one).

    The body is written after the request's teardown has closed the request's
    session: reading through that one would open a connection that nobody closes
    (the pool runs dry after a few exports). This session ends with the stream,
    also when the client goes away half-way.
    """

    def lines() -> Iterator[str]:
        with Session(database.read_engine(), expire_on_commit=False) as stream_db:
            yield from csv_lines(export_rows(stream_db, query, scope, backends.for_session(stream_db)), scope)

    return Response(
        stream_with_context(lines()),
        content_type="text/csv; charset=utf-8",  # mimetype= would add a second charset
        headers={"Content-Disposition": f'attachment; filename="{filename}"', LEFT_OUT_HEADER: str(left_out_count)},
    )


def xlsx_file(rows: Iterator[ExportRow], scope: Scope, columns=STANDARD, title: str | None = None, left_out_count=0):
    """A temporary file holding the workbook, positioned at its start; a "Notes" sheet says what was left out."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or str(_l("Seizures")))[:31])  # the sheet tab, in the reader's language
    sheet.append(headers(columns))
    cells = row_values(columns, scope)
    for count, row in enumerate(rows, 1):
        if count > MAX_XLSX_ROWS:
            break
        sheet.append(cells(row))
    if left_out_count:
        workbook.create_sheet(title=str(_l("Notes"))[:31]).append([left_out_note(left_out_count)])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def file_chunks(handle, size: int = 64 * 1024) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(size):
            yield chunk


# --- UNODC Individual Drug Seizures ----------------------------------------------------

UNODC_TRANSPORT = {
    "truck": _l("Road (commercial vehicle)"),
    "car": _l("Road (private vehicle)"),
    "bus": _l("Road (bus)"),
    "train": _l("Rail"),
    "pedestrian": _l("On foot"),
    "postal": _l("Mail / courier"),
    "air_passenger": _l("Air (passenger)"),
    "air_cargo": _l("Air (cargo)"),
    "other": _l("Other / unknown"),
}


def departure_country(seizure: Seizure) -> str:
    """The country the consignment last left before the seizure: the last transit country, else the origin."""
    transit = seizure.transit_countries.split()
    return transit[-1] if transit else (seizure.origin_country or "")


def _unodc_drug(row: ExportRow, scope: Scope) -> str:
    item = vocab.COMMODITIES.get(row.seizure.commodity)
    return item.unodc_name if item and item.unodc_name else vocab.label({}, row.seizure.commodity)


def unodc_columns(country: str) -> list:
    return [
        (_l("Country"), lambda r, sc: vocab.country_name(country)),
        (_l("Region"), lambda r, sc: r.operation.region),
        (_l("Date of seizure"), lambda r, sc: r.seizure.occurred_at.astimezone(sc.zone).date().isoformat()),
        (_l("Drug name"), _unodc_drug),
        (_l("Amount"), lambda r, sc: r.seizure.quantity),
        (_l("Unit"), lambda r, sc: r.seizure.unit),
        (_l("Amount in kg (equivalent)"), lambda r, sc: r.seizure.kg_equivalent),
        (_l("Country of origin"), Label(lambda r: r.seizure.origin_country, vocab.country_name)),
        (_l("Country of departure"), Label(lambda r: departure_country(r.seizure), vocab.country_name)),
        (_l("Country of destination"), Label(lambda r: r.seizure.destination_country, vocab.country_name)),
        (_l("Mode of transport"), Label(lambda r: r.seizure.conveyance, lambda c: str(UNODC_TRANSPORT.get(c, c)))),
        (_l("Concealment method"), Label(lambda r: r.seizure.concealment, _vocabulary(vocab.CONCEALMENTS))),
        (_l("Location"), lambda r, sc: r.operation.place_name),
        (_l("Seizing agency"), lambda r, sc: r.seizing_agency),
        (_l("National reference"), lambda r, sc: r.operation.ref),
    ]


def precursor_columns() -> list:
    """The precursor sheet: what INCB's Form D asks of each seizure of a Table I or II substance."""
    return [
        (_l("Substance"), lambda r, sc: vocab.commodity_label(r.seizure.commodity)),
        (_l("Date of seizure"), lambda r, sc: r.seizure.occurred_at.astimezone(sc.zone).date().isoformat()),
        (_l("Amount"), lambda r, sc: r.seizure.quantity),
        (_l("Unit"), lambda r, sc: r.seizure.unit),
        (_l("Amount in kg (equivalent)"), lambda r, sc: r.seizure.kg_equivalent),
        (_l("Country of origin"), lambda r, sc: vocab.country_name(r.seizure.origin_country)),
        (_l("Country of departure"), lambda r, sc: vocab.country_name(departure_country(r.seizure))),
        (_l("Country of destination"), lambda r, sc: vocab.country_name(r.seizure.destination_country)),
        (_l("Mode of transport"), lambda r, sc: str(UNODC_TRANSPORT.get(r.seizure.conveyance, r.seizure.conveyance))),
        (_l("Concealment method"), lambda r, sc: vocab.label(vocab.CONCEALMENTS, r.seizure.concealment)),
        (_l("Location"), lambda r, sc: r.operation.place_name),
        (_l("Seizing agency"), lambda r, sc: r.seizing_agency),
        (_l("National reference"), lambda r, sc: r.operation.ref),
    ]


PRECURSOR_NOTE = _l(
    "Precursors are reported to the International Narcotics Control Board (INCB) on Form D, not on "
    "UNODC's drug seizure sheet: they are on the sheet Precursors."
)


def unodc_file(rows: Iterator[ExportRow], scope: Scope, country: str, left_out_count: int = 0):
    """The UNODC workbook: drug seizures on the IDS sheet (UNODC's fixed columns), precursor seizures on
    a sheet of their own (for INCB's Form D), and a note saying so."""
    workbook = Workbook(write_only=True)
    drugs, precursors = workbook.create_sheet(title="IDS"), workbook.create_sheet(title=str(_l("Precursors"))[:31])
    sheets = {"drugs": (drugs, unodc_columns(country)), "precursors": (precursors, precursor_columns())}
    for sheet, columns in sheets.values():
        sheet.append(headers(columns))
    for count, row in enumerate(rows, 1):
        if count > MAX_XLSX_ROWS:
            break
        sheet, columns = sheets[row.seizure.category]
        sheet.append(values(columns, row, scope))
    notes = workbook.create_sheet(title=str(_l("Notes"))[:31])
    notes.append([str(PRECURSOR_NOTE)])
    if left_out_count:
        notes.append([left_out_note(left_out_count)])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle
