"""The data model on the real database: relations, constraints, optimistic locking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from ops.models import Attachment, Operation, Person, Seizure, Vehicle


def test_operation_with_everything_round_trips(db, make_agency, make_team, make_operation):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    op = make_operation(scc, team, seizures=[("heroin", "drugs", "12.345", "kg"), ("cash_usd", "cash", "25000", "USD")])
    db.add(
        Person(
            operation_id=op.id,
            full_name="Botir Akhmedov",
            name_norm="BOTIR AKHMEDOV",
            birth_date=date(1980, 1, 2),
            nationality="UZ",
            document_type="passport",
            document_number="FA 383-8205",
            document_norm="FA3838205",
            role="driver",
            arrested=True,
        )
    )
    db.add(Vehicle(operation_id=op.id, plate="01 A 123 BC", plate_norm="01A123BC", country="UZ"))
    db.add(
        Attachment(
            operation_id=op.id, filename="x.jpg", content_type="image/jpeg", size=3, sha256="a" * 64, storage_key="k"
        )
    )
    db.commit()
    seizures = db.exec(select(Seizure).where(Seizure.operation_id == op.id).order_by(Seizure.id)).all()
    assert [s.quantity for s in seizures] == [Decimal("12.345"), Decimal("25000")]
    assert db.exec(select(Person.document_norm)).one() == "FA3838205"
    assert op.started_at.tzinfo is not None


def test_naive_datetimes_are_refused(db, make_agency, make_team, make_operation):
    from datetime import datetime

    op = make_operation(make_agency(), make_team())
    op.started_at = datetime(2025, 1, 1, 12, 0)  # no zone: would be ambiguous
    db.add(op)
    with pytest.raises(Exception, match="timezone"):
        db.commit()


def test_optimistic_locking_refuses_a_save_over_a_newer_version(app, db, make_agency, make_team, make_operation):
    op = make_operation(make_agency(), make_team())
    engine = app.extensions["ops_engine"]
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(Operation, op.id), second.get(Operation, op.id)
        theirs.title = "Their change"
        second.commit()
        mine.title = "My change"
        with pytest.raises(StaleDataError):
            first.commit()
    db.expire_all()
    saved = db.get(Operation, op.id)
    assert saved.title == "Their change" and saved.version == 2


def test_reference_is_unique(db, make_agency, make_team, make_operation):
    op = make_operation(make_agency(), make_team())
    clone = Operation(**{k: v for k, v in op.model_dump().items() if k not in ("id",)})
    db.add(clone)
    with pytest.raises(IntegrityError):
        db.commit()


def test_deleting_an_operation_removes_its_seizures(db, make_agency, make_team, make_operation):
    op = make_operation(make_agency(), make_team())
    db.delete(db.get(Operation, op.id))
    db.commit()
    assert db.exec(select(Seizure)).all() == []
