"""The database keeps the seizures' access copies and the full-text index in step with every write.

Writers (forms, importer, API) know nothing of the search: these tests write
through the ORM as they do and check what the index and the copies say.
"""

from __future__ import annotations

import itertools

from sqlalchemy import select, text

from ops import policy
from ops.models import Operation, OperationIdentityGrant, OperationShare, Person, Seizure, Vehicle
from tests.support.databases import ON_POSTGRES


def _copies(db, seizure_id):
    db.expire_all()
    return db.execute(
        select(
            Seizure.owner_agency_id,
            Seizure.op_status,
            Seizure.op_visibility,
            Seizure.op_team_id,
            Seizure.op_share_persons,
            Seizure.op_place,
            Seizure.op_region,
            Seizure.op_handling_code,
        ).where(Seizure.id == seizure_id)
    ).one()


def _found(db, words: str, column: str = "") -> set[int]:
    """Seizure ids whose indexed document holds `words` (all columns, or just `column`)."""
    if ON_POSTGRES:
        vector = "body_tsv" if column == "body" else "(body_tsv || persons_tsv)"
        sql = f"SELECT seizure_id FROM seizure_search WHERE {vector} @@ plainto_tsquery('simple', :w)"
    else:
        sql = "SELECT rowid FROM seizure_fts WHERE seizure_fts MATCH :w"
        words = "{body} : (" + words + ")" if column == "body" else words
    return {row[0] for row in db.execute(text(sql), {"w": words})}


def test_copies_follow_the_operation(db, make_agency, make_team, make_operation):
    scc, mia = make_agency("SCC"), make_agency("MIA")
    ter, tas = make_team("IMT-TER"), make_team("IMT-TAS")
    op = make_operation(scc, ter, status="draft", visibility="agency")
    seizure_id = db.execute(select(Seizure.id).where(Seizure.operation_id == op.id)).scalar()
    assert _copies(db, seizure_id) == (scc.id, "draft", "agency", ter.id, False, op.place_name, op.region, "H0")
    op = db.get(Operation, op.id)
    op.status, op.visibility, op.owner_team_id, op.share_persons = "approved", "all", tas.id, True
    op.place_name, op.region, op.handling_code = "Keles", "Tashkent region", "H1"
    db.commit()
    assert _copies(db, seizure_id) == (scc.id, "approved", "all", tas.id, True, "Keles", "Tashkent region", "H1")
    # a writer that sends other values (or a stale object) cannot make the copies lie
    db.execute(
        text(
            "UPDATE seizure SET op_status = 'approved', op_visibility = 'all', owner_agency_id = :a, "
            "op_handling_code = 'H0' WHERE id = :s"
        ),
        {"a": mia.id, "s": seizure_id},
    )
    op.status = "returned"
    db.commit()
    assert _copies(db, seizure_id)[:3] == (scc.id, "returned", "all")
    assert _copies(db, seizure_id)[-1] == "H1"


def test_index_follows_narrative_persons_vehicles_and_seizures(db, make_agency, make_team, make_operation):
    op = make_operation(make_agency("SCC"), make_team("IMT-TER"), narrative="Cargo of melons from Termez")
    seizure_id = db.execute(select(Seizure.id).where(Seizure.operation_id == op.id)).scalar()
    assert _found(db, "melons") == {seizure_id}
    op = db.get(Operation, op.id)
    op.narrative = "Cargo of watermelons"
    db.commit()
    assert _found(db, "melons") == set() and _found(db, "watermelons") == {seizure_id}
    db.add(Vehicle(operation_id=op.id, plate="01 A 777 QZ", plate_norm="01A777QZ"))
    db.add(
        Person(
            operation_id=op.id,
            full_name="Tolib Qurbonov",
            name_norm="TOLIB QURBONOV",
            document_number="FA 123-4567",
            document_norm="FA1234567",
        )
    )
    db.commit()
    assert _found(db, "01a777qz") == {seizure_id} and _found(db, "qurbonov") == {seizure_id}
    assert _found(db, "qurbonov", column="body") == set()  # names live apart from the body
    assert _found(db, "fa1234567") == {seizure_id}
    second = Seizure(
        operation_id=op.id,
        owner_agency_id=op.owner_agency_id,
        occurred_at=op.started_at,
        category="drugs",
        commodity="opium",
        quantity=1,
        unit="kg",
        conveyance="car",
    )
    db.add(second)
    db.commit()
    assert _found(db, "qurbonov") == {seizure_id, second.id}  # a new seizure gets the record's persons
    person = db.execute(select(Person).where(Person.operation_id == op.id)).scalar_one()
    db.delete(person)
    db.commit()
    assert _found(db, "qurbonov") == set()
    db.delete(db.get(Seizure, second.id))
    db.commit()
    assert _found(db, "opium") == set()
    db.delete(db.get(Operation, op.id))
    db.commit()
    assert _found(db, "watermelons") == set()


def test_narrative_words_that_name_the_persons_stay_out_of_the_body(db, make_agency, make_team, make_operation):
    op = make_operation(
        make_agency("SCC"),
        make_team("IMT-TER"),
        narrative="Javlon Ismoilov (document AB6887609) was arrested; Ismoilov's car was searched.",
    )
    db.add(
        Person(
            operation_id=op.id,
            full_name="Javlon Ismoilov",
            name_norm="JAVLON ISMOILOV",
            document_number="AB6887609",
            document_norm="AB6887609",
        )
    )
    db.commit()
    seizure_id = db.execute(select(Seizure.id).where(Seizure.operation_id == op.id)).scalar()
    assert _found(db, "ismoilov", column="body") == set()
    assert _found(db, "ab6887609", column="body") == set()
    assert _found(db, "arrested", column="body") == {seizure_id}
    assert _found(db, "ismoilov") == {seizure_id}


def test_visible_seizures_is_visible_operations_on_every_combination(
    app, db, make_agency, make_team, make_user, make_operation
):
    """The rule is written once; its two compilations must agree for every user and record."""
    agencies = [make_agency(code) for code in ("SCC", "SSS", "MIA")]
    teams = [make_team("IMT-TER"), make_team("IMT-TAS")]
    for owner, team, status, visibility in itertools.product(
        agencies, teams, ["draft", "submitted", "approved"], ["team", "agency", "partners", "all"]
    ):
        make_operation(
            owner,
            team,
            status=status,
            visibility=visibility,
            partners=[a for a in agencies if a is not owner][:1] if visibility == "partners" else [],
        )
    users = [
        make_user(agency, role, teams=members)
        for agency in agencies
        for role, members in [
            ("officer", [teams[0]]),
            ("supervisor", []),
            ("analyst", []),
            ("admin", []),
            ("auditor", [teams[1]]),
        ]
    ]
    with app.test_request_context():
        from ops.db import session

        for user in users:
            ops = set(session().execute(select(Operation.id).where(policy.visible_operations(user))).scalars())
            via_seizures = set(
                session().execute(select(Seizure.operation_id).where(policy.visible_seizures(user))).scalars()
            )
            assert ops == via_seizures, (user.username, user.role)


def test_persons_and_export_rules_on_seizures_agree_with_the_operations_on_every_combination(
    app, db, make_agency, make_team, make_user, make_operation
):
    """persons_clause / seizure_persons_clause and exportable_operations / exportable_seizures: one rule each,
    compiled twice (the seizures' copies of migrations 0004 and 0005); they agree for every reader and record."""
    agencies = [make_agency(code) for code in ("SCC", "SSS", "MIA")]
    team = make_team("IMT-TER")
    combinations = itertools.product(agencies, ["agency", "partners", "all"], [False, True], ["H0", "H2"], range(3))
    for owner, visibility, share_persons, code, granted in combinations:
        others = [a for a in agencies if a is not owner]
        op = make_operation(owner, team, visibility=visibility, share_persons=share_persons, partners=others)
        op = db.get(Operation, op.id)
        op.handling_code = code
        if granted == 1:  # the first partner gets identities per share row
            db.get(OperationShare, (op.id, others[0].id)).persons = True
        elif granted == 2:  # the second is a named exception
            db.add(OperationIdentityGrant(operation_id=op.id, agency_id=others[1].id))
        db.commit()
    users = [make_user(agency, "analyst") for agency in agencies]
    with app.test_request_context():
        from ops.db import session

        for user in users:
            for on_operation, on_seizure in (
                (policy.persons_clause(user), policy.seizure_persons_clause(user)),
                (policy.exportable_operations(user), policy.exportable_seizures(user)),
            ):
                ops = set(session().execute(select(Operation.id).where(on_operation)).scalars())
                via_seizures = set(session().execute(select(Seizure.operation_id).where(on_seizure)).scalars())
                assert ops == via_seizures, user.username
                assert 0 < len(ops) < 3 * 3 * 2 * 2 * 3, "the rule must both give and withhold"


def test_a_share_added_later_opens_the_seizures_to_that_agency(
    app, db, make_agency, make_team, make_user, make_operation
):
    scc, sss = make_agency("SCC"), make_agency("SSS")
    op = make_operation(scc, make_team("IMT-TER"), visibility="partners")
    analyst = make_user(sss, "analyst")
    with app.test_request_context():
        from ops.db import session

        visible = lambda: session().execute(select(Seizure.id).where(policy.visible_seizures(analyst))).all()  # noqa: E731
        assert visible() == []
        db.add(OperationShare(operation_id=op.id, agency_id=sss.id))
        db.commit()
        session().expire_all()
        assert len(visible()) == 1
