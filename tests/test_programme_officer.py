"""A programme officer reads the register, the team pages and the report, and never a record.

Every endpoint of the record blueprints (pages, search, exports, imports, the
API) is taken from app.url_map and must answer 404, as if nothing were there.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.models import ImportBatch, SavedSearch, User
from tests.support import matrix404

RECORD_BLUEPRINTS = ("operations", "search", "importer", "api")
# reads nothing: the form's ping while a user types (204 to anyone signed in); the API's own description
NOT_RECORDS = {"operations.keepalive", "api.openapi", "api.inbox_list"}  # their own inbox


@pytest.fixture
def officer(db, make_agency, make_user):
    programme = make_agency("UNDP", "Programme office")
    programme.is_programme = True
    db.add(programme)
    db.commit()
    return make_user(programme, "programme_officer")


@pytest.fixture
def record_ids(db, make_agency, make_team, make_operation, make_user):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    operation = make_operation(scc, team, status="approved", visibility="all")
    owner = make_user(scc, "analyst")
    saved = SavedSearch(user_id=owner.id, name="mine", query="q=heroin")
    batch = ImportBatch(agency_id=scc.id, filename="f.csv", sha256="0" * 64)
    db.add_all([saved, batch])
    db.commit()
    return {"operation_id": operation.id, "saved_id": saved.id, "batch_id": batch.id, "attachment_id": 1}


def _record_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in RECORD_BLUEPRINTS and rule.endpoint not in NOT_RECORDS
    ]


def test_every_record_page_search_and_export_answers_404(app, client, login_as, api_as, officer, record_ids):
    login_as(officer)
    api = api_as(officer)
    rules = _record_rules(app)
    assert len(rules) > 25  # the matrix is generated, not hand-written
    answers = matrix404.answers(app, client, api, rules, record_ids)
    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_the_programme_officer_reads_the_register_report_and_team_pages(client, login_as, officer, make_team):
    team = make_team("IMT-TER")
    login_as(officer)
    for url in ("/equipment/", "/equipment/report", "/equipment/teams", f"/equipment/teams/{team.id}"):
        assert client.get(url).status_code == 200, url
    home = client.get("/").get_data(as_text=True)
    assert "/equipment/report" in home and "/operations/" not in home


def test_programme_officers_belong_to_programme_organisations_only(client, login_as, make_user, make_agency, db):
    login_as(make_user(make_agency("SCC"), "admin"))
    data = {"username": "new.officer", "full_name": "New Officer", "role": "programme_officer", "is_active": "y"}
    refused = client.post("/admin/users/new", data=data)
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    assert db.exec(select(User).where(User.username == "new.officer")).first() is None
    client.post("/logout")
    programme = make_agency("UNDP", "Programme office")
    programme.is_programme = True
    db.add(programme)
    db.commit()
    login_as(make_user(programme, "admin"))
    assert client.post("/admin/users/new", data=data).status_code == 200  # the page showing the new password once
    assert db.exec(select(User.role).where(User.username == "new.officer")).one() == "programme_officer"
