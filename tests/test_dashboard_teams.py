"""The dashboard's team axis and quarters: per team, operations, joint operations, seizures and kg-equivalent
per category, persons detained and equipment used, equal to counts made here from the raw tables with the
access rule as the README states it (the search kit's oracle), for readers of several agencies and queries."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

from ops.db import session
from ops.models import AuditEvent, Operation, OperationAgency, Person
from ops.models_equipment import OperationEquipment
from ops.search import services
from tests.support import searchkit
from tests.support.accounts import login
from tests.support.equipment_kit import make_batch, make_item, make_programme

TASHKENT = ZoneInfo("Asia/Tashkent")
READERS = ["ndcc_analyst", "scc_analyst", "scc_supervisor", "mia_lead"]
QUERIES = [{}, {"from": "2023-01-01", "to": "2023-12-31"}, {"category": "drugs"}, {"agency": "MIA", "q": "truck"}]


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    app, people, _oracle = searchkit.world_app(database_url, tmp_path_factory.mktemp("teams"), operations=300)
    with app.app_context(), Session(app.extensions["ops_engine"], expire_on_commit=False) as db:
        _joint_arrests_and_equipment(db, people)
        oracle = searchkit.Oracle(db)
        oracle.participants = defaultdict(set)
        for row in db.exec(select(OperationAgency)):
            oracle.participants[row.operation_id].add(row.agency_id)
        oracle.arrested = defaultdict(int)
        for person in db.exec(select(Person).where(Person.arrested.is_(True))):
            oracle.arrested[person.operation_id] += 1
        oracle.used = [(row.operation_id, row.item_id) for row in db.exec(select(OperationEquipment))]
    yield app, people, oracle
    app.extensions["ops_engine"].dispose()


def _joint_arrests_and_equipment(db, people) -> None:
    """The generated world has one agency per operation and nobody detained: make some joint, some arrests,
    and some equipment used, in a fixed pattern."""
    agencies = sorted(a.id for a in people.agencies.values())
    for op_id, owner in db.exec(select(Operation.id, Operation.owner_agency_id)).all():
        if op_id % 3 == 0:
            db.add(OperationAgency(operation_id=op_id, agency_id=next(a for a in agencies if a != owner)))
        if op_id % 5 == 0:
            for person in db.exec(select(Person).where(Person.operation_id == op_id)):
                person.arrested = True
                db.add(person)
    _donor, project = make_programme(db)
    batch = make_batch(db, project, people.agencies["SCC"], "HN-1", on=date(2020, 1, 1))
    radio, scope = make_item(db, batch, "R-1"), make_item(db, batch, "F-1", kind="fibrescope")
    for op_id in db.exec(select(Operation.id)).all():
        for item, every in ((radio, 4), (scope, 6)):
            if op_id % every == 0:
                db.add(OperationEquipment(operation_id=op_id, item_id=item.id))
    db.commit()


def _local(value):
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(TASHKENT)


def _expected(oracle, people, user, args: dict) -> tuple[dict, dict]:
    """(per team code, per quarter) counted from the raw rows, as the dashboard's notes define them."""
    agency = people.agencies[args["agency"]].id if "agency" in args else None
    day = lambda value: _local(value).date()  # noqa: E731
    first, last = (date.fromisoformat(args[k]) if k in args else None for k in ("from", "to"))

    def in_period(value) -> bool:
        return (first is None or day(value) >= first) and (last is None or day(value) <= last)

    def seizure_matches(s) -> bool:
        op = oracle.operations[s["operation_id"]]
        words_ok = "q" not in args or oracle.finds(user, s, [[(args["q"],)]])
        category_ok = "category" not in args or s["category"] == args["category"]
        owner_ok = agency is None or s["owner_agency_id"] == agency
        return in_period(_as_datetime(s["occurred_at"])) and words_ok and category_ok and owner_ok and bool(op)

    seizures = [s for s in oracle.visible_seizures(user) if seizure_matches(s)]
    holding = {s["operation_id"] for s in seizures}
    filters_seizures = "q" in args or "category" in args
    ops = [
        op
        for op in oracle.operations.values()
        if oracle.visible(user, op)
        and (
            op["id"] in holding
            or (
                not filters_seizures
                and in_period(_as_datetime(op["started_at"]))
                and (agency is None or op["owner_agency_id"] == agency)
            )
        )
    ]
    teams = defaultdict(lambda: {"ops": 0, "joint": 0, "events": 0, "kg": Decimal(0), "persons": 0, "cats": {}})
    quarters = defaultdict(lambda: {"ops": 0, "events": 0})
    by_op = defaultdict(list)
    for s in seizures:
        by_op[s["operation_id"]].append(s)
    for op in ops:
        team = teams[oracle.team_codes[op["owner_team_id"]]]
        started = _local(_as_datetime(op["started_at"]))
        quarter = quarters[f"{started.year}-Q{(started.month - 1) // 3 + 1}"]
        team["ops"] += 1
        quarter["ops"] += 1
        team["joint"] += len(oracle.participants[op["id"]]) >= 2
        team["persons"] += oracle.arrested[op["id"]]
        for s in by_op[op["id"]]:
            kg = Decimal(str(s["kg_equivalent"] or 0))
            team["events"] += 1
            quarter["events"] += 1
            team["kg"] += kg
            count, weight = team["cats"].get(s["category"], (0, Decimal(0)))
            team["cats"][s["category"]] = (count + 1, weight + kg)
    in_scope = {op["id"]: oracle.team_codes[op["owner_team_id"]] for op in ops}
    used = defaultdict(lambda: (set(), 0))
    for op_id, item in oracle.used:
        if op_id in in_scope:
            items, uses = used[in_scope[op_id]]
            used[in_scope[op_id]] = (items | {item}, uses + 1)
    for code, (items, uses) in used.items():
        teams[code]["equipment"] = (len(items), uses)
    return dict(teams), dict(quarters)


def _as_datetime(value):
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _axis(app, user, args: dict):
    with app.test_request_context():
        db = session()
        outcome, board = services.dashboard(db, user, MultiDict(args))
        assert board is not None, outcome.errors
        _outcome, axis = services.dashboard_teams(db, user, MultiDict(args))
        return board, axis


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("args", QUERIES, ids=[str(q) for q in QUERIES])
def test_team_figures_equal_counts_from_the_records(world, reader, args):
    app, people, oracle = world
    user = people.users[reader]
    board, axis = _axis(app, user, args)
    teams, quarters = _expected(oracle, people, user, args)
    assert teams, "the generated world gives this reader something to count"
    got = {
        row.code: {
            "ops": row.figures.operations,
            "joint": row.figures.joint,
            "events": row.figures.events,
            "kg": row.figures.kg,
            "persons": row.figures.persons,
            "cats": row.categories,
            **({"equipment": (row.items_used, row.times_used)} if row.times_used else {}),
        }
        for row in axis.teams
    }
    assert got == teams
    assert axis.total.events == board.totals.seizures  # the teams' seizures are the dashboard's
    assert axis.total.kg == board.totals.kg
    shown = {row.quarter: {"ops": row.figures.operations, "events": row.figures.events} for row in axis.quarters}
    assert {quarter: cell for quarter, cell in shown.items() if cell["ops"]} == quarters
    years = [int(row.quarter[:4]) * 4 + int(row.quarter[-1]) for row in axis.quarters]
    assert years == list(range(years[0], years[0] + len(years)))  # every quarter, the empty ones too


def test_quarters_compare_with_the_quarter_just_before(world):
    app, people, _oracle = world
    gaps = 0
    for reader, args in (("scc_supervisor", {}), ("mia_lead", {"category": "weapons"}), ("ndcc_analyst", {})):
        _board, axis = _axis(app, people.users[reader], args)
        rows = axis.quarters
        assert rows and rows[0].change == {}
        gaps += sum(not row.figures.operations for row in rows)
        for before, now in zip(rows, rows[1:], strict=False):
            if before.figures.operations:
                expected = (now.figures.operations - before.figures.operations) / before.figures.operations
                assert now.change["operations"] == pytest.approx(expected)
            else:
                assert "operations" not in now.change  # nothing to compare with: shown as "—"
    assert gaps, "some reader has a quarter without operations, shown as such"


def test_the_teams_page_shows_teams_and_quarters_and_is_audited(
    client, db, make_agency, make_team, make_user, make_operation
):
    scc, mia = make_agency("SCC"), make_agency("MIA")
    seen, hidden = make_team("IMT-TER"), make_team("BLO-SECRET")
    make_operation(scc, seen, visibility="all")
    make_operation(scc, hidden, visibility="agency")  # not for a reader of another agency
    login(client, make_user(mia, "analyst"))
    assert "/search/dashboard/teams" in client.get("/search/dashboard").get_data(as_text=True)
    text = client.get("/search/dashboard/teams?category=drugs").get_data(as_text=True)
    assert 'id="quarters"' in text
    teams = text[text.index('id="teams"') : text.index('id="quarters"')]
    assert "IMT-TER" in teams and "BLO-SECRET" not in teams
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "search").order_by(AuditEvent.seq.desc())).first()
    assert json.loads(event.detail) == {"dashboard_teams": "category=drugs", "found": 1}
    assert client.get("/search/dashboard/teams?kg_min=-1").status_code == 400
