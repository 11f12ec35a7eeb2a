"""The programme report and the team pages against counts computed here, independently, from generated records.

The aggregate rule is written out again below (approved only, cells under 3
shown as "<3", months of the reporting calendar) and compared with what
ops.equipment.aggregate answers. A lone seizure is planted in a team of its
own, with a kind of equipment nobody else uses: no cell may reveal it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from ops.equipment import report as report_module
from ops.equipment.aggregate import MASK, Cell, Query, aggregate, aggregate_by_each
from ops.importer.demo import load_generated
from ops.models import Operation, OperationAgency, Person, Seizure
from ops.models_equipment import EquipmentItem, OperationEquipment
from tests.support.equipment_kit import make_batch, make_item, make_programme
from tests.support.importing import make_demo_orgs

ZONE = ZoneInfo("Asia/Tashkent")
START, END = date(2024, 7, 1), date(2026, 6, 30)
LONE_KG = Decimal("987.654")


@pytest.fixture
def world(app, db, make_agency, make_team, make_operation):
    agencies = make_demo_orgs(make_agency, make_team)
    with app.app_context(), force_locale("en"):
        load_generated(1200, agencies, lambda _line: None)
    ops = db.execute(select(Operation.id, Operation.owner_team_id, Operation.owner_agency_id)).all()
    # some records still under review: they must not count anywhere
    held_back = [op_id for op_id, _t, _a in ops if op_id % 5 == 0]
    db.execute(update(Operation).where(Operation.id.in_(held_back)).values(status="submitted"))
    db.commit()
    _donor, project = make_programme(db)
    items = _equip(db, project, agencies, {team for _o, team, _a in ops})
    for op_id, team, _agency in ops:
        if op_id % 3 == 0:
            db.add(OperationEquipment(operation_id=op_id, item_id=items[(team, "radio")].id))
        if op_id % 4 == 0:
            db.add(OperationEquipment(operation_id=op_id, item_id=items[(team, "fibrescope")].id))
    lone_team = make_team("IMT-LONE", "IMT Lone", "imt")
    lone_batch = make_batch(db, project, agencies["SBS"], "HN-LONE")
    gps = make_item(db, lone_batch, "LONE-GPS-1", kind="gps", team=lone_team)
    lone = make_operation(
        agencies["SBS"],
        lone_team,
        seizures=(("heroin", "drugs", str(LONE_KG), "kg"),),
        started_at=datetime(2026, 2, 14, 10, 0, tzinfo=UTC),
    )
    db.add(OperationEquipment(operation_id=lone.id, item_id=gps.id))
    db.commit()
    return {"agencies": agencies, "project": project, "lone_team": lone_team, "lone": lone}


def _equip(db, project, agencies, team_ids) -> dict:
    batches = {code: make_batch(db, project, agency, f"HN-{code}") for code, agency in agencies.items()}
    codes = sorted(batches)
    items = {}
    for n, team_id in enumerate(sorted(t for t in team_ids if t)):
        batch = batches[codes[n % len(codes)]]
        team = type("T", (), {"id": team_id})
        items[(team_id, "radio")] = make_item(db, batch, f"R-{team_id}", "radio", team=team)
        items[(team_id, "fibrescope")] = make_item(db, batch, f"F-{team_id}", "fibrescope", team=team)
    return items


# --- the rule, written out again -------------------------------------------------------------


def _facts(db) -> list[dict]:
    """Every approved operation of the period with its own figures, read plainly."""
    begin = datetime.combine(START, datetime.min.time(), tzinfo=ZONE)
    end = datetime.combine(END + timedelta(days=1), datetime.min.time(), tzinfo=ZONE)
    parts, seized, detained = defaultdict(int), defaultdict(list), defaultdict(int)
    for (op_id,) in db.execute(select(OperationAgency.operation_id)):
        parts[op_id] += 1
    for op_id, kg in db.execute(select(Seizure.operation_id, Seizure.kg_equivalent)):
        seized[op_id].append(kg or Decimal(0))
    for op_id, arrested in db.execute(select(Person.operation_id, Person.arrested)):
        detained[op_id] += 1 if arrested else 0
    kinds = defaultdict(set)
    for op_id, kind in db.execute(
        select(OperationEquipment.operation_id, EquipmentItem.kind).join(
            EquipmentItem, EquipmentItem.id == OperationEquipment.item_id
        )
    ):
        kinds[op_id].add(kind)
    facts = []
    for op in db.execute(select(Operation)).scalars():
        started = op.started_at if op.started_at.tzinfo else op.started_at.replace(tzinfo=UTC)
        if op.status != "approved" or not begin <= started < end:
            continue
        local = started.astimezone(ZONE)
        facts.append(
            {
                "team": op.owner_team_id,
                "agency": op.owner_agency_id,
                "quarter": f"{local.year}-Q{(local.month - 1) // 3 + 1}",
                "kinds": kinds[op.id],
                "joint": parts[op.id] >= 2,
                "events": len(seized[op.id]),
                "kg": sum(seized[op.id], Decimal(0)),
                "persons": detained[op.id],
            }
        )
    return facts


def _expected(facts, key) -> dict:
    groups = defaultdict(list)
    for fact in facts:
        for value in key(fact):
            groups[value].append(fact)
    return {value: _mask(rows) for value, rows in groups.items()}


def _mask(rows) -> tuple:
    ops, joint = len(rows), sum(1 for r in rows if r["joint"])
    events, kg, persons = (
        sum(r["events"] for r in rows),
        sum((r["kg"] for r in rows), Decimal(0)),
        sum(r["persons"] for r in rows),
    )
    few = events < 3
    return (
        MASK if ops < 3 else ops,
        MASK if 0 < joint < 3 or ops < 3 else joint,
        MASK if few else events,
        MASK if few else kg,
        MASK if few or 0 < persons < 3 else persons,
    )


def _shown(cell: Cell) -> tuple:
    return (cell.operations, cell.joint, cell.events, cell.kg, cell.persons)


def _build(app, db):
    with app.test_request_context():
        return report_module.build(db, report_module.ReportQuery(START, END))


# --- the tests --------------------------------------------------------------------------------


def test_report_figures_equal_counts_computed_independently(app, db, world):
    facts = _facts(db)
    assert len(facts) > 50 and any(f["joint"] for f in facts)
    built = _build(app, db)
    teams = {k[0]: _shown(c) for k, c in built.teams.cells.items()}
    assert teams == _expected(facts, lambda f: [f["team"]])
    agencies = {k[0]: _shown(c) for k, c in built.agencies.cells.items()}
    assert agencies == _expected(facts, lambda f: [f["agency"]])
    quarters = {k[0]: _shown(c) for k, c in built.quarters.cells.items()}
    assert quarters == _expected(facts, lambda f: [f["quarter"]])
    assert _shown(built.teams.total) == _mask(facts)
    used = {k[0]: c.operations for k, c in built.utilisation.cells.items()}
    assert used == {kind: row[0] for kind, row in _expected(facts, lambda f: sorted(f["kinds"])).items()}
    assert any(isinstance(v, int) for v in used.values())  # not everything is hidden


def test_no_cell_reveals_the_lone_seizure(app, db, world, client, login_as, make_user, make_agency):
    built = _build(app, db)
    lone_team = world["lone_team"].id
    assert set(_shown(built.teams.cells[(lone_team,)])) == {MASK}
    assert built.utilisation.cells[("gps",)].operations == MASK
    programme = make_agency("UNDP", "Programme office")
    login_as(make_user(programme, "programme_officer"))
    args = f"starts_on={START}&ends_on={END}"
    page = client.get(f"/equipment/report?{args}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and MASK.replace("<", "&lt;") in html
    assert "987" not in html and world["lone"].ref not in html
    with client.get(f"/equipment/report.xlsx?{args}") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert cells and not any("987" in v for v in cells) and world["lone"].ref not in cells
    team_page = client.get(f"/equipment/teams/{lone_team}?{args}").get_data(as_text=True)
    assert "987" not in team_page and "Team performance" in team_page


def test_team_pages_lead_sees_own_team_only(app, db, world, client, login_as, make_user):
    lone_team = world["lone_team"]
    lead = make_user(world["agencies"]["SBS"], "lead", teams=[lone_team])
    login_as(lead)
    assert client.get(f"/equipment/teams/{lone_team.id}").status_code == 200
    other = db.execute(select(Operation.owner_team_id).where(Operation.owner_team_id != lone_team.id)).scalars().first()
    assert client.get(f"/equipment/teams/{other}").status_code == 404
    assert client.get("/equipment/report").status_code == 403
    bad = client.get(f"/equipment/teams/{lone_team.id}?starts_on=2026-05-01&ends_on=2026-01-01")
    assert bad.status_code == 400 and "ends before it starts" in bad.get_data(as_text=True)


@pytest.mark.parametrize("restriction", [{"handling_code": "H2"}, {"silent": True}])
def test_a_restricted_record_counts_in_the_grand_total_only(app, db, world, restriction):
    """An H2 record, or one its owner made silent, of a busy team: its seizures leave the team's cell and its
    agency's and quarter's, and the grand total keeps them."""
    before = _build(app, db)
    team = max(
        before.teams.cells,
        key=lambda key: before.teams.cells[key].events if isinstance(before.teams.cells[key].events, int) else -1,
    )
    with_seizures = select(Seizure.operation_id)
    op = (
        db.execute(
            select(Operation).where(
                Operation.owner_team_id == team[0],
                Operation.status == "approved",
                Operation.id.in_(with_seizures),
                Operation.started_at >= datetime(2024, 7, 2, tzinfo=UTC),  # inside the report's period
                Operation.started_at < datetime(2026, 6, 29, tzinfo=UTC),
            )
        )
        .scalars()
        .first()
    )
    for name, value in restriction.items():
        setattr(op, name, value)
    db.commit()
    after = _build(app, db)
    own = db.execute(select(func.count()).select_from(Seizure).where(Seizure.operation_id == op.id)).scalar()
    assert own and after.teams.cells[team].events == before.teams.cells[team].events - own
    agency = (op.owner_agency_id,)
    assert after.agencies.cells[agency].events == before.agencies.cells[agency].events - own
    assert after.teams.total.events == before.teams.total.events


def test_one_statement_by_each_dimension_equals_one_per_dimension(app, db, world):
    """aggregate_by_each adds up one grouped statement per dimension before masking: the cells must be those of
    asking each dimension alone, masks included; a dimension that is not the operation's is refused."""
    dimensions = ("team", "agency", "crossing_point", "quarter")
    with app.test_request_context():
        together = aggregate_by_each(db, Query(START, END, dimensions=dimensions))
        for name in dimensions:
            alone = aggregate(db, Query(START, END, dimensions=(name,)))
            assert together[name].cells == alone.cells, name
            assert together[name].total == alone.total
        assert any(MASK in _shown(cell) for cell in together["crossing_point"].cells.values())
        with pytest.raises(ValueError, match="not a dimension of the operation"):
            aggregate_by_each(db, Query(START, END, dimensions=("team", "kind")))
