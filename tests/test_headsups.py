"""Heads-up messages between counterpart offices: both directions, acknowledgement, answer, expiry; audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from ops import clock
from ops.models import AuditEvent, InboxItem
from ops.models_liaison import HeadsUp
from tests.support import releasekit as kit


@pytest.fixture
def world(app, db, make_agency, make_team, make_user):
    scc, blo = make_agency("SCC"), make_team("BLO-TER", kind="blo")
    tajik = kit.office(db, make_agency)
    kit.pair(app, db, scc, tajik)
    return {
        "scc": scc,
        "tajik": tajik,
        "kyrgyz": kit.office(db, make_agency, "BS-KG", "KG", "en"),
        "lead": make_user(scc, "lead", teams=[blo]),
        "tajik_lead": make_user(tajik, "lead"),
        "kyrgyz_lead": make_user("BS-KG", "lead"),
    }


def _message(to_agency_id: int, **change) -> dict:
    form = {"to_agency": str(to_agency_id), "subject": "vehicle", "plate": "01 A 777 KA", "place_code": "AYRITOM"}
    form.update(text="A white truck expected tonight", valid_hours="24", window_start="2026-12-01T18:00")
    form.update(window_end="2026-12-01T23:00")
    return {**form, **change}


def _all(db):
    db.expire_all()
    return db.exec(select(HeadsUp).order_by(HeadsUp.id)).all()


def test_both_sides_read_acknowledge_and_answer_the_thread(app, db, world):
    national, partner = kit.signed_in(app, world["lead"]), kit.signed_in(app, world["tajik_lead"])
    assert national.post("/liaison/messages/new", data=_message(world["tajik"].id)).status_code == 302
    (first,) = _all(db)
    assert db.exec(select(InboxItem.kind).where(InboxItem.user_id == world["tajik_lead"].id)).all() == [
        "headsup_received"
    ]
    assert "white truck" in kit.text(partner.get(f"/liaison/messages/{first.id}"))
    assert partner.post(f"/liaison/messages/{first.id}/acknowledge").status_code == 302
    assert partner.post(f"/liaison/messages/{first.id}/reply", data={"text": "We will watch for it"}).status_code == 302
    first, answer = _all(db)
    assert first.acknowledged_by_id == world["tajik_lead"].id
    assert (answer.thread_id, answer.from_agency_id, answer.to_agency_id) == (
        first.id,
        world["tajik"].id,
        world["scc"].id,
    )
    assert "We will watch for it" in kit.text(national.get(f"/liaison/messages/{first.id}"))
    assert "headsup_reply" in db.exec(select(InboxItem.kind).where(InboxItem.user_id == world["lead"].id)).all()
    # and back: the counterpart office writes first too
    assert partner.post("/liaison/messages/new", data=_message(world["scc"].id)).status_code == 302
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.object_type == "headsup")).all())
    assert {"headsup_send", "headsup_view", "headsup_acknowledge", "headsup_reply"} <= actions


@pytest.mark.parametrize(
    "change, message",
    [
        ({"to_agency": "other"}, "not a counterpart of your agency"),
        ({"window_end": "2026-12-01T10:00"}, "The time window ends before it starts."),
        ({"text": ""}, "Write the message"),
        ({"valid_hours": "500"}, "valid from 1 to 168 hours"),
    ],
)
def test_bad_messages_send_nothing(app, db, world, change, message):
    national = kit.signed_in(app, world["lead"])
    if change.get("to_agency") == "other":
        change = {"to_agency": str(world["kyrgyz"].id)}
    answer = national.post("/liaison/messages/new", data=_message(world["tajik"].id, **change))
    assert answer.status_code == 400 and message in kit.text(answer)
    assert _all(db) == []


def test_other_offices_see_nothing_and_an_expired_message_takes_no_answer(app, db, world):
    national = kit.signed_in(app, world["lead"])
    national.post("/liaison/messages/new", data=_message(world["tajik"].id))
    (first,) = _all(db)
    stranger = kit.signed_in(app, world["kyrgyz_lead"])
    assert stranger.get(f"/liaison/messages/{first.id}").status_code == 404
    assert f'/liaison/messages/{first.id}"' not in kit.text(stranger.get("/liaison/messages"))
    partner = kit.signed_in(app, world["tajik_lead"])
    first.expires_at = clock.now() - timedelta(minutes=1)
    db.add(first)
    db.commit()
    assert partner.post(f"/liaison/messages/{first.id}/reply", data={"text": "late"}).status_code == 404
    assert "can no longer be answered" in kit.text(partner.get(f"/liaison/messages/{first.id}"))
    assert len(_all(db)) == 1
