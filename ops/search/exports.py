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
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Response, current_app, stream_with_context
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, not_, select
from sqlmodel import Session

from ops import db as database
from ops import normalize, policy, used_equipment, vocab
from ops.models import Operation, Person, Seizure, utcnow
from ops.search.language.query import SearchQuery
from ops.search.sql import backends, results
from ops.search.sql.filters import Scope, matching

BATCH = 2000
CSV_CHUNK = 32 * 1024
MAX_XLSX_ROWS = 1_048_575  # a sheet's limit, less the header
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LEFT_OUT_HEADER = "X-Ops-Left-Out"  # seizures left out of an export (H2 records of other agencies)


def defuse(value):
    """Text that Excel or LibreOffice would evaluate becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class ExportRow:
    seizure: Seizure
    operation: Operation
    agency: str
    team: str
    plates: str
    persons: str
    narrative: str
    title: str = ""
    concealment_detail: str = ""
    handling_conditions: str = ""
    equipment: str = ""  # the programme's items used in the operation


def export_rows(db, query: SearchQuery, scope: Scope, backend, drugs_only: bool = False) -> Iterator[ExportRow]:
    """Every row of the result set, oldest first, read in batches."""
    persons_ok = policy.persons_clause(scope.user).label("persons_ok")
    stmt = (
        matching(query.without_paging(), scope, backend, Seizure, Operation, persons_ok)
        .join(Operation, Operation.id == Seizure.operation_id)
        .order_by(Seizure.occurred_at, Seizure.id)
        .execution_options(yield_per=BATCH)
    )
    stmt = stmt.where(policy.exportable_seizures(scope.user))
    if drugs_only:
        stmt = stmt.where(Seizure.category == "drugs")
    teams = {i: code for code, i in scope.team_ids.items()}
    for batch in db.execute(stmt).partitions():
        plates, persons = results.parties(db, {operation.id for _s, operation, _ok in batch})
        used = used_equipment.items_of(db, {operation.id for _s, operation, _ok in batch})
        for seizure, operation, ok in batch:
            own = persons.get(operation.id, [])
            hidden = results.identities_of(own)
            yield ExportRow(
                seizure,
                operation,
                scope.agency_codes.get(seizure.owner_agency_id, ""),
                teams.get(operation.owner_team_id, ""),
                ", ".join(dict.fromkeys(plates.get(operation.id, []))),
                "; ".join(_person_text(p) for p in own) if ok else (str(_l("withheld")) if own else ""),
                operation.narrative if ok else normalize.mask_identities(operation.narrative, hidden),
                operation.title if ok else normalize.mask_identities(operation.title, hidden),
                seizure.concealment_detail if ok else normalize.mask_identities(seizure.concealment_detail, hidden),
                operation.handling_conditions
                if ok
                else normalize.mask_identities(operation.handling_conditions, hidden),
                "; ".join(used_equipment.describe(item) for item in used.get(operation.id, [])),
            )


def left_out(db, query: SearchQuery, scope: Scope, backend, drugs_only: bool = False) -> int:
    """How many seizures of the result set an export leaves out: H2 records of other agencies."""
    stmt = matching(query.without_paging(), scope, backend, Seizure.id).where(
        not_(policy.exportable_seizures(scope.user))
    )
    if drugs_only:
        stmt = stmt.where(Seizure.category == "drugs")
    return db.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def left_out_note(count: int) -> str:
    return str(
        _l(
            "%(n)s seizure(s) of records with handling code H2 (no further dissemination without the "
            "owner's permission) were left out of this export.",
            n=count,
        )
    )


def _person_text(person: Person) -> str:
    return person.full_name + (f" ({person.document_number})" if person.document_number else "")


def filename_stamp(scope: Scope) -> str:
    return utcnow().astimezone(scope.zone).strftime("%Y%m%d-%H%M")


def reporting_country() -> str:
    """The country whose seizures these are (the UNODC sheet's first column); setting OPS_REPORTING_COUNTRY."""
    return current_app.config.get("REPORTING_COUNTRY", "UZ")


def _local(value, scope: Scope) -> str:
    return value.astimezone(scope.zone).strftime("%Y-%m-%d %H:%M")


def _route(seizure: Seizure) -> str:
    return " ".join(seizure.transit_countries.split())


# --- the standard sheet (CSV and XLSX) --------------------------------------------------

STANDARD = [
    (_l("Seizure id"), lambda r, sc: r.seizure.id),
    (_l("Record"), lambda r, sc: r.operation.ref),
    (_l("Date and time"), lambda r, sc: _local(r.seizure.occurred_at, sc)),
    (_l("Agency"), lambda r, sc: r.agency),
    (_l("Team"), lambda r, sc: r.team),
    (_l("Status"), lambda r, sc: vocab.label(vocab.STATUSES, r.operation.status)),
    (_l("Location"), lambda r, sc: vocab.place_label(r.operation.place_code, r.operation.place_name)),
    (_l("Region"), lambda r, sc: vocab.region_label(r.operation.region)),
    (_l("Category"), lambda r, sc: vocab.label(vocab.CATEGORIES, r.seizure.category)),
    (_l("Commodity"), lambda r, sc: vocab.commodity_label(r.seizure.commodity)),
    (_l("Quantity"), lambda r, sc: r.seizure.quantity),
    (_l("Unit"), lambda r, sc: vocab.label(vocab.UNITS, r.seizure.unit)),
    (_l("kg-equivalent"), lambda r, sc: r.seizure.kg_equivalent),
    (_l("Conveyance"), lambda r, sc: vocab.label(vocab.CONVEYANCES, r.seizure.conveyance)),
    (_l("Concealment"), lambda r, sc: vocab.label(vocab.CONCEALMENTS, r.seizure.concealment)),
    (_l("Concealment detail"), lambda r, sc: r.concealment_detail),
    (_l("Detection method"), lambda r, sc: vocab.label(vocab.DETECTION_METHODS, r.seizure.detection)),
    (_l("Origin"), lambda r, sc: r.seizure.origin_country or ""),
    (_l("Transit"), lambda r, sc: _route(r.seizure)),
    (_l("Destination"), lambda r, sc: r.seizure.destination_country or ""),
    (_l("Vehicles"), lambda r, sc: r.plates),
    (_l("Persons"), lambda r, sc: r.persons),
    (_l("Handling code"), lambda r, sc: r.operation.handling_code),
    (_l("Handling conditions"), lambda r, sc: r.handling_conditions),
    (_l("Grading"), lambda r, sc: r.operation.grading),
    (_l("Equipment used"), lambda r, sc: r.equipment),
    (_l("Narrative"), lambda r, sc: r.narrative),
]


def headers(columns) -> list[str]:
    return [str(title) for title, _value in columns]


def values(columns, row: ExportRow, scope: Scope) -> list:
    return [defuse(value(row, scope)) for _title, value in columns]


def csv_lines(rows: Iterator[ExportRow], scope: Scope, columns=STANDARD) -> Iterator[str]:
    """CSV text in pieces: a byte-order mark (so spreadsheets read Cyrillic right), the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(columns))
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow(["" if v is None else v for v in values(columns, row, scope)])
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
    for count, row in enumerate(rows, 1):
        if count > MAX_XLSX_ROWS:
            break
        sheet.append(values(columns, row, scope))
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
        (_l("Country of origin"), lambda r, sc: vocab.country_name(r.seizure.origin_country)),
        (_l("Country of departure"), lambda r, sc: vocab.country_name(departure_country(r.seizure))),
        (_l("Country of destination"), lambda r, sc: vocab.country_name(r.seizure.destination_country)),
        (_l("Mode of transport"), lambda r, sc: str(UNODC_TRANSPORT.get(r.seizure.conveyance, r.seizure.conveyance))),
        (_l("Concealment method"), lambda r, sc: vocab.label(vocab.CONCEALMENTS, r.seizure.concealment)),
        (_l("Location"), lambda r, sc: r.operation.place_name),
        (_l("Seizing agency"), lambda r, sc: r.agency),
        (_l("National reference"), lambda r, sc: r.operation.ref),
    ]
