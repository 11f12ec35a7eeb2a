"""A foreign counterpart office's people read no record, search, export, correlation or hit.

Every endpoint outside sign-in, the account and the home page is taken from app.url_map and must
answer 404, as if nothing were there; the SQL rules give them no row; "all agencies" and a share
list naming their office mean national agencies only.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops import policy
from ops.liaison import headsups, services
from ops.models import Agency, ImportBatch, Operation, SavedSearch, User
from tests.support import matrix404, releasekit
from tests.support.accounts import PASSWORD, second_factor_code

# what a counterpart office's people may open: signing in and out, their own account, the home page
OPEN_BLUEPRINTS = ("main", "auth", "apitokens", "static")
NOT_RECORDS = {"operations.keepalive", "api.openapi"}
# their own lists: they answer, with only what is addressed to their office (test_releases.py checks which)
OWN_LISTS = {"inbox.inbox_page", "api.inbox_list", "liaison.releases", "liaison.messages", "liaison.new_message"}
OWN_LISTS |= {"api.releases", "api.messages", "api.send_message"}  # the same, in the API (test_api_liaison.py)


@pytest.fixture
def office(db, make_agency):
    agency = make_agency("DCA-TJ", "Drug Control Agency of Tajikistan")
    agency.country, agency.is_foreign_partner, agency.receive_language = "TJ", True, "ru"
    db.add(agency)
    db.commit()
    return agency


@pytest.fixture
def ids(app, db, make_agency, make_team, make_operation, make_user, office):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    for_all = make_operation(scc, team, status="approved", visibility="all", narrative="heroin in the spare wheel")
    make_operation(scc, team, status="approved", visibility="partners", partners=[office], share_persons=True)
    owner = make_user(scc, "analyst")
    saved = SavedSearch(user_id=owner.id, name="mine", query="q=heroin")
    batch = ImportBatch(agency_id=scc.id, filename="f.csv", sha256="0" * 64)
    db.add_all([saved, batch])
    db.commit()
    ids = {"operation_id": for_all.id, "saved_id": saved.id, "batch_id": batch.id, "attachment_id": 1}
    ids["release_id"], ids["headsup_id"] = _release_to_another_office(app, db, make_agency, make_user, scc, for_all)
    return {**ids, "team_id": team.id, "user_id": owner.id, "agency_id": scc.id, "item_id": 1, "place_id": 1}


def _release_to_another_office(app, db, make_agency, make_user, scc, record) -> tuple[int, int]:
    """A release and a heads-up message to another counterpart office: their pages must not open to them."""
    kyrgyz = releasekit.office(db, make_agency, "BS-KG", "KG", "en")
    releasekit.pair(app, db, scc, kyrgyz)
    writer, approver = make_user(scc, "supervisor"), make_user(scc, "supervisor")
    with app.test_request_context():
        release = services.create(db, writer, record, kyrgyz.id, False, "heroin")
        services.approve(db, approver, release, False, None)
        draft = headsups.Draft(kyrgyz.id, "vehicle", "01 A 777 KA", None, None, None, "white truck", 24)
        message = headsups.send(db, writer, draft)
    return release.id, message.id


def _guarded_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] not in OPEN_BLUEPRINTS and rule.endpoint not in NOT_RECORDS | OWN_LISTS
    ]


@pytest.mark.parametrize("role", sorted(policy.FOREIGN_PARTNER_ROLES))
def test_every_record_search_export_and_hit_answers_404(app, client, login_as, api_as, make_user, office, ids, role):
    user = make_user(office, role)
    login_as(user)
    api = api_as(user)
    rules = _guarded_rules(app)
    assert len(rules) > 40  # the matrix is generated, not hand-written
    answers = matrix404.answers(app, client, api, rules, ids)
    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_the_sql_rules_give_them_no_row_and_all_agencies_means_national_ones(app, db, make_user, office, ids):
    partner, national = make_user(office, "analyst"), make_user("SSS", "analyst")
    with app.test_request_context():
        assert policy.is_foreign_partner(partner) and not policy.is_foreign_partner(national)
        seen = db.exec(select(Operation.id).where(policy.visible_operations(partner))).all()
        with_persons = db.exec(select(Operation.id).where(policy.persons_clause(partner))).all()
        national_sees = db.exec(select(Operation.id).where(policy.visible_operations(national))).all()
        assert {name for name in policy.ACTIONS if policy.can(partner, name)} == policy.FOREIGN_PARTNER_ACTIONS
    assert seen == [] and with_persons == []
    assert national_sees == [ids["operation_id"]]  # "all agencies" still opens the record to national ones


def test_they_sign_in_with_a_second_factor_and_home_says_what_they_will_receive(app, client, make_user, office):
    user = make_user(office, "analyst")
    with app.app_context():
        assert policy.must_use_two_factor(user, require_for_all=False)
    second_factor_code(app, user)
    first = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert first.headers["Location"].startswith("/two-factor")
    client.post("/two-factor", data={"code": second_factor_code(app, user)})
    home = client.get("/").get_data(as_text=True)
    assert "releases" in home and "heads-up messages" in home and "Russian" in home
    assert "/operations/" not in home and "/search" not in home


def test_a_sysadmin_makes_a_counterpart_office_and_its_people(client, db, make_user, login_as):
    login_as(make_user(role="admin", is_sysadmin=True))
    office = {"code": "DCA-TJ", "name": "Drug Control Agency of Tajikistan", "name_ru": "АКН Таджикистана"}
    office.update(country="TJ", is_foreign_partner="y", receive_language="ru")
    assert client.post("/admin/agencies", data=office).status_code == 302
    agency = db.exec(select(Agency).where(Agency.code == "DCA-TJ")).one()
    assert (agency.country, agency.is_foreign_partner, agency.receive_language) == ("TJ", True, "ru")
    person = {"username": "fotehobod.lead", "full_name": "Rustam Nazarov", "is_active": "y"}
    refused = client.post(f"/admin/agencies/{agency.id}/users/new", data={**person, "role": "supervisor"})
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    assert client.post(f"/admin/agencies/{agency.id}/users/new", data={**person, "role": "lead"}).status_code == 200
    assert db.exec(select(User.role).where(User.username == "fotehobod.lead")).one() == "lead"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"country": "UZ"}, "A foreign partner is an agency of another country: choose its country."),
        ({"is_programme": "y"}, "An agency is a programme organisation or a foreign partner, not both."),
        ({"receive_language": "uz"}, "Not a valid choice"),
    ],
)
def test_bad_settings_of_a_counterpart_office_change_nothing(client, db, make_user, login_as, change, message):
    login_as(make_user(role="admin", is_sysadmin=True))
    office = {"code": "DCA-TJ", "name": "Drug Control Agency of Tajikistan", "country": "TJ", "is_foreign_partner": "y"}
    answer = client.post("/admin/agencies", data={**office, "receive_language": "ru", **change})
    assert answer.status_code == 400 and message in answer.get_data(as_text=True)
    assert db.exec(select(Agency).where(Agency.code == "DCA-TJ")).first() is None


def test_an_agency_with_supervisors_cannot_become_a_foreign_partner(client, db, make_user, make_agency, login_as):
    kg = make_agency("KG-BS", "Border Service of Kyrgyzstan")
    make_user(kg, "supervisor", username="kg.supervisor")
    login_as(make_user(role="admin", is_sysadmin=True))
    form = {"name": kg.name, "country": "KG", "is_foreign_partner": "y", "receive_language": "ru", "version": "1"}
    answer = client.post(f"/admin/agencies/{kg.id}", data=form)
    assert answer.status_code == 400 and "kg.supervisor" in answer.get_data(as_text=True)
    db.expire_all()
    assert db.get(Agency, kg.id).is_foreign_partner is False


def test_an_import_cannot_name_a_counterpart_office_as_the_seizing_agency(app, db, make_agency, office):
    from ops.importer.validate import make_plan

    scc = make_agency("SCC")
    with app.app_context():
        parser = make_plan(db, scc).parser
    assert "scc" in parser.agencies and "dca-tj" not in parser.agencies
    assert "drug control agency of tajikistan" not in parser.agencies


def test_a_sysadmin_keeps_a_counterpart_offices_people_and_no_agency_admin_can(client, db, make_user, login_as, office):
    lead = make_user(office, "lead", username="fotehobod.lead")
    login_as(make_user("SCC", "admin", is_sysadmin=True))
    assert "fotehobod.lead" in client.get(f"/admin/agencies/{office.id}").get_data(as_text=True)
    page = client.get(f"/admin/users/{lead.id}").get_data(as_text=True)
    assert 'value="analyst"' in page and 'value="supervisor"' not in page  # leads and analysts only
    form = {"full_name": "Rustam Nazarov", "role": "analyst", "is_active": ""}
    saved = client.post(f"/admin/users/{lead.id}", data=form)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/admin/agencies/{office.id}")
    db.expire_all()
    assert (db.get(User, lead.id).role, db.get(User, lead.id).is_active) == ("analyst", False)
    assert client.post(f"/admin/users/{lead.id}", data={**form, "role": "supervisor"}).status_code == 400
    client.post("/logout")
    login_as(make_user("SSS", "admin"))  # an agency administrator, not a system administrator
    assert client.get(f"/admin/users/{lead.id}").status_code == 404
