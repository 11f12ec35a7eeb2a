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


# --- a generated world with planted double reports -----------------------------------------

PLANT_MODES = ("same_crossing_point", "near", "plate")


def plant_double_reports(db, world, count: int, seed: int = 11) -> dict[int, int]:
    """Report `count` approved seizures a second time, by another agency: {duplicate id: original id}.

    The second report has the same commodity, a quantity within 5 %, a time within 40 hours, and the
    same crossing point, a place 10 km away, or the original's vehicle plate at a distant place. Both
    name the original's agency as the seizing one, so the original is the primary of each event.
    """
    import random
    from datetime import timedelta
    from decimal import Decimal

    from ops import normalize, vocab
    from ops.models import Operation, OperationAgency, OperationShare, Vehicle

    rng = random.Random(seed)
    approved = db.execute(
        select(Seizure, Operation)
        .join(Operation, Operation.id == Seizure.operation_id)
        .where(Operation.status == "approved", Operation.place_code.is_not(None))
        .order_by(Seizure.id)
    ).all()
    planted = {}
    for n, (original, operation) in enumerate(rng.sample(approved, count)):
        others = [code for code in ("SCC", "SSS", "MIA", "SBS") if world.agencies[code].id != operation.owner_agency_id]
        owner = rng.choice(others)
        mode = PLANT_MODES[n % len(PLANT_MODES)]
        place = vocab.PLACES_BY_CODE[operation.place_code]
        code, name, lat, lon = place.code, place.name, None, None
        if mode == "near":
            code, name, lat, lon = None, f"Road near {place.name}", place.lat + 0.09, place.lon
        elif mode == "plate":
            far = next(p for p in vocab.PLACES if abs(p.lat - place.lat) + abs(p.lon - place.lon) > 2)
            code, name = far.code, far.name
        visibility = rng.choice(["all", "partners", "agency"])
        duplicate_op = Operation(
            ref=f"DUP-{n:04d}",
            title=f"Joint inspection, second report {n}",
            op_type="checkpoint_inspection",
            started_at=original.occurred_at + timedelta(hours=rng.uniform(-40, 40)),
            place_code=code,
            place_name=name,
            region=place.region,
            lat=lat,
            lon=lon,
            narrative="Reported by the partner agency's team.",
            status="approved",
            visibility=visibility,
            owner_agency_id=world.agencies[owner].id,
            owner_team_id=world.teams["BLO-AYR"].id,
            lead_team_id=world.teams["BLO-AYR"].id,
        )
        db.add(duplicate_op)
        db.flush()
        db.add(OperationAgency(operation_id=duplicate_op.id, agency_id=duplicate_op.owner_agency_id))
        if visibility == "partners":
            db.add(OperationShare(operation_id=duplicate_op.id, agency_id=world.agencies["NDCC"].id))
        quantity = Decimal(original.quantity)
        if original.kg_equivalent is not None:
            quantity = (quantity * Decimal(str(rng.uniform(0.95, 1.05)))).quantize(Decimal("0.001"))
        duplicate = Seizure(
            operation_id=duplicate_op.id,
            owner_agency_id=duplicate_op.owner_agency_id,
            occurred_at=duplicate_op.started_at,
            category=original.category,
            commodity=original.commodity,
            quantity=quantity,
            unit=original.unit,
            kg_equivalent=vocab.kg_equivalent(original.commodity, original.unit, quantity),
            seizing_agency_id=original.owner_agency_id,
            conveyance=original.conveyance,
            concealment=original.concealment,
            detection=original.detection,
        )
        original.seizing_agency_id = original.owner_agency_id
        db.add_all([duplicate, original])
        if mode == "plate":
            plate = f"{n:02d} P {100 + n} BC"
            for op_id in (operation.id, duplicate_op.id):
                db.add(Vehicle(operation_id=op_id, plate=plate, plate_norm=normalize.identifier(plate)))
        db.flush()
        planted[duplicate.id] = original.id
    db.commit()
    return planted


def distinct_events(oracle, user, planted: dict[int, int], keep=lambda s: True) -> tuple[int, Decimal]:
    """(events, kg) among the seizures `user` may see, computed from the planted pairs alone: an event counts
    once, with its original report's kg where the reader sees it, else the second report's."""
    from decimal import Decimal

    by_id = {s["id"]: s for s in oracle.seizures}
    events: dict[int, Decimal] = {}
    for s in oracle.visible_seizures(user):
        if not keep(s):
            continue
        event = planted.get(s["id"], s["id"])
        kg = Decimal(str(s["kg_equivalent"])) if s["kg_equivalent"] is not None else Decimal(0)
        if event not in events or s["id"] == event:
            events[event] = kg
        assert event in by_id
    return len(events), sum(events.values(), Decimal(0))
