"""The demo's shared records name their persons in narratives; another agency never reads those names."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from ops import names, policy
from ops.models import Agency, Operation, Person
from tests.support.accounts import login

RECORDS_READ = 12


def _leaks(text: str, withheld: dict[str, str]) -> list[str]:
    """Words of `text` that are, in any spelling, a part of three letters or more of a withheld name."""
    return [word for word in names.WORD.findall(text) if names.key(word) in withheld]


def _withheld(db, operation_ids) -> dict[str, str]:
    rows = db.execute(select(Person.full_name).where(Person.operation_id.in_(operation_ids))).scalars()
    return {names.key(part): part for full in rows for part in names.parts(full) if len(part) >= 3}


def test_no_withheld_name_of_a_demo_record_reaches_another_agency(app, runner, db, make_user, api_as):
    assert runner.invoke(args=["demo", "--records", "400"]).exit_code == 0
    agencies = db.execute(select(Agency).order_by(Agency.id)).scalars().all()
    checked = 0
    for agency in agencies:
        reader = make_user(agency, "analyst")
        with app.test_request_context():
            shared = (
                db.execute(
                    select(Operation.id)
                    .where(policy.visible_operations(reader), ~policy.persons_clause(reader))
                    .where(Operation.id.in_(select(Person.operation_id)))
                    .order_by(Operation.id)
                    .limit(RECORDS_READ)
                )
                .scalars()
                .all()
            )
        if not shared:
            continue
        client = app.test_client()  # one reader per client: a signed-in client stays signed in
        login(client, reader)
        api = api_as(reader)
        for operation_id in shared:
            withheld = _withheld(db, [operation_id])
            page = client.get(f"/operations/{operation_id}").get_data(as_text=True)
            assert _leaks(page, withheld) == [], operation_id
            detail = json.dumps(api.get(f"/api/v1/operations/{operation_id}").get_json(), ensure_ascii=False)
            assert _leaks(detail, withheld) == [], operation_id
            checked += 1
        export = client.get("/search/export/csv", query_string={"category": "drugs"}).get_data(as_text=True)
        for row in csv.DictReader(io.StringIO(export.lstrip("\ufeff"))):
            record = db.execute(select(Operation).where(Operation.ref == row["Record"])).scalar_one()
            with app.test_request_context():
                if policy.persons_visible(reader, record):
                    continue
            withheld = _withheld(db, [record.id])
            assert _leaks(" ".join(row.values()), withheld) == [], row["Record"]
    assert checked >= RECORDS_READ
