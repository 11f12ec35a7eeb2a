"""The policy canary: words placed only in records a user may not see never reach that user.

Restricted records carry a unique word (in narrative, place, person names,
document numbers and plates): a draft of another team, `team` and `agency`
visibility of another agency, `partners` not including the user's agency,
and a visible record whose persons are withheld. The canary must not appear
in results, counts, facets, totals, correlations, lookups, dashboards,
exports or saved-search counts of that user.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ops import normalize
from ops.models import Operation, OperationIdentityGrant, Person, Vehicle
from ops.operations.correlations import correlations

CANARY = "Zqxcanary"
CANARY_DOC = "ZQ 990-0001"
CANARY_PLATE = "77 Z 999 QX"
SHARED_PLATE = "01 A 555 BC"
SHARED_NAME = "Tolib Qurbonov"
SHARED_DOC = "FA7770001"


def _party(db, op, name=None, document=None, plate=None):
    if name:
        db.add(
            Person(
                operation_id=op.id,
                full_name=name,
                name_norm=normalize.name(name),
                document_number=document,
                document_norm=normalize.identifier(document) if document else None,
            )
        )
    if plate:
        db.add(Vehicle(operation_id=op.id, plate=plate, plate_norm=normalize.identifier(plate)))
    db.commit()


@pytest.fixture
def canary(db, make_agency, make_team, make_user, make_operation):
    scc, sss, mia = make_agency("SCC"), make_agency("SSS"), make_agency("MIA")
    ter, anl = make_team("IMT-TER"), make_team("HQ-ANL")
    viewer = make_user(sss, "analyst", teams=[anl])
    morphine = (("morphine", "drugs", "2.5", "kg"),)
    when = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    text = f"{CANARY} Olimov (document {CANARY_DOC}) moved morphine through Zqxplace"
    restricted = [
        make_operation(sss, ter, status="draft", visibility="all", narrative=text, seizures=morphine, started_at=when),
        make_operation(scc, ter, visibility="team", narrative=text, seizures=morphine, started_at=when),
        make_operation(scc, ter, visibility="agency", narrative=text, seizures=morphine, started_at=when),
        make_operation(
            scc, ter, visibility="partners", partners=[mia], narrative=text, seizures=morphine, started_at=when
        ),
    ]
    for op in restricted:
        op = db.get(Operation, op.id)
        op.place_name = "Zqxplace"
        db.commit()
        _party(db, op, f"{CANARY} Olimov", CANARY_DOC, CANARY_PLATE)
        _party(db, op, SHARED_NAME, SHARED_DOC, SHARED_PLATE)
    named = f"{CANARY} Olimov (document {CANARY_DOC}) was detained with morphine"
    withheld = make_operation(scc, ter, visibility="all", narrative=named, seizures=morphine, started_at=when)
    _party(db, withheld, f"{CANARY} Olimov", CANARY_DOC)
    _party(db, withheld, SHARED_NAME, SHARED_DOC)
    control = make_operation(
        scc, ter, visibility="all", share_persons=True, narrative="morphine by car", seizures=morphine, started_at=when
    )
    _party(db, control, SHARED_NAME, SHARED_DOC, SHARED_PLATE)
    return {"viewer": viewer, "restricted": restricted, "withheld": withheld, "control": control}


def _absent(payload: str):
    for word in (
        CANARY,
        CANARY.lower(),
        CANARY.upper(),
        "Zqxplace",
        normalize.identifier(CANARY_DOC),
        "999 QX",
        "77Z999QX",
    ):
        assert word not in payload, word


def test_search_results_counts_and_facets(client, login_as, canary):
    login_as(canary["viewer"])
    for url in (
        "/search?q=zqxcanary",
        "/search?q=Zqxcanary+Olimov",
        "/search?q=zq990*",
        f"/search?q={normalize.identifier(CANARY_DOC)}",
        "/search?q=77z999qx",
        "/search?q=zqxplace",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "No seizure you may see matches this search." in html, url
        assert "0 <span>seizures" in html, url
    html = client.get("/search?q=morphine").get_data(as_text=True)
    # the withheld record and the control: found by their other words, persons and place hidden
    assert "2 <span>seizures" in html
    _absent(html.split("</form>", 1)[1])
    assert html.count(f'/operations/{canary["withheld"].id}"') == 1
    assert "Persons withheld by the owning agency." in html


def test_location_and_agency_facets(client, login_as, canary):
    login_as(canary["viewer"])
    html = client.get("/search?commodity=morphine").get_data(as_text=True)
    _absent(html.split("</form>", 1)[1])
    assert '>SCC</a>\n        <span class="facet-count">2</span>' in html
    assert client.get("/search?location=Zqxplace").get_data(as_text=True).count("0 <span>seizures") == 1


def test_dashboard(client, login_as, canary):
    login_as(canary["viewer"])
    html = client.get("/search/dashboard?commodity=morphine").get_data(as_text=True)
    _absent(html.split("</form>", 1)[1])
    assert "2 <span>seizures" in html
    assert "0 <span>seizures" in client.get("/search/dashboard?q=zqxcanary").get_data(as_text=True)


def test_lookup(client, login_as, canary):
    login_as(canary["viewer"])
    for typed in (CANARY_PLATE, "77z999qx", CANARY_DOC, f"{CANARY} Olimov", f"olimov {CANARY.lower()}"):
        html = client.get("/search/lookup", query_string={"value": typed}).get_data(as_text=True)
        assert "0 records involve" in html, typed
    html = client.get("/search/lookup", query_string={"value": SHARED_DOC}).get_data(as_text=True)
    assert "1 record involves" in html and f'/operations/{canary["control"].id}"' in html
    plate = client.get("/search/lookup", query_string={"value": "01a555bc"}).get_data(as_text=True)
    assert "1 record involves" in plate


def test_correlations(app, canary):
    with app.test_request_context():
        found = correlations(canary["viewer"], canary["control"])
        listed = {op.id for item in found for op in item.operations}
        assert listed == {canary["withheld"].id} or listed == set()
        for item in found:
            assert item.total == len(item.operations)
            assert {op.id for op in item.operations}.isdisjoint({op.id for op in canary["restricted"]})
        # the withheld record shares a name and a document with the control, but its persons are hidden
        assert not [item for item in found if item.kind in ("person", "document")]
        # and from the withheld record, whose persons the viewer may not see, nothing is compared at all
        assert correlations(canary["viewer"], canary["withheld"]) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "unodc"])
def test_exports(client, make_user, login_as, canary, fmt):
    login_as(canary["viewer"])
    response = client.get(f"/search/export/{fmt}?commodity=morphine")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
        rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 3  # header + the withheld record + the control
    _absent("\n".join(",".join(row) for row in rows))


def test_saved_search_new_count(client, login_as, canary, db):
    login_as(canary["viewer"])
    client.post("/search/saved", data={"name": "morphine", "query": "commodity=morphine"})
    from ops.models import SavedSearch

    saved = db.execute(select(SavedSearch)).scalar_one()
    saved.last_seen_at = datetime(2000, 1, 1, tzinfo=UTC)
    db.commit()
    html = client.get("/search").get_data(as_text=True)
    assert "2 new" in html


# --- phone numbers (migration 0012): a person's number written in the free text is an identity -------------

PHONE_E164 = "+998901234567"
PHONE_TYPED = ("+998 90 123-45-67", "90 1234567", "8 (90) 123 45 67")


@pytest.fixture
def phoned(db, make_agency, make_team, make_user, make_operation):
    """An `all` record of SCC, identities withheld, whose narrative, title and concealment detail carry its
    driver's phone number in the forms officers write it; readers of SSS (body only), MIA (identities by
    exception) and SCC (the owner)."""
    scc, sss, mia = make_agency("SCC"), make_agency("SSS"), make_agency("MIA")
    ter, anl = make_team("IMT-TER"), make_team("HQ-ANL")
    narrative = "Driver Olimov, phone " + ", ".join(PHONE_TYPED) + ", carried morphine"
    record = make_operation(
        scc, ter, visibility="all", title="Call 90 123-45-67", narrative=narrative, seizures=MORPHINE
    )
    db.add(Person(operation_id=record.id, full_name="Zarif Olimov", name_norm="ZARIF OLIMOV", phones=PHONE_E164))
    db.add(OperationIdentityGrant(operation_id=record.id, agency_id=mia.id))
    db.commit()
    readers = {
        "body only": make_user(sss, "analyst", teams=[anl]),
        "identities": make_user(mia, "analyst", teams=[anl]),
        "owner": make_user(scc, "analyst", teams=[ter]),
    }
    return {"record": record, "readers": readers}


MORPHINE = (("morphine", "drugs", "2.5", "kg"),)
FOUND = "1 <span>seizure<"


def _totals(api, typed: str) -> dict:
    answer = api.get("/api/v1/search", query_string={"q": typed})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


def test_a_withheld_persons_phone_in_the_narrative_finds_nothing(client, login_as, api_as, phoned):
    reader = phoned["readers"]["body only"]
    login_as(reader)
    assert FOUND in client.get("/search?q=morphine").get_data(as_text=True)  # the body is readable
    for typed in (*PHONE_TYPED, PHONE_E164, "901234567", "123-45-67"):
        html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
        assert "No seizure you may see matches this search." in html, typed
        assert "0 <span>seizures" in html, typed
        assert f'/operations/{phoned["record"].id}"' not in html, typed
        assert "record held by" not in html and 'name="token"' not in html, typed  # no hit either
        dashboard = client.get("/search/dashboard", query_string={"q": typed}).get_data(as_text=True)
        assert "0 <span>seizures" in dashboard, typed
        answer = _totals(api_as(reader), typed)
        assert answer["total_seizures"] == 0 and answer["items"] == [], typed
        assert not any(answer["facets"].values()), typed


@pytest.mark.parametrize("who", ["identities", "owner"])
def test_a_reader_given_the_identities_finds_the_record_by_the_phone(client, login_as, api_as, phoned, who):
    login_as(phoned["readers"][who])
    for typed in (*PHONE_TYPED, PHONE_E164, "901234567"):
        html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
        assert FOUND in html and f'/operations/{phoned["record"].id}"' in html, typed
        assert _totals(api_as(phoned["readers"][who]), typed)["total_seizures"] == 1, typed


def test_a_changed_phone_number_is_reindexed_at_once(client, login_as, db, phoned):
    """Only the number changes (no name, no document): the index follows, in both parts."""
    person = db.execute(select(Person).where(Person.operation_id == phoned["record"].id)).scalar_one()
    person.phones = "+998911112233"
    db.commit()
    login_as(phoned["readers"]["owner"])
    assert FOUND in client.get("/search", query_string={"q": "91 111-22-33"}).get_data(as_text=True)
    login_as(phoned["readers"]["body only"])
    # the old number is no person's any more: written in the narrative, it is an ordinary word again
    assert FOUND in client.get("/search", query_string={"q": "90 1234567"}).get_data(as_text=True)
