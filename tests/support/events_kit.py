"""Test helpers for seizure events: two agencies' reports of one seizure, signed-in clients, search totals."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from ops.db import session
from ops.models import AuditEvent, Seizure, SeizureLink
from ops.search import services
from tests.support.accounts import login


def seizures_of(db, operation) -> list[Seizure]:
    return list(db.execute(select(Seizure).where(Seizure.operation_id == operation.id).order_by(Seizure.id)).scalars())


def set_figures(db, operation, kg: str | None, seizing_agency=None, plate: str | None = None) -> Seizure:
    """Give the record's (first) seizure its kg-equivalent and seizing agency, as a form would."""
    seizure = seizures_of(db, operation)[0]
    seizure.kg_equivalent = Decimal(kg) if kg is not None else None
    seizure.seizing_agency_id = seizing_agency.id if seizing_agency is not None else None
    db.add(seizure)
    db.commit()
    return seizure


def client_of(app, user):
    client = app.test_client()
    response = login(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def totals(app, user, args: dict):
    """(seizures counted, kg counted, rows listed but not counted) of a search, as the service computes them."""
    with app.test_request_context():
        outcome = services.run(session(), user, MultiDict(args))
        assert not outcome.errors, outcome.errors
        t = outcome.facets.totals
        return t.seizures, t.kg, t.not_counted


def written(db) -> tuple:
    """What a refused step must leave untouched: links and their states, primaries, audit events."""
    db.expire_all()
    links = tuple(db.execute(select(SeizureLink.id, SeizureLink.status, SeizureLink.version)).all())
    primaries = tuple(db.execute(select(Seizure.id, Seizure.event_primary_id).order_by(Seizure.id)).all())
    events = db.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("seizure_link%")))
    return links, primaries, events.scalar_one()
