"""The policy's answers kept for a request are forgotten as soon as the request changes a record: a page that
changes who may read a record and then asks again is answered from the database, not from memory."""

from __future__ import annotations

from flask import g
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


def test_the_persons_answer_read_with_the_visibility_is_the_one_asked_alone(
    app, make_agency, make_user, make_team, make_operation
):
    """is_visible asks a record of another agency whether the reader may see its persons in the same statement;
    that answer must be the one persons_visible gives when asked on its own, for every kind of record."""
    team = make_team("IMT-TER")
    scc = make_agency("SCC")
    readers = [make_user("MIA", role="analyst"), make_user("SBS", role="officer"), make_user("SCC", role="analyst")]
    records = [
        make_operation(scc, team, visibility=visibility, share_persons=share).id
        for visibility in ("agency", "partners", "all")
        for share in (True, False)
    ]
    answers = set()
    with app.test_request_context():
        db = session()
        for reader in readers:
            for record_id in records:
                record = db.get(Operation, record_id)
                g.pop("policy_memo", None)
                alone = policy.persons_visible(reader, record)
                g.pop("policy_memo", None)
                if policy.is_visible(reader, record):
                    assert policy.persons_visible(reader, record) == alone, (reader.username, record.visibility)
                    answers.add(alone)
    assert answers == {True, False}  # both answers were given
