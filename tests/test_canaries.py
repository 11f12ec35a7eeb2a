"""Canaries: withheld identities planted in every free-text field never reach a reader of another agency.

The pages read are generated from the URL map and the OpenAPI document (every
GET rule and path whose arguments this test can fill), not listed by hand.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import Session, select

from ops import normalize, vocab
from ops.models import Attachment, Operation, Person, Revision, Seizure, Vehicle
from ops.search.routes import EXPORT_FORMATS
from tests.support.accounts import login

ROLES = sorted(vocab.ROLES)
PERSONS = [  # (name, document, birth date)
    ("Rahimov Jasur Akmalovich", "AB 1234567", date(1990, 3, 5)),
    ("Каримов Алишер", "KA7654321", date(1985, 11, 23)),
]
# every spelling planted, as the reader must never see it (compared case-insensitively)
CANARIES = [
    "Rahimov",
    "Рахимов",
    "Raximov",
    "Rakhimov",
    "Jasur",
    "Жасур",
    "Akmalovich",
    "Karimov",
    "Каримов",
    "Alisher",
    "Алишер",
    "AB1234567",
    "AB 1234567",
    "1234567",
    "KA7654321",
    "7654321",
    "05.03.1990",
    "1990-03-05",
    "5 марта 1990",
    "5 March 1990",
    "5-mart 1990",
    "23.11.1985",
    "1985-11-23",
    "Tursunov",  # a person removed from the record, still named in its history
    "Bekzod",
    "CC9990001",
    "02.01.1979",
    "111-22-33",  # the first person's phone number (+998901112233), as written in the texts
    "111 22 33",
    "901112233",
]
PHONE = "+998901112233"
REMOVED = {"full_name": "Tursunov Bekzod", "document_number": "CC 999 0001", "birth_date": "1979-01-02"}
NARRATIVE = (
    "Driver Rahimov Jasur Akmalovich (passport AB 1234567, born 05.03.1990) and Alisher Karimov were detained. "
    "Водитель Рахимов Жасур, паспорт AB1234567, родился 5 марта 1990 г.; Каримов Алишер, KA 7654321, 23.11.1985. "
    "Raximov (1990-03-05, 5 March 1990, 5-mart 1990) and RAKHIMOV, born 1985-11-23. "
    "Rahimov called +998 90 111-22-33 twice; his other phone is 8 (90) 111 22 33."
)
TITLE = "Heroin in the truck of Rahimov / Каримов"
DETAIL = "under the seat of Raximov, bag marked AB1234567 and 05.03.1990, note with 901112233"
COMMENT = "Check the passport of Rakhimov Jasur, AB 1234567, born 5 марта 1990"
FILENAME = "Rahimov_Jasur_AB1234567_1990-03-05.pdf"
PLATE = "01 A 777 KA"


def _plant(db: Session, upload_dir: str, agency, team, partner, make_operation) -> Operation:
    """A record shared with `partner` without identities, canaries in every free-text field."""
    operation = make_operation(
        agency, team, visibility="partners", partners=[partner], title=TITLE, narrative=NARRATIVE
    )
    operation.return_comment = COMMENT
    db.add(operation)
    for name, document, born in PERSONS:
        db.add(
            Person(
                operation_id=operation.id,
                full_name=name,
                name_norm=normalize.name(name),
                document_number=document,
                document_norm=normalize.identifier(document),
                birth_date=born,
                phones=PHONE if document == "AB 1234567" else "",
            )
        )
    db.add(Vehicle(operation_id=operation.id, plate=PLATE, plate_norm=normalize.identifier(PLATE)))
    attachment = Attachment(
        operation_id=operation.id,
        filename=FILENAME,
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        storage_key="canary",
    )
    db.add(attachment)
    edited = [
        {"field": "narrative", "old": NARRATIVE, "new": NARRATIVE + " Rahimov."},
        {"field": "title", "old": "Heroin", "new": TITLE},
        {"field": "attachment", "old": None, "new": FILENAME},
        {"field": "seizure:1", "old": {"concealment_detail": "seat"}, "new": {"concealment_detail": DETAIL}},
        {"field": "person:99", "old": REMOVED, "new": None},
        {"field": "narrative", "old": "Tursunov Bekzod (CC9990001, born 02.01.1979) fled.", "new": NARRATIVE},
    ]
    db.add(Revision(operation_id=operation.id, action="create", changes=json.dumps(edited[:2])))
    db.add(Revision(operation_id=operation.id, action="return", reason=COMMENT))
    db.add(Revision(operation_id=operation.id, action="edit", changes=json.dumps(edited)))
    db.add(Revision(operation_id=operation.id, action="amend", reason="typo in " + TITLE))
    for seizure in db.exec(select(Seizure).where(Seizure.operation_id == operation.id)):
        seizure.concealment_detail = DETAIL
        db.add(seizure)
    db.commit()
    Path(upload_dir).mkdir(parents=True, exist_ok=True)
    (Path(upload_dir) / "canary").write_bytes(b"%PDF-1.4")
    return operation


def _text(response) -> str:
    """Everything a response says, decoded: JSON without escapes, workbooks cell by cell."""
    kind = response.headers.get("Content-Type", "")
    if "json" in kind:
        return json.dumps(response.get_json(), ensure_ascii=False)
    if "spreadsheet" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
        return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)
    return response.get_data(as_text=True) + " " + response.headers.get("Content-Disposition", "")


def _found(text: str) -> list[str]:
    folded = text.casefold()
    return [c for c in CANARIES if c.casefold() in folded]


SAMPLE_QUERIES = {  # what a page needs in order to show rows at all
    "search.search_page": {"q": "heroin"},
    "search.dashboard": {"q": "heroin"},
    "search.export": {"q": "heroin"},
    "search.lookup": {"value": PLATE},
    "api.search": {"q": "heroin"},
    "api.export_csv": {"q": "heroin"},
}
SKIPPED = {"static", "auth.logout", "auth.login", "auth.two_factor", "main.health"}


def _pages(app, values: dict) -> list[tuple[str, dict]]:
    """Every GET rule of the URL map whose arguments are known, with sample queries; export formats each."""
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED or not rule.arguments <= set(values) | {"fmt"}:
            continue
        query = SAMPLE_QUERIES.get(rule.endpoint, {})
        formats = sorted(EXPORT_FORMATS) if "fmt" in rule.arguments else [None]
        for fmt in formats:
            arguments = {name: values[name] for name in rule.arguments - {"fmt"}} | ({"fmt": fmt} if fmt else {})
            pages.append((rule.build(arguments, append_unknown=False)[1], query))
    return pages


def _api_pages(client, values: dict) -> list[tuple[str, dict]]:
    """Every GET path of the OpenAPI document whose parameters are known."""
    document = client.get("/api/v1/openapi.json").get_json()
    base = document.get("servers", [{"url": "/api/v1"}])[0]["url"].rstrip("/")
    pages = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        if not set(names) <= set(values):
            continue
        endpoint = {"/search": "api.search", "/export.csv": "api.export_csv"}.get(path, "")
        filled = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
        pages.append((base + filled, SAMPLE_QUERIES.get(endpoint, {})))
    return pages


@pytest.fixture
def planted(app, db, make_agency, make_team, make_operation):
    owner, partner = make_agency("SCC"), make_agency("MIA")
    team = make_team("IMT-TER")
    operation = _plant(db, app.config["UPLOAD_DIR"], owner, team, partner, make_operation)
    # a second record of the partner's own with the same plate, so correlations and lookups link the two
    other = make_operation(partner, make_team("BLO-MIA"), visibility="agency", title="Own record")
    db.add(Vehicle(operation_id=other.id, plate=PLATE, plate_norm=normalize.identifier(PLATE)))
    db.commit()
    attachment = db.exec(select(Attachment).where(Attachment.operation_id == operation.id)).one()
    return owner, partner, team, operation, other, attachment


@pytest.mark.parametrize("role", ROLES)
def test_no_canary_reaches_another_agency(app, client, login_as, api_as, make_user, planted, role):
    owner, partner, _team, operation, other, attachment = planted
    reader = make_user(partner, role)
    login_as(reader)
    read = 0
    for record in (operation, other):
        values = {"operation_id": record.id, "attachment_id": attachment.id}
        for path, query in _pages(app, values):
            response = client.get(path, query_string=query)
            text = _text(response)
            response.close()  # file downloads hold the file open until closed
            assert response.status_code < 500, path
            assert _found(text) == [], (role, path)
            read += 1
        api = api_as(reader)
        for path, query in _api_pages(api, values):
            response = api.get(path, query_string=query)
            assert response.status_code < 500, path
            assert _found(_text(response)) == [], (role, path)
            read += 1
    assert read > 40
    paths = {path for path, _query in _pages(app, values)} | {path for path, _query in _api_pages(api, values)}
    for channel in (
        f"/operations/{other.id}",
        f"/operations/{other.id}/attachments/{attachment.id}",
        "/search/export/xlsx",
        "/search/export/unodc",
        "/search/lookup",
        f"/api/v1/operations/{other.id}",
        "/api/v1/seizures",
        "/api/v1/search",
        "/api/v1/export.csv",
    ):
        assert channel in paths, channel  # the generated lists do reach every channel
    if role in ("analyst", "supervisor", "lead", "officer"):  # readers do see the record, masked
        page = client.get(f"/operations/{operation.id}").get_data(as_text=True)
        assert "•••" in page and "Heroin in the truck of" in page
    if role == "analyst":  # the channels read did show the record (masked), so the test can fail
        for path in (
            "/search?q=heroin",
            "/search/export/csv?q=heroin",
            "/api/v1/operations",
            "/search/lookup?value=01A777KA",
        ):
            response = (api_as(reader) if path.startswith("/api") else client).get(path)
            assert operation.ref in _text(response), path


def test_each_canary_still_reaches_the_owning_agency(client, login_as, make_user, planted, api_as):
    owner, _partner, team, operation, _other, _attachment = planted
    analyst = make_user(owner, "supervisor")
    login_as(analyst)
    page = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    shown = set(_found(page))
    assert {"Rahimov", "Рахимов", "AB 1234567", "05.03.1990", "5 марта 1990", "Каримов"} <= shown
    assert COMMENT.split(",")[0] in page  # review remarks stay with the owning agency
    detail = _text(api_as(analyst).get(f"/api/v1/operations/{operation.id}"))
    assert {"Rahimov", "Каримов", "AB1234567"} <= set(_found(detail))


def test_the_owning_team_sees_the_record_as_partners_see_it(app, client, login_as, make_user, planted):
    owner, _partner, team, operation, _other, _attachment = planted
    lead = make_user(owner, "lead", teams=[team])
    login_as(lead)
    page = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    assert f"/operations/{operation.id}?as=partners" in page
    partners = client.get(f"/operations/{operation.id}?as=partners")
    assert partners.status_code == 200
    assert _found(partners.get_data(as_text=True)) == []
    assert "•••" in partners.get_data(as_text=True)
    outsider = app.test_client()
    login(outsider, make_user(_partner, "analyst"))
    assert outsider.get(f"/operations/{operation.id}?as=partners").status_code == 403
