"""The register of crossing points and places: seeded from the old list with the same codes, kept by
system administrators, read in the reader's language, and bad input that changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from ops import place_seed, vocab
from ops.models import AuditEvent
from ops.models_places import Place, PlaceTeam

GOOD = {
    "code": "TERMEZ_PORT",
    "name_uz": "Termiz daryo porti",
    "name_ru": "Термезский речной порт",
    "name_en": "Termez river port",
    "kind": "river_port",
    "region": "Surkhandarya",
    "country": "UZ",
    "lat": "37.2210",
    "lon": "67.2900",
    "counterpart_name": "Hairatan river port",
    "counterpart_country": "AF",
    "counterpart_lat": "37.2200",
    "counterpart_lon": "67.3000",
    "is_active": "y",
}


@pytest.fixture
def sysadmin(make_user):
    return make_user(role="admin", is_sysadmin=True)


def _places(db) -> int:
    return db.exec(select(func.count()).select_from(Place)).one()


def test_the_register_starts_with_the_old_list_and_its_codes(db):
    stored = {p.code: p for p in db.exec(select(Place)).all()}
    assert set(stored) == set(place_seed.PLACES_BY_CODE)
    assert stored["AYRITOM"].name_en == "Ayritom (Termez bridge)"  # what records store in place_name
    assert stored["AYRITOM"].kind == "road_crossing" and stored["TAS_MAIL"].kind == "postal_centre"
    assert stored["TAS_YUZHNY"].kind == "inland_checkpoint" and stored["GALABA"].kind == "rail_crossing"
    assert (stored["OYBEK"].counterpart_name, stored["OYBEK"].counterpart_country) == ("Fotehobod", "TJ")
    assert all(p.country == "UZ" for p in stored.values())


def test_every_kind_of_place_has_a_label():
    assert list(vocab.PLACE_KINDS) == list(place_seed.PLACE_KINDS)


def test_places_show_in_the_readers_language(client, make_user, make_agency, make_team, make_operation, login_as):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    make_operation(scc, team, status="approved")
    login_as(make_user(scc, "supervisor"))
    client.post("/language", data={"lang": "ru"})
    assert "Айритом (Термезский мост)" in client.get("/operations/").get_data(as_text=True)
    client.post("/language", data={"lang": "uz"})
    assert "Ayritom (Termiz ko&#39;prigi)" in client.get("/operations/").get_data(as_text=True)


def test_a_sysadmin_adds_a_place_and_the_forms_offer_it(client, db, sysadmin, login_as, make_team, make_user):
    team = make_team("BLO-TER", kind="blo")
    login_as(sysadmin)
    answer = client.post("/admin/places/new", data={**GOOD, "teams": [team.id]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    place = db.exec(select(Place).where(Place.code == "TERMEZ_PORT")).one()
    assert (place.counterpart_country, place.kind) == ("AF", "river_port")
    assert db.exec(select(PlaceTeam.team_id).where(PlaceTeam.place_id == place.id)).all() == [team.id]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "place_create")).one()
    assert event.object_id == str(place.id)
    listing = client.get("/admin/places/").get_data(as_text=True)
    assert "TERMEZ_PORT" in listing and "BLO-TER" in listing
    client.post("/logout")
    login_as(make_user("SCC", "lead", teams=[team]))
    assert 'value="TERMEZ_PORT"' in client.get("/operations/new").get_data(as_text=True)


@pytest.mark.parametrize(
    "change, field_message",
    [
        ({"counterpart_country": "UZ"}, "its country must differ from the place&#39;s own"),
        ({"kind": "airport"}, "Only a crossing point has a counterpart across the border."),
        ({"counterpart_lat": ""}, "A counterpart needs its name, its country and both of its coordinates."),
        ({"lat": "91"}, "A latitude is between -90 and 90."),
        ({"lon": "east"}, "Not a valid float value."),
        ({"code": "AYRITOM"}, "This code is already used."),
        ({"name_en": "Oybek"}, "Another place has this English name."),
        ({"code": "bad code"}, "Use capital letters, digits and underscores only."),
        ({"name_ru": ""}, "This field is required."),
        ({"name_uz": "x" * 161}, "Field cannot be longer than 160 characters."),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(client, db, sysadmin, login_as, change, field_message):
    login_as(sysadmin)
    before = _places(db)
    answer = client.post("/admin/places/new", data={**GOOD, **change})
    assert answer.status_code == 400
    assert field_message in answer.get_data(as_text=True)
    assert _places(db) == before


def test_an_edit_is_seen_at_once_and_a_stale_form_is_refused(client, db, sysadmin, login_as):
    place = db.exec(select(Place).where(Place.code == "OYBEK")).one()
    login_as(sysadmin)
    form = {key: GOOD[key] for key in GOOD if key != "code"}
    form.update(name_en="Oybek", name_ru="Ойбек (новый)", kind="road_crossing", region="Tashkent region")
    form.update(counterpart_name="Fotehobod", counterpart_country="TJ", version=str(place.version))
    assert client.post(f"/admin/places/{place.id}", data=form).status_code == 302
    client.post("/language", data={"lang": "ru"})
    assert "Ойбек (новый)" in client.get("/admin/places/").get_data(as_text=True)
    stale = client.post(f"/admin/places/{place.id}", data={**form, "name_ru": "Ойбек 3"}, follow_redirects=True)
    assert "Ойбек 3" not in stale.get_data(as_text=True)
    db.expire_all()
    assert db.get(Place, place.id).name_ru == "Ойбек (новый)"


def test_a_change_made_by_another_process_is_read_at_the_next_request(client, db, make_user, make_team, login_as):
    login_as(make_user("SCC", "lead", teams=[make_team("IMT-TER")]))
    assert "Chinaz post" in client.get("/operations/new").get_data(as_text=True)  # the process reads the register
    place = db.exec(select(Place).where(Place.code == "CHINAZ")).one()
    place.name_en = "Chinoz post"  # as another app server would: straight into the database
    db.add(place)
    db.commit()
    page = client.get("/operations/new").get_data(as_text=True)
    assert "Chinoz post" in page and "Chinaz post" not in page


def test_only_system_administrators_keep_the_register(client, make_user, login_as):
    login_as(make_user("SCC", "admin"))
    assert client.get("/admin/places/").status_code == 403
    assert client.post("/admin/places/new", data=GOOD).status_code == 403


def test_without_an_app_the_place_names_come_from_the_seed():
    assert vocab.PLACES_BY_CODE["OYBEK"].counterpart_country == "TJ"
    assert vocab.place_label("OYBEK") == "Oybek" and vocab.place_label(None, "typed by hand") == "typed by hand"


def test_a_place_is_found_by_its_code_or_any_of_its_three_names(app):
    with app.test_request_context():
        assert vocab.PLACES_BY_NAME["ойбек"].code == "OYBEK"  # as an importer's location column may say
        assert vocab.PLACES_BY_NAME["ayritom (termiz ko'prigi)"].code == "AYRITOM"
        assert vocab.PLACES_BY_NAME["oybek"].name == "Oybek"  # what records store
        assert vocab.PLACES_BY_CODE["TAS_MAIL"].kind == "postal_centre"
