"""Agencies and teams are named in Uzbek, Russian and English, and every page shows the reader's language."""

from __future__ import annotations

import json

from sqlmodel import select

from ops.models import Agency, AuditEvent, Team


def _named(db, obj, ru: str, uz: str):
    obj.name_ru, obj.name_uz = ru, uz
    db.add(obj)
    db.commit()
    return obj


def test_record_pages_and_search_filters_name_agencies_in_the_readers_language(
    client, db, make_agency, make_team, make_user, make_operation, login_as
):
    scc = make_agency("SCC", "State Customs Committee")
    _named(db, scc, "Государственный таможенный комитет", "Davlat bojxona qo'mitasi")
    team = _named(db, make_team("IMT-TER", "IMT Termez"), "МОГ Термез", "Termiz IMG")
    operation = make_operation(scc, team, status="approved")
    login_as(make_user(scc, "supervisor"))
    client.post("/language", data={"lang": "ru"})
    page = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    assert "МОГ Термез" in page and "Государственный таможенный комитет" in page
    assert "Государственный таможенный комитет" in client.get("/search").get_data(as_text=True)
    assert "Государственный таможенный комитет" in client.get("/operations/").get_data(as_text=True)
    client.post("/language", data={"lang": "uz"})
    page = client.get(f"/operations/{operation.id}").get_data(as_text=True)
    assert "Termiz IMG" in page and "Davlat bojxona qo&#39;mitasi" in page
    client.post("/language", data={"lang": "en"})
    assert "IMT Termez" in client.get(f"/operations/{operation.id}").get_data(as_text=True)


def test_a_name_left_empty_shows_the_english_one(
    client, db, make_agency, make_team, make_user, make_operation, login_as
):
    scc, team = make_agency("SCC", "State Customs Committee"), make_team("IMT-TER", "IMT Termez")
    _named(db, team, "", "")
    operation = make_operation(scc, team, status="approved")
    login_as(make_user(scc, "supervisor"))
    client.post("/language", data={"lang": "ru"})
    assert "IMT Termez" in client.get(f"/operations/{operation.id}").get_data(as_text=True)


def test_a_sysadmin_renames_a_team_in_three_languages_and_a_stale_form_is_refused(
    client, db, make_team, make_user, login_as
):
    team = make_team("IMT-TER", "IMT Termez")
    login_as(make_user(role="admin", is_sysadmin=True))
    form = {"name": "IMT Termez", "name_ru": "МОГ Термез", "name_uz": "Termiz IMG", "kind": "imt", "version": "1"}
    assert client.post(f"/admin/teams/{team.id}", data=form).status_code == 302
    db.expire_all()
    saved = db.get(Team, team.id)
    assert (saved.name_ru, saved.name_uz, saved.version) == ("МОГ Термез", "Termiz IMG", 2)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "team_update")).one()
    assert json.loads(event.detail)["name_ru"] == ["", "МОГ Термез"]
    client.post(f"/admin/teams/{team.id}", data={**form, "name_ru": "Другое"})  # the form of version 1 again
    db.expire_all()
    assert db.get(Team, team.id).name_ru == "МОГ Термез"


def test_an_agencys_english_name_stays_unique(client, db, make_agency, make_user, login_as):
    make_agency("SCC", "State Customs Committee")
    sss = make_agency("SSS", "State Security Service")
    login_as(make_user(role="admin", is_sysadmin=True))
    form = {"name": "State Customs Committee", "country": "UZ", "receive_language": "en", "version": "1"}
    answer = client.post(f"/admin/agencies/{sss.id}", data=form)
    assert answer.status_code == 400 and "This name is already used." in answer.get_data(as_text=True)
    db.expire_all()
    assert db.get(Agency, sss.id).name == "State Security Service"


def test_the_audit_trail_names_the_changed_team_and_place_in_the_readers_language(
    client, db, make_agency, make_team, make_user, login_as
):
    from ops.models_places import Place

    scc = make_agency("SCC")
    team = make_team("IMT-TER", "IMT Termez")
    oybek = db.exec(select(Place).where(Place.code == "OYBEK")).one()
    login_as(make_user(scc, "admin", is_sysadmin=True))
    form = {"name": "IMT Termez", "name_ru": "МОГ Термез", "name_uz": "Termiz IMG", "kind": "imt", "version": "1"}
    client.post(f"/admin/teams/{team.id}", data=form)
    place = {"name_uz": "Oybek", "name_ru": "Ойбек", "name_en": "Oybek", "kind": "road_crossing"}
    place.update(region="Tashkent region", country="UZ", lat="40.25", lon="69.24", is_active="y")
    saved = client.post(f"/admin/places/{oybek.id}", data={**place, "version": str(oybek.version)})
    assert saved.status_code == 302, saved.get_data(as_text=True)[-3000:]
    client.post("/logout")
    auditor = make_user(scc, "auditor")
    auditor.locale = "ru"
    db.add(auditor)
    db.commit()
    login_as(auditor)
    page = client.get("/audit/").get_data(as_text=True)
    assert "группа МОГ Термез" in page and "Изменена группа" in page
    assert "пункт Ойбек" in page and "Изменён пункт реестра" in page
    assert "Название на русском" in page  # the detail's key, labelled
