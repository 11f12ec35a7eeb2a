"""The policy's answers kept for a request are forgotten as soon as the request changes a record: a page that
changes who may read a record and then asks again is answered from the database, not from memory."""

from __future__ import annotations

from sqlalchemy import update

from ops import policy
from ops.db import session
from ops.models import Operation


def test_a_change_of_visibility_in_the_request_is_seen_at_once(app, make_agency, make_user, make_team, make_operation):
    team = make_team("IMT-TER")
    scc = make_agency("SCC")
    reader = make_user("MIA", role="analyst")
    record_id = make_operation(scc, team, visibility="all").id
    with app.test_request_context():
        db = session()
        record = db.get(Operation, record_id)
        assert policy.is_visible(reader, record)
        record.visibility = "agency"  # the owner narrows it, and the unit of work flushes it
        db.flush()
        assert not policy.is_visible(reader, record)
        db.rollback()
        assert policy.is_visible(reader, db.get(Operation, record_id))


def test_a_statement_that_writes_is_seen_at_once(app, make_agency, make_user, make_team, make_operation):
    team = make_team("IMT-TER")
    scc = make_agency("SCC")
    reader = make_user("MIA", role="analyst")
    record_id = make_operation(scc, team, visibility="all", share_persons=True).id
    with app.test_request_context():
        db = session()
        record = db.get(Operation, record_id)
        assert policy.is_visible(reader, record) and policy.persons_visible(reader, record)
        db.execute(update(Operation).where(Operation.id == record_id).values(share_persons=False))
        assert not policy.persons_visible(reader, record)
        db.execute(update(Operation).where(Operation.id == record_id).values(status="submitted"))
        assert not policy.is_visible(reader, record)
