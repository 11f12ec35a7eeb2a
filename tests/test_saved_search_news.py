"""Saved searches watched for new records: an approval or an import that brings records matching the search,
read by its owner, puts one item in the owner's inbox per saved search; records the owner may not read are
never counted; searches not watched stay silent; the sentence is composed in the reader's language."""

from __future__ import annotations

from collections import defaultdict

import pytest
from flask_babel import force_locale, ngettext
from sqlmodel import select

from ops import normalize
from ops.importer.services import Job, import_file
from ops.inbox import present
from ops.inbox.services import params
from ops.models import AuditEvent, InboxItem, Operation, Person, SavedSearch
from tests.support.accounts import login
from tests.support.importing import generated_file, make_demo_orgs, read_rows, write_rows

KIND = "saved_search_news"


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _save(client, name: str, query: str, news: bool = True) -> SavedSearch:
    data = {"name": name, "query": query, **({"news": "y"} if news else {})}
    assert client.post("/search/saved", data=data).status_code == 302


def _saved(db, user, name: str) -> SavedSearch:
    return db.exec(select(SavedSearch).where(SavedSearch.user_id == user.id, SavedSearch.name == name)).one()


def _items(db, user) -> list[InboxItem]:
    db.expire_all()
    return list(db.exec(select(InboxItem).where(InboxItem.user_id == user.id, InboxItem.kind == KIND)).all())


def _approve(client, db, operation_id: int) -> None:
    db.expire_all()
    version = str(db.get(Operation, operation_id).version)
    response = client.post(f"/operations/{operation_id}/review", data={"decision": "approve", "version": version})
    assert response.status_code == 302, response.status_code


@pytest.fixture
def world(app, make_agency, make_team, make_user):
    scc, mia, team = make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")
    people = {
        "supervisor": make_user(scc, "supervisor"),
        "scc_analyst": make_user(scc, "analyst"),
        "mia_analyst": make_user(mia, "analyst"),
    }
    return scc, team, people


def test_approval_tells_the_owner_of_a_watched_search_once_and_opening_it_is_audited(app, db, world, make_operation):
    scc, team, people = world
    analyst = _client(app, people["scc_analyst"])
    _save(analyst, "heroin truck", "q=heroin+truck")
    _save(analyst, "heroin, not watched", "q=heroin", news=False)
    _save(analyst, "cannabis", "q=cannabis")
    record = make_operation(scc, team, status="submitted", narrative="heroin in a truck's fuel tank")
    assert _items(db, people["scc_analyst"]) == []  # submitted: not new to anyone yet
    _approve(_client(app, people["supervisor"]), db, record.id)
    items = _items(db, people["scc_analyst"])
    watched = _saved(db, people["scc_analyst"], "heroin truck")
    assert [(item.link, params(item)) for item in items] == [
        (f"/search/saved/{watched.id}", {"name": "heroin truck", "count": 1})
    ]
    page = analyst.get("/inbox").get_data(as_text=True)
    assert "1 new record for your saved search “heroin truck”." in page
    opened = analyst.get(f"/inbox/{items[0].id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/search/saved/{watched.id}"
    read = db.exec(select(AuditEvent).where(AuditEvent.action == "inbox_read")).one()
    assert (read.user_id, read.object_id) == (people["scc_analyst"].id, str(items[0].id))
    assert analyst.get(opened.headers["Location"]).headers["Location"].endswith("/search?q=heroin+truck")


def test_another_agencys_restricted_record_makes_no_item_and_no_count(app, db, world, make_operation):
    scc, team, people = world
    mia = _client(app, people["mia_analyst"])
    _save(mia, "heroin truck", "q=heroin+truck")
    supervisor = _client(app, people["supervisor"])
    restricted = make_operation(scc, team, status="submitted", visibility="agency", narrative="heroin truck")
    _approve(supervisor, db, restricted.id)
    assert _items(db, people["mia_analyst"]) == []
    shared = make_operation(scc, team, status="submitted", visibility="all", narrative="heroin truck again")
    _approve(supervisor, db, shared.id)
    assert [params(item)["count"] for item in _items(db, people["mia_analyst"])] == [1]


def test_a_withheld_name_finds_nothing_for_the_other_agency(app, db, world, make_operation):
    scc, team, people = world
    mia, own = _client(app, people["mia_analyst"]), _client(app, people["scc_analyst"])
    _save(mia, "rahimov", "q=rahimov")
    _save(own, "rahimov", "q=rahimov")
    record = make_operation(scc, team, status="submitted", visibility="all", share_persons=False)
    db.add(Person(operation_id=record.id, full_name="Rahimov Jasur", name_norm=normalize.name("Rahimov Jasur")))
    db.commit()
    _approve(_client(app, people["supervisor"]), db, record.id)
    assert _items(db, people["mia_analyst"]) == []  # the record is readable, its persons are not
    assert len(_items(db, people["scc_analyst"])) == 1


def test_the_checkbox_on_the_list_turns_news_on_and_off_audited_and_garbage_changes_nothing(app, db, world):
    _scc, _team, people = world
    analyst = _client(app, people["scc_analyst"])
    _save(analyst, "opium", "q=opium", news=False)
    saved = _saved(db, people["scc_analyst"], "opium")
    assert saved.news is False
    assert 'name="news" value="1">' in analyst.get("/search").get_data(as_text=True)  # shown unticked
    analyst.post(f"/search/saved/{saved.id}/news", data={"news": "1"})
    db.expire_all()
    assert db.get(SavedSearch, saved.id).news is True
    assert 'value="1" checked>' in analyst.get("/search").get_data(as_text=True)
    refused = analyst.post(f"/search/saved/{saved.id}/news", data={"news": "yes please"}, follow_redirects=True)
    assert "Tick the box to be told about new records" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.get(SavedSearch, saved.id).news is True
    analyst.post(f"/search/saved/{saved.id}/news", data={})
    db.expire_all()
    assert db.get(SavedSearch, saved.id).news is False
    changes = db.exec(select(AuditEvent).where(AuditEvent.action == "saved_search_news")).all()
    assert len(changes) == 2
    other = _client(app, people["mia_analyst"])
    assert other.post(f"/search/saved/{saved.id}/news", data={"news": "1"}).status_code == 404


def _import(app, path, owner):
    with app.app_context(), force_locale("en"):
        outcome = import_file(app.extensions["ops_engine"], Job(path, path.name, owner))
    assert outcome.status == "done", outcome.message
    return outcome


def test_an_import_makes_one_item_per_watched_search_counting_only_readable_records(
    app, db, make_agency, make_team, make_user, tmp_path
):
    orgs = make_demo_orgs(make_agency, make_team)
    rows = read_rows(generated_file(tmp_path / "g.csv", 400, seed=11))
    heroin = sorted({row["operation_ref"] for row in rows if row["commodity"] == "heroin"})
    drugs = {row["operation_ref"] for row in rows if row["commodity_category"] == "drugs"}
    assert len(heroin) >= 4
    for row in rows:  # two heroin records for every agency, the rest for the owning agency alone
        row["visibility"] = "all" if row["operation_ref"] in heroin[:2] else "agency"
    path = write_rows(tmp_path / "shaped.csv", rows)
    scc_analyst, mia_analyst = make_user(orgs["SCC"], "analyst"), make_user(orgs["MIA"], "analyst")
    own, other = _client(app, scc_analyst), _client(app, mia_analyst)
    _save(own, "heroin", "commodity=heroin")
    _save(own, "drugs", "category=drugs")
    _save(own, "heroin, quietly", "commodity=heroin", news=False)
    _save(other, "heroin", "commodity=heroin")
    _save(other, "weapons", "category=weapons")  # silent unless a shared record has a weapon
    _import(app, path, orgs["SCC"])
    counts = {params(item)["name"]: params(item)["count"] for item in _items(db, scc_analyst)}
    assert counts == {"heroin": len(heroin), "drugs": len(drugs)}
    assert len(_items(db, scc_analyst)) == 2  # one per watched search, however many records
    shared_weapons = {r["operation_ref"] for r in rows if r["operation_ref"] in heroin[:2]} & {
        r["operation_ref"] for r in rows if r["commodity_category"] == "weapons"
    }
    expected = {"heroin": 2, **({"weapons": len(shared_weapons)} if shared_weapons else {})}
    assert {params(item)["name"]: params(item)["count"] for item in _items(db, mia_analyst)} == expected
    again = _import(app, path, orgs["SCC"])  # every row imported before: nothing new
    assert again.batch.rows_skipped == len(rows)
    assert len(_items(db, scc_analyst)) == 2


def test_an_import_extending_a_record_counts_its_new_seizures_only(
    app, db, make_agency, make_team, make_user, tmp_path
):
    orgs = make_demo_orgs(make_agency, make_team)
    rows = [dict(row, visibility="agency") for row in read_rows(generated_file(tmp_path / "g.csv", 400, seed=11))]
    by_operation = defaultdict(list)
    for row in rows:
        by_operation[row["operation_ref"]].append(row)
    members = next(m for m in by_operation.values() if len(m) >= 2)
    drug = {"commodity_category": "drugs", "unit": "kg"}
    first = [dict(members[0], commodity="heroin", quantity="2.5", **drug)]
    later = [dict(row, commodity="hashish", quantity="3.0", **drug) for row in members[1:]]
    analyst = make_user(orgs["SCC"], "analyst")
    _save(_client(app, analyst), "heroin", "commodity=heroin")
    _import(app, write_rows(tmp_path / "first.csv", first), orgs["SCC"])
    assert [params(item)["count"] for item in _items(db, analyst)] == [1]
    extended = _import(app, write_rows(tmp_path / "later.csv", first + later), orgs["SCC"])
    assert extended.batch.operations_extended == 1
    assert len(_items(db, analyst)) == 1  # its heroin was told of already; its new seizures are hashish


def test_the_sentence_is_composed_when_shown_in_the_readers_language(app, db, make_agency, make_user):
    analyst = make_user(make_agency("MIA"), "analyst")
    item = InboxItem(user_id=analyst.id, kind=KIND, params='{"count": 3, "name": "heroin truck"}', link="/")
    with app.test_request_context():
        with force_locale("en"):
            assert present.message(item) == "3 new records for your saved search “heroin truck”."
            assert present.title(item) == "Saved search"
        with force_locale("ru"):
            russian = ngettext(
                "%(num)d new record for your saved search “%(name)s”.",
                "%(num)d new records for your saved search “%(name)s”.",
                3,
                name="heroin truck",
            )
            assert present.message(item) == russian
