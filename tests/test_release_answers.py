"""A pending release refused by a supervisor or withdrawn: who may, in which state, what the office sees after.

A refused or withdrawn release never reaches the counterpart office; each step is audited and listed on the
record for its owner; the writer is told a refusal's reason in the inbox.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops.liaison import services
from ops.models import AuditEvent, InboxItem
from ops.models_liaison import Release
from tests.support import releasekit as kit


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, blo = make_agency("SCC"), make_team("BLO-TER", kind="blo")
    tajik = kit.office(db, make_agency)
    kit.pair(app, db, scc, tajik)
    return {
        "scc": scc,
        "tajik": tajik,
        "writer": make_user(scc, "lead", teams=[blo]),
        "other_lead": make_user(scc, "lead", teams=[blo]),
        "supervisor": make_user(scc, "supervisor"),
        "outsider": make_user("MIA", "supervisor"),
        "tajik_lead": make_user(tajik, "lead"),
        "record": kit.plant(db, make_operation, scc, blo),
    }


def _pending(app, db, world) -> Release:
    with app.test_request_context():
        return services.create(db, world["writer"], world["record"], world["tajik"].id, True, "Heroin in a truck")


def _in_state(app, db, world, state: str) -> Release:
    release = _pending(app, db, world)
    with app.test_request_context():
        if state == "delivered":
            services.approve(db, world["supervisor"], release, False, None)
        elif state == "refused":
            services.refuse(db, world["supervisor"], release, "Not this one", None)
        elif state == "withdrawn":
            services.withdraw(db, world["writer"], release, None)
    return release


def _fresh(db, release: Release) -> Release:
    db.expire_all()
    return db.get(Release, release.id)


def _events(db, release: Release) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == "release", AuditEvent.object_id == str(release.id)
    )
    return list(db.exec(query).all())


def _step(client, release: Release, step: str, reason: str = "The case is still open", version=None):
    form = {"version": str(version or release.version)}
    if step == "refuse":
        form["reason"] = reason
    return client.post(f"/liaison/releases/{release.id}/{step}", data=form)


@pytest.mark.parametrize(
    "who, step, expected",
    [
        ("supervisor", "refuse", "refused"),
        ("writer", "refuse", 404),  # a lead refuses nothing
        ("other_lead", "refuse", 404),
        ("outsider", "refuse", 404),
        ("tajik_lead", "refuse", 404),
        ("writer", "withdraw", "withdrawn"),
        ("supervisor", "withdraw", "withdrawn"),  # a supervisor of the owning agency, though not the writer
        ("other_lead", "withdraw", 404),  # another lead of the same office did not write it
        ("outsider", "withdraw", 404),
        ("tajik_lead", "withdraw", 404),
    ],
)
def test_who_may_refuse_or_withdraw_a_pending_release(app, db, world, who, step, expected):
    release = _pending(app, db, world)
    answer = _step(kit.signed_in(app, world[who]), release, step)
    stored = _fresh(db, release)
    if isinstance(expected, int):
        assert answer.status_code == expected
        assert stored.status == "pending" and stored.closed_at is None
    else:
        assert answer.status_code == 302
        assert (stored.status, stored.closed_by_id) == (expected, world[who].id)
        assert f"release_{step}" in _events(db, release)


@pytest.mark.parametrize("state", ["delivered", "refused", "withdrawn"])
@pytest.mark.parametrize("step", ["refuse", "withdraw"])
def test_only_a_pending_release_is_refused_or_withdrawn(app, db, world, state, step):
    release = _in_state(app, db, world, state)
    before = (_fresh(db, release).version, len(_events(db, release)))
    client = kit.signed_in(app, world["supervisor"])
    answer = _step(client, release, step, version=before[0])
    assert answer.status_code == 303
    assert f"This release was already {'approved and delivered' if state == 'delivered' else state}." in kit.text(
        client.get(answer.headers["Location"])
    )
    stored = _fresh(db, release)
    assert stored.status == state and (stored.version, len(_events(db, release)) - 1) == before  # + the page's read


def test_a_refusal_needs_a_reason_and_the_writer_withdraws_rather_than_refuses(app, db, make_user, world):
    release = _pending(app, db, world)
    supervisor = kit.signed_in(app, world["supervisor"])
    empty = _step(supervisor, release, "refuse", reason="   ")
    assert empty.status_code == 400 and "Say why the release is refused" in kit.text(empty)
    too_long = _step(supervisor, release, "refuse", reason="x" * 1001)
    assert too_long.status_code == 400 and "at most 1000 characters" in kit.text(too_long)
    writer = make_user(world["scc"], "supervisor")
    with app.test_request_context():
        own = services.create(db, writer, world["record"], world["tajik"].id, False, "")
    own_client = kit.signed_in(app, writer)
    refused = _step(own_client, own, "refuse")
    assert refused.status_code == 303
    assert "withdraw it rather than refuse it" in kit.text(own_client.get(refused.headers["Location"]))
    assert {r.status for r in db.exec(select(Release)).all()} == {"pending"}
    assert "release_refuse" not in _events(db, release) + _events(db, own)


def test_a_form_read_before_another_step_is_stale_and_writes_nothing(app, db, world):
    release = _pending(app, db, world)
    supervisor, writer = kit.signed_in(app, world["supervisor"]), kit.signed_in(app, world["writer"])
    page = kit.text(writer.get(f"/liaison/releases/{release.id}"))
    assert 'id="withdraw"' in page and "Withdraw the release" in page
    with app.test_request_context():  # someone else's change meanwhile bumps the version (e.g. an edit by SQL)
        stored = _fresh(db, release)
        stored.summary = "Heroin in a truck (changed)"
        db.add(stored)
        db.commit()
    answer = _step(writer, release, "withdraw", version=1)
    assert answer.status_code == 303
    assert "Someone changed this release meanwhile" in kit.text(writer.get(answer.headers["Location"]))
    assert _fresh(db, release).status == "pending"
    assert _step(supervisor, release, "refuse", version=1).status_code == 303
    assert _fresh(db, release).status == "pending" and "release_refuse" not in _events(db, release)


def test_a_refused_release_never_reaches_the_office_and_the_writer_is_told_why(app, db, world):
    release = _pending(app, db, world)
    supervisor = kit.signed_in(app, world["supervisor"])
    reason = f"{kit.NAME} is still under investigation"
    assert _step(supervisor, release, "refuse", reason=reason).status_code == 302
    # the refused release cannot be approved afterwards, by the page or the service
    assert supervisor.post(f"/liaison/releases/{release.id}/approve", data={"version": "2"}).status_code == 404
    with app.test_request_context(), pytest.raises(services.LiaisonError):
        services.approve(db, world["supervisor"], _fresh(db, release), False, None)
    (told,) = db.exec(select(InboxItem).where(InboxItem.user_id == world["writer"].id)).all()
    assert told.kind == "release_refused"
    writer = kit.signed_in(app, world["writer"])
    inbox = kit.text(writer.get("/inbox"))
    assert f"refused your release no. {release.id}" in inbox and "still under investigation" in inbox
    assert "Rahimov" not in inbox  # the reason is free text: masked with the record's identities
    record_page = kit.text(writer.get(f"/operations/{world['record'].id}"))
    assert f"/liaison/releases/{release.id}" in record_page and "refused" in record_page
    partner = kit.signed_in(app, world["tajik_lead"])
    assert partner.get(f"/liaison/releases/{release.id}").status_code == 404
    assert f"/liaison/releases/{release.id}" not in kit.text(partner.get("/liaison/releases"))
    assert db.exec(select(InboxItem).where(InboxItem.user_id == world["tajik_lead"].id)).all() == []


def test_a_withdrawn_release_is_listed_on_the_record_and_never_reaches_the_office(app, db, world):
    release = _pending(app, db, world)
    writer = kit.signed_in(app, world["writer"])
    assert _step(writer, release, "withdraw").status_code == 302
    page = kit.text(writer.get(f"/liaison/releases/{release.id}"))
    assert "withdrawn: not sent" in page and "Withdraw the release" not in page
    assert "withdrawn" in kit.text(writer.get(f"/operations/{world['record'].id}"))
    partner = kit.signed_in(app, world["tajik_lead"])
    assert partner.get(f"/liaison/releases/{release.id}").status_code == 404
    assert partner.post(f"/liaison/releases/{release.id}/acknowledge").status_code == 404
    assert db.exec(select(InboxItem).where(InboxItem.user_id == world["tajik_lead"].id)).all() == []
