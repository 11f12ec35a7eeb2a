"""Exports of a result set: CSV, XLSX and the UNODC sheet agree with each other and with the page; audited; roles."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from ops import normalize
from ops.models import Agency, AuditEvent, Operation, Person, Seizure, Team, Vehicle
from ops.search.exports import CSV_CHUNK


@pytest.fixture
def records(db, make_agency, make_team, make_user, make_operation):
    scc = make_agency("SCC")
    team = make_team("IMT-TER")
    when = datetime(2024, 6, 1, 6, 0, tzinfo=UTC)
    first = make_operation(
        scc,
        team,
        visibility="all",
        share_persons=True,
        started_at=when,
        narrative='=HYPERLINK("http://evil") heroin in a spare tyre',
        seizures=[("heroin", "drugs", "2.5", "kg"), ("cash_usd", "cash", "12000", "USD")],
    )
    second = make_operation(
        scc, team, visibility="all", started_at=when.replace(day=2), seizures=[("tramadol", "drugs", "600", "tablets")]
    )
    for op in (first, second):
        for seizure in db.exec(select(Seizure).where(Seizure.operation_id == op.id)).all():
            seizure.kg_equivalent = {"heroin": Decimal("2.5"), "tramadol": Decimal("0.06")}.get(seizure.commodity)
            seizure.origin_country, seizure.transit_countries, seizure.destination_country = "AF", "TJ KZ", "RU"
        db.commit()
    db.add(
        Person(
            operation_id=first.id,
            full_name="Botir Akhmedov",
            name_norm="BOTIR AKHMEDOV",
            document_number="FA 383-8205",
            document_norm=normalize.identifier("FA 383-8205"),
        )
    )
    db.add(Vehicle(operation_id=first.id, plate="01 A 123 BC", plate_norm="01A123BC"))
    db.commit()
    return {"analyst": make_user(scc, "analyst"), "first": first, "second": second}


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_and_xlsx_hold_the_same_rows_as_the_page(client, login_as, records):
    login_as(records["analyst"])
    query = "agency=SCC&from=2024-01-01"
    rows = _csv(client.get(f"/search/export/csv?{query}"))
    sheet = _xlsx(client.get(f"/search/export/xlsx?{query}"))
    page = client.get(f"/search?{query}").get_data(as_text=True)
    header, data = rows[0], rows[1:]
    assert header[:4] == ["Seizure id", "Record", "Date and time", "Agency"]
    assert [str(v) for v in sheet[0]] == header
    assert len(data) == len(sheet) - 1 == 3
    assert "3 <span>seizures" in page
    by_id = {row[0]: row for row in data}
    for row in sheet[1:]:
        as_text = ["" if v is None else str(v) for v in row]
        csv_row = by_id[as_text[0]]
        assert as_text[:10] == csv_row[:10]
        assert Decimal(as_text[10]) == Decimal(csv_row[10])  # quantity: a number in the sheet, text in the CSV
    ids_on_page = set(re.findall(r'href="/operations/(\d+)"', page))
    assert ids_on_page == {str(records["first"].id), str(records["second"].id)}
    heroin = next(r for r in data if r[9] == "Heroin")
    assert heroin[17:20] == ["AF", "TJ KZ", "RU"] and heroin[20] == "01 A 123 BC"
    assert heroin[21] == "Botir Akhmedov (FA 383-8205)"


def test_formulas_are_defused(client, login_as, records):
    login_as(records["analyst"])
    rows = _csv(client.get("/search/export/csv?q=heroin"))
    narrative = rows[1][-1]
    assert narrative.startswith("'=HYPERLINK")
    sheet = _xlsx(client.get("/search/export/xlsx?q=heroin"))
    assert str(sheet[1][-1]).startswith("'=HYPERLINK")


def test_every_typed_text_is_defused_in_both_sheets(client, login_as, db, records):
    second = records["second"]
    second.handling_conditions = "+7 days before any onward use"
    for seizure in db.exec(select(Seizure).where(Seizure.operation_id == second.id)).all():
        seizure.concealment_detail = "-inside the spare tyre"
    db.add(Person(operation_id=second.id, full_name="@Ali Valiev", name_norm="@ALI VALIEV"))
    db.add(Vehicle(operation_id=second.id, plate="=01 B 777 AA", plate_norm="01B777AA"))
    db.commit()
    login_as(records["analyst"])
    header, *data = _csv(client.get("/search/export/csv?q=tramadol"))
    sheet = _xlsx(client.get("/search/export/xlsx?q=tramadol"))
    for row in (data[0], ["" if v is None else str(v) for v in sheet[1]]):
        cell = dict(zip(header, row, strict=True))
        assert cell["Concealment detail"] == "'-inside the spare tyre"
        assert cell["Handling conditions"] == "'+7 days before any onward use"
        assert cell["Persons"] == "'@Ali Valiev"
        assert cell["Vehicles"] == "'=01 B 777 AA"


def test_unodc_sheet_has_one_row_per_drug_seizure(client, login_as, records):
    login_as(records["analyst"])
    sheet = _xlsx(client.get("/search/export/unodc?agency=SCC"))
    header, data = sheet[0], sheet[1:]
    assert header[:7] == [
        "Country",
        "Region",
        "Date of seizure",
        "Drug name",
        "Amount",
        "Unit",
        "Amount in kg (equivalent)",
    ]
    assert len(data) == 2  # heroin and tramadol; the cash is not a drug seizure
    heroin = next(row for row in data if row[3] == "Heroin")
    assert heroin[0] == "Uzbekistan" and heroin[1] == "Surkhandarya" and heroin[2] == "2024-06-01"
    assert Decimal(str(heroin[6])) == Decimal("2.5")
    assert heroin[7:11] == ["Afghanistan", "Kazakhstan", "Russia", "Road (commercial vehicle)"]
    assert {row[3] for row in data} == {"Heroin", "Tramadol"}


def test_unodc_workbook_names_the_seizing_agency_and_puts_precursors_on_their_own_sheet(
    client, db, login_as, records, make_agency, make_operation
):
    border = make_agency("SBS", "State Border Service")
    scc, team = db.get(Agency, records["first"].owner_agency_id), db.get(Team, records["first"].owner_team_id)
    anhydride = make_operation(scc, team, visibility="all", seizures=[("acetic_anhydride", "precursors", "40", "l")])
    for seizure in db.exec(select(Seizure).where(Seizure.commodity.in_(["heroin", "acetic_anhydride"]))).all():
        seizure.seizing_agency_id = border.id  # the border service seized; customs owns the records
    db.commit()
    login_as(records["analyst"])
    book = load_workbook(io.BytesIO(client.get("/search/export/unodc?agency=SCC").data), read_only=True)
    assert book.sheetnames == ["IDS", "Precursors", "Notes"]
    ids = [list(row) for row in book["IDS"].iter_rows(values_only=True)]
    heroin = next(row for row in ids if row[3] == "Heroin")
    tramadol = next(row for row in ids if row[3] == "Tramadol")
    seizing = ids[0].index("Seizing agency")
    assert heroin[seizing] == "State Border Service"  # the seizing agency, not the owner
    assert tramadol[seizing] == scc.name  # the record does not say: its owner seized
    assert "Acetic anhydride" not in {row[3] for row in ids}
    precursors = [list(row) for row in book["Precursors"].iter_rows(values_only=True)]
    assert precursors[0][:3] == ["Substance", "Date of seizure", "Amount"]
    assert [row[0] for row in precursors[1:]] == ["Acetic anhydride"]
    assert precursors[1][precursors[0].index("Seizing agency")] == "State Border Service"
    assert precursors[1][-1] == anhydride.ref
    notes = [row[0] for row in book["Notes"].iter_rows(values_only=True)]
    assert any("INCB" in note and "Form D" in note for note in notes)


def test_every_export_is_audited_with_its_query(client, login_as, records, db):
    login_as(records["analyst"])
    for fmt in ("csv", "xlsx", "unodc"):
        client.get(f"/search/export/{fmt}?q=heroin")
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.seq)).all()
    assert [json.loads(e.detail) for e in events] == [
        {"format": f, "query": "q=heroin", "left_out": 0} for f in ("csv", "xlsx", "unodc")
    ]


@pytest.mark.parametrize(
    "role,status", [("analyst", 200), ("lead", 200), ("supervisor", 200), ("officer", 403), ("auditor", 403)]
)
def test_who_may_export(client, make_user, login_as, records, role, status):
    login_as(make_user("SCC", role))
    assert client.get("/search/export/csv?q=heroin").status_code == status


def test_a_bad_search_exports_nothing(client, login_as, records, db):
    login_as(records["analyst"])
    response = client.get("/search/export/csv?kg_min=-1")
    assert response.status_code == 302 and "kg_min=-1" in response.headers["Location"]
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_exports_give_their_database_connections_back(app, client, login_as, records, api_as):
    """A streamed body outlives the request's session: each export must still end its own connection."""
    pool = app.extensions["ops_engine"].pool
    login_as(records["analyst"])
    api = api_as(records["analyst"])
    before = pool.checkedout()
    for _ in range(3):
        assert "heroin" in client.get("/search/export/csv?q=heroin").get_data(as_text=True)
        assert "heroin" in api.get("/api/v1/export.csv?q=heroin").get_data(as_text=True)
    assert pool.checkedout() == before


def test_a_large_export_streams(app, client, login_as, records, db):
    """The CSV response is a generator read in batches: the body is not built before the first byte."""
    base = db.get(Operation, records["second"].id)
    db.add_all(
        [
            Seizure(
                operation_id=base.id,
                owner_agency_id=base.owner_agency_id,
                occurred_at=base.started_at,
                category="drugs",
                commodity="opium",
                quantity=Decimal(n),
                unit="kg",
            )
            for n in range(1, 4501)
        ]
    )
    db.commit()
    login_as(records["analyst"])
    response = client.get("/search/export/csv?commodity=opium", buffered=False)
    assert response.is_streamed
    try:
        chunks = list(response.response)
    finally:
        response.close()  # ends the request, and with it the database session the stream reads through
    sizes = [len(chunk) for chunk in chunks]
    assert len(chunks) > 10 and max(sizes) < 2 * CSV_CHUNK  # pieces of a bounded size, not one string
    assert sum(chunk.count("\n") if isinstance(chunk, str) else chunk.count(b"\n") for chunk in chunks) == 4501


def test_csv_exports_name_their_charset_once(client, login_as, records, api_as):
    login_as(records["analyst"])
    api = api_as(records["analyst"])
    for get, path in ((client.get, "/search/export/csv?agency=SCC"), (api.get, "/api/v1/export.csv?agency=SCC")):
        response = get(path)
        assert response.status_code == 200 and response.get_data()  # read each stream before the next request
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
