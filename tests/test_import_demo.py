"""Demo records come through the importer, and imported records are shared exactly as their visibility says."""

from __future__ import annotations

from sqlalchemy import func, select

from ops import policy
from ops.models import Agency, Operation, OperationShare, Seizure
from tests.support.importing import generated_file, make_demo_orgs, stored_counts


def load(app, orgs, records: int) -> str:
    """The demo's record loader, as `ops demo` calls it after creating the organisations."""
    from ops.importer.demo import load_generated

    lines = []
    with app.app_context():
        load_generated(records, orgs, lines.append)
    return "\n".join(lines)


def test_demo_loads_records_of_every_agency_and_is_idempotent(app, db, make_agency, make_team):
    orgs = make_demo_orgs(make_agency, make_team)
    load(app, orgs, 800)
    owners = dict(
        db.execute(
            select(Agency.code, func.count(Operation.id))
            .join(Operation, Operation.owner_agency_id == Agency.id)
            .group_by(Agency.code)
        ).all()
    )
    assert set(owners) == {"SCC", "SSS", "MIA", "SBS", "NDCC"} and all(owners.values())
    assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 800
    counts = stored_counts(db)
    second = load(app, orgs, 800)
    assert second.count("0 operations and 0 seizures imported") == 5
    assert stored_counts(db) == counts
    load(app, orgs, 900)  # a larger demo keeps the records it had and adds the rest
    assert db.execute(select(func.count()).select_from(Seizure)).scalar_one() == 900


def test_each_demo_operation_is_owned_by_the_agency_of_its_first_seizure(app, db, make_agency, make_team):
    load(app, make_demo_orgs(make_agency, make_team), 300)
    from ops.generator import generate_rows
    from ops.importer.demo import DEMO_SEED

    first_agency = {}
    for row in generate_rows(300, DEMO_SEED):
        first_agency.setdefault(row[1], row[3])
    stored = dict(
        db.execute(select(Operation.import_key, Agency.name).join(Agency, Agency.id == Operation.owner_agency_id)).all()
    )
    assert stored == first_agency


def _visible_ids(app, user):
    with app.app_context():
        from ops.db import session

        return set(session().execute(select(Operation.id).where(policy.visible_operations(user))).scalars())


def test_imported_records_reach_only_the_agencies_their_visibility_names(
    app, runner, db, tmp_path, make_agency, make_team, make_user
):
    orgs = make_demo_orgs(make_agency, make_team)
    assert (
        runner.invoke(args=["import", str(generated_file(tmp_path / "g.csv", 1500)), "--agency", "SCC"]).exit_code == 0
    )
    operations = db.exec(select(Operation)).scalars().all()
    shared = {(s.operation_id, s.agency_id) for s in db.exec(select(OperationShare)).scalars()}
    for code in ("SBS", "MIA", "SSS", "NDCC"):
        analyst = make_user(agency=orgs[code], role="analyst")
        expected = {
            op.id
            for op in operations
            if op.visibility == "all" or (op.visibility == "partners" and (op.id, orgs[code].id) in shared)
        }
        assert _visible_ids(app, analyst) == expected, code
    own = make_user(agency=orgs["SCC"], role="analyst")
    assert _visible_ids(app, own) == {op.id for op in operations if op.visibility != "team"}
    assert {op.visibility for op in operations} == {"team", "agency", "partners", "all"}
