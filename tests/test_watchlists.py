"""Watchlists: a user watches a plate, document number, phone number or full name; approval, amendment and
imports tell them in the inbox (one item per user per import), without revealing what they may not read."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlmodel import func, select

from ops.generator import COLUMNS
from ops.importer.services import Job, import_file
from ops.models import InboxItem, Operation, Watch
from tests.support.accounts import login
from tests.support.hitkit import CANARIES, no_canary, text
from tests.support.importing import generated_file, make_demo_orgs, read_rows
from tests.support.op_forms import VEHICLE, create


def _clients(app, **users):
    clients = {}
    for name, user in users.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    return clients


def _version(db, op_id) -> str:
    db.expire_all()
    return str(db.get(Operation, op_id).version)


def _watch(client, kind, value):
    return client.post("/watchlist", data={"kind": kind, "value": value})


@pytest.mark.parametrize(
    "kind, value, message",
    [
        ("phone", "12", "“12” is not a phone number that can be watched."),
        ("name", "Rahimov", "“Rahimov” is not a full name that can be watched."),
        ("plate", "abc", "“abc” is not a plate that can be watched."),
        ("document", "   ", "“” is not a document number that can be watched."),
    ],
)
def test_a_value_that_normalises_to_nothing_is_refused(app, db, make_agency, make_user, kind, value, message):
    c = _clients(app, analyst=make_user(make_agency("MIA"), "analyst"))
    response = _watch(c["analyst"], kind, value)
    assert response.status_code == 400 and message in text(response)
    assert db.exec(select(func.count()).select_from(Watch)).one() == 0


def test_the_same_value_in_another_spelling_is_watched_once(app, db, make_agency, make_user):
    c = _clients(app, analyst=make_user(make_agency("MIA"), "analyst"))
    assert _watch(c["analyst"], "name", "Rahimov Jasur").status_code == 302
    again = _watch(c["analyst"], "name", "Жасур Рахимов")
    assert "You watch this already." in text(again)
    assert "Rahimov Jasur" in text(c["analyst"].get("/watchlist"))


@pytest.fixture
def owners(app, make_agency, make_team, make_user):
    scc, mia, team = make_agency("SCC"), make_agency("MIA"), make_team("IMT-TER")
    people = {
        "lead": make_user(scc, "lead", teams=[team]),
        "supervisor": make_user(scc, "supervisor"),
        "scc_analyst": make_user(scc, "analyst"),
        "mia_analyst": make_user(mia, "analyst"),
    }
    return team, people, _clients(app, **people)


def test_approval_tells_readers_and_hit_holders_without_content(db, owners):
    team, people, c = owners
    _watch(c["mia_analyst"], "plate", "01-a-777-ka")
    _watch(c["scc_analyst"], "plate", "01 A 777 KA")
    op_id = create(
        c["lead"],
        team,
        vehicles=[{**VEHICLE, "plate": "01 A 777 KA"}],
        visibility="agency",
        narrative=f"{CANARIES[0]} in the cabin",
    )
    c["lead"].post(f"/operations/{op_id}/submit", data={"version": _version(db, op_id)})
    assert db.exec(select(func.count()).select_from(InboxItem).where(InboxItem.kind == "watch_hit")).one() == 0
    c["supervisor"].post(f"/operations/{op_id}/review", data={"decision": "approve", "version": _version(db, op_id)})
    reader = db.exec(select(InboxItem).where(InboxItem.user_id == people["scc_analyst"].id)).one()
    assert reader.link == f"/operations/{op_id}"
    other = db.exec(select(InboxItem).where(InboxItem.user_id == people["mia_analyst"].id)).one()
    assert other.link == "/search/lookup?value=01-a-777-ka" and other.operation_id is None
    page = text(c["mia_analyst"].get("/inbox"))
    assert "New matching records for your watched plate 01-a-777-ka: 1." in page
    no_canary(page, "01-a-777-ka")


def test_an_import_makes_one_item_per_watching_user(app, db, make_agency, make_team, make_user, tmp_path):
    orgs = make_demo_orgs(make_agency, make_team)
    path = generated_file(tmp_path / "g.csv", 300, seed=11)
    rows = read_rows(path)
    plates = [row["vehicle_plate"] for row in rows if row["vehicle_plate"]]
    repeated = max(set(plates), key=plates.count)
    assert plates.count(repeated) >= 2
    watcher = make_user(orgs["SCC"], "analyst")
    c = _clients(app, watcher=watcher)
    _watch(c["watcher"], "plate", repeated)
    with app.app_context(), force_locale("en"):
        outcome = import_file(app.extensions["ops_engine"], Job(path, path.name, orgs["SCC"]))
    assert outcome.status == "done", outcome.message
    items = db.exec(select(InboxItem).where(InboxItem.user_id == watcher.id)).all()
    assert len(items) == 1 and items[0].kind == "watch_hit"
    assert COLUMNS
