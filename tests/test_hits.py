"""Hit/no-hit: a reader of agency B learns that agency A holds a record matching an identifier, never what it
says; a purpose comes first, lookups are counted; silent and H2/H3 records; the index, not the records."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.models import AuditEvent, IdentifierKey, InboxItem, OperationHitAgency
from tests.support.accounts import login
from tests.support.hitkit import NAME, PHONE, PLATE, lookup, no_canary, plant, text


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, mia, team = make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")
    people = {
        "lead": make_user(scc, "lead", teams=[team]),
        "supervisor": make_user(scc, "supervisor"),
        "analyst": make_user(mia, "analyst"),
        "mia_supervisor": make_user(mia, "supervisor"),
    }
    clients = {}
    for name, user in people.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    record = plant(db, make_operation, scc, team)
    return {"scc": scc, "mia": mia, "team": team, "record": record, "c": clients, "people": people}


def _hits_part(page: str) -> str:
    return page.split('id="hits"', 1)[1] if 'id="hits"' in page else ""


@pytest.mark.parametrize(
    "typed, kind",
    [
        (PLATE, "plate"),
        ("01a777ka", "plate"),
        ("ab-1234567", "document number"),
        (PHONE, "phone number"),
        ("Жасур Рахимов", "name"),
    ],
)
def test_a_hit_says_who_holds_a_record_when_and_on_what_and_nothing_else(world, typed, kind):
    page = lookup(world["c"]["analyst"], typed)
    assert "0 records involve" in page
    hits = _hits_part(page)
    assert f"1 record held by Agency SCC, 2025, match on {kind}" in hits
    assert world["record"].ref not in page and f"/operations/{world['record'].id}" not in page
    no_canary(page, typed)


def test_no_purpose_no_reach_into_other_agencies_and_nothing_counted(world, db):
    page = lookup(world["c"]["analyst"], PLATE, purpose=None)
    assert "Give a purpose above" in page and "Agency SCC" not in page
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "lookup_elsewhere")).all()


def test_a_lookup_elsewhere_is_audited_with_its_purpose(world, db):
    lookup(world["c"]["analyst"], PLATE, purpose="  check for case 17  ")
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "lookup_elsewhere")).one()
    assert "check for case 17" in event.detail and "01 A 777 KA" in event.detail


def test_other_words_give_no_hit(world, db):
    for typed in ("Zebracanary", "Rahimov", "truck 2025"):
        page = lookup(world["c"]["analyst"], typed)
        assert "Agency SCC" not in page
        assert "Only plates, document numbers, phone numbers and full names" in page
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "lookup_elsewhere")).all()


def test_the_daily_limit_refuses_the_next_lookup_elsewhere(app, world, db):
    app.config["LOOKUP_DAILY_LIMIT"] = 2
    for _ in range(2):
        assert "1 record held by" in lookup(world["c"]["analyst"], PLATE)
    page = lookup(world["c"]["analyst"], PLATE)
    assert "You have made the 2 lookups in other agencies' records allowed per day." in page
    assert "1 record held by" not in page
    assert len(db.exec(select(AuditEvent).where(AuditEvent.action == "lookup_elsewhere")).all()) == 2


def test_only_approved_records_give_hits(world, db, make_operation):
    record = world["record"]
    record.status = "submitted"
    db.add(record)
    db.commit()
    assert "1 record held by" not in lookup(world["c"]["analyst"], PLATE)


def test_a_silent_record_gives_no_hit_and_its_owners_supervisors_are_told(world, db):
    c = world["c"]
    response = c["supervisor"].post(f"/access/record/{world['record'].id}/hits", data={"silent": "y"})
    assert response.status_code == 302
    page = lookup(c["analyst"], PLATE, purpose="smuggling ring 4")
    assert "1 record held by" not in page and "No other agency's record gives you a hit" in page
    items = db.exec(select(InboxItem).where(InboxItem.kind == "silent_lookup")).all()
    assert [i.user_id for i in items] == [world["people"]["supervisor"].id]
    inbox = text(c["supervisor"].get("/inbox"))
    assert "Agency MIA looked up 01 A 777 KA" in inbox and "smuggling ring 4" in inbox
    assert world["record"].ref in inbox  # the owner may read its own record's reference
    no_canary(c["analyst"].get("/inbox").get_data(as_text=True))


def test_h2_and_h3_records_give_hits_only_to_the_agencies_listed(world, db):
    record = world["record"]
    record.handling_code = "H2"
    db.add(record)
    db.commit()
    assert "1 record held by" not in lookup(world["c"]["analyst"], PLATE)
    db.add(OperationHitAgency(operation_id=record.id, agency_id=world["mia"].id))
    db.commit()
    assert "1 record held by" in lookup(world["c"]["analyst"], PLATE)


def test_a_reader_of_the_record_sees_it_and_gets_no_hit_for_it(world):
    page = lookup(world["c"]["lead"], PLATE)
    assert world["record"].ref in page and "1 record held by" not in page


def test_hits_come_from_the_index(world, db):
    """Emptying the index silences the record: nothing scans the records themselves."""
    for key in db.exec(select(IdentifierKey)).all():
        db.delete(key)
    db.commit()
    assert "1 record held by" not in lookup(world["c"]["analyst"], PLATE)


def test_the_index_follows_the_persons_and_vehicles(world, db):
    mine = select(IdentifierKey).where(IdentifierKey.operation_id == world["record"].id)
    kinds = sorted({k.kind for k in db.exec(mine)})
    assert kinds == ["document", "name", "phone", "plate"]
    names = sorted(k.value for k in db.exec(select(IdentifierKey).where(IdentifierKey.kind == "name")))
    assert names == ["akmalovich", "jasur", "rahimov"]
    assert NAME


def test_the_api_gives_hits_only_with_a_purpose(world, api_as):
    client = api_as(world["people"]["analyst"])
    plain = client.get("/api/v1/lookup", query_string={"value": PLATE})
    assert plain.status_code == 200 and plain.json["hits"] == [] and plain.json["readable"] == []
    answer = client.get("/api/v1/lookup", query_string={"value": PLATE, "purpose": "case 9"})
    assert answer.status_code == 200
    assert [(h["agency"], h["year"], h["match_on"]) for h in answer.json["hits"]] == [("Agency SCC", 2025, ["plate"])]
    no_canary(answer.get_data(as_text=True), PLATE)
    empty = client.get("/api/v1/lookup", query_string={"value": PLATE, "purpose": " "})
    assert empty.status_code == 422


def test_search_offers_the_lookup_for_identifiers_only_and_gives_no_hit_itself(world):
    c = world["c"]["analyst"]
    page = text(c.get("/search", query_string={"q": PLATE}))
    assert "is an identifier: look it up" in page and "/search/lookup?value=01+A+777+KA" in page
    assert "1 record held by" not in page
    assert "is an identifier" not in text(c.get("/search", query_string={"q": "heroin"}))


def test_a_hit_names_the_holding_agency_in_the_readers_language(world, db):
    world["scc"].name_uz = "Davlat bojxona qo'mitasi"
    db.add(world["scc"])
    db.commit()
    client = world["c"]["analyst"]
    client.post("/language", data={"lang": "uz", "next": "/"})
    hits = _hits_part(lookup(client, PLATE))
    assert "1 ta yozuv Davlat bojxona qo'mitasida, 2025" in hits and "Agency SCC" not in hits
