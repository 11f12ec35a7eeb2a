"""Releases to counterpart offices: a non-nominal extract of an approved record, written by the border
liaison office, approved by a supervisor, delivered to the counterpart office in its language."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from ops.liaison import services
from ops.models import AuditEvent, InboxItem
from ops.models_liaison import CounterpartLink, Release
from tests.support import releasekit as kit


@pytest.fixture
def world(app, db, make_agency, make_team, make_user, make_operation):
    scc, blo = make_agency("SCC"), make_team("BLO-TER", kind="blo")
    tajik = kit.office(db, make_agency)
    kit.pair(app, db, scc, tajik)
    return {
        "scc": scc,
        "tajik": tajik,
        "kyrgyz": kit.office(db, make_agency, "BS-KG", "KG", "en"),
        "lead": make_user(scc, "lead", teams=[blo]),
        "supervisor": make_user(scc, "supervisor"),
        "tajik_lead": make_user(tajik, "lead"),
        "record": kit.plant(db, make_operation, scc, blo),
        "blo": blo,
    }


def _releases(db):
    db.expire_all()
    return db.exec(select(Release)).all()


def test_a_counterpart_pair_within_one_country_is_refused(app, db, make_agency, world):
    uzbek_office = kit.office(db, make_agency, "UZ-X", "UZ")
    with app.test_request_context(), pytest.raises(services.LiaisonError) as refused:
        services.link_counterparts(db, make_agency("MIA"), uzbek_office)
    assert "are of one country" in refused.value.message
    assert db.exec(select(CounterpartLink).where(CounterpartLink.partner_agency_id == uzbek_office.id)).all() == []


def test_the_cli_links_and_lists_counterparts(app, runner, db, make_agency, world):
    make_agency("MIA")
    answer = runner.invoke(args=["counterparts", "link", "MIA", "BS-KG"])
    assert answer.exit_code == 0, answer.output
    assert "BS-KG" in runner.invoke(args=["counterparts", "list"]).output
    refused = runner.invoke(args=["counterparts", "link", "MIA", "SCC"])
    assert refused.exit_code != 0 and "foreign partner" in refused.output


def test_review_then_approval_delivers_in_the_office_language_and_it_is_acknowledged(app, db, make_user, world):
    lead = kit.signed_in(app, world["lead"])
    review = kit.send(lead, world["record"], world["tajik"].id, plate=True, step="review")
    assert review.status_code == 200 and "01 A 777 KA" in kit.text(review) and _releases(db) == []
    assert kit.send(lead, world["record"], world["tajik"].id, plate=True).status_code == 302
    (release,) = _releases(db)
    assert release.status == "pending"
    partner = kit.signed_in(app, world["tajik_lead"])
    assert partner.get(f"/liaison/releases/{release.id}").status_code == 404  # nothing reaches them before approval
    assert db.exec(select(InboxItem).where(InboxItem.user_id == world["tajik_lead"].id)).all() == []

    supervisor = kit.signed_in(app, world["supervisor"])
    assert supervisor.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"}).status_code == 302
    (item,) = db.exec(select(InboxItem).where(InboxItem.user_id == world["tajik_lead"].id)).all()
    inbox = kit.text(partner.get("/inbox"))
    assert "Героин" in inbox and "01 A 777 KA" in inbox  # worded in Russian, the office's language
    page = kit.text(partner.get(f"/liaison/releases/{release.id}"))
    assert "Героин" in page
    assert partner.post(f"/liaison/releases/{release.id}/acknowledge").status_code == 302
    db.expire_all()
    assert db.get(Release, release.id).acknowledged_by_id == world["tajik_lead"].id
    told = db.exec(select(InboxItem.kind).where(InboxItem.user_id == world["lead"].id)).all()
    assert "release_acknowledged" in told
    actions = set(db.exec(select(AuditEvent.action).where(AuditEvent.object_type == "release")).all())
    assert {"release_create", "release_approve", "release_view", "release_acknowledge"} <= actions
    record_page = kit.text(lead.get(f"/operations/{world['record'].id}"))
    assert f"/liaison/releases/{release.id}" in record_page  # listed on the record for its owner


def test_h2_needs_the_supervisor_to_tick_the_condition(app, db, make_user, world):
    world["record"].handling_code = "H2"
    db.add(world["record"])
    db.commit()
    lead, supervisor = kit.signed_in(app, world["lead"]), kit.signed_in(app, world["supervisor"])
    kit.send(lead, world["record"], world["tajik"].id)
    (release,) = _releases(db)
    refused = supervisor.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"})
    assert refused.status_code == 400 and "tick that the owner's condition is met" in kit.text(refused)
    assert _releases(db)[0].status == "pending"
    assert db.exec(select(InboxItem).where(InboxItem.user_id == world["tajik_lead"].id)).all() == []
    form = {"version": "1", "condition_met": "y"}
    assert supervisor.post(f"/liaison/releases/{release.id}/approve", data=form).status_code == 302
    assert _releases(db)[0].status == "delivered" and _releases(db)[0].condition_met


@pytest.mark.parametrize(
    "case, message",
    [
        ("no vehicle", "This record has no vehicle"),
        ("not a counterpart", "not a counterpart of your agency"),
    ],
)
def test_bad_releases_send_nothing(app, db, make_operation, world, case, message):
    lead = kit.signed_in(app, world["lead"])
    record, office_id, plate = world["record"], world["tajik"].id, False
    if case == "no vehicle":
        record, plate = kit.plant(db, make_operation, world["scc"], world["blo"], vehicle=False), True
    else:
        office_id = world["kyrgyz"].id
    answer = kit.send(lead, record, office_id, plate=plate)
    assert answer.status_code == 400 and message in kit.text(answer)
    assert _releases(db) == []


def test_no_release_without_a_supervisor_of_another_hand(app, db, make_user, world):
    lead = kit.signed_in(app, world["lead"])
    kit.send(lead, world["record"], world["tajik"].id)
    (release,) = _releases(db)
    assert lead.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"}).status_code in (403, 404)
    writer = kit.signed_in(app, world["supervisor"])
    kit.send(writer, world["record"], world["tajik"].id)
    own = _releases(db)[-1]
    refused = writer.post(f"/liaison/releases/{own.id}/approve", data={"version": "1"})
    assert refused.status_code == 400 and "not the one who wrote it" in kit.text(refused)
    assert {r.status for r in _releases(db)} == {"pending"}


def test_a_lead_outside_a_liaison_office_cannot_send(app, db, make_user, make_team, world):
    other = make_user(world["scc"], "lead", teams=[make_team("IMT-X")])
    client = kit.signed_in(app, other)
    assert kit.send(client, world["record"], world["tajik"].id).status_code in (403, 404)
    assert _releases(db) == []


def test_a_counterpart_office_sees_exactly_what_was_delivered_to_it(app, db, make_user, make_agency, world):
    scc_supervisor = make_user(world["scc"], "supervisor")
    kit.pair(app, db, world["scc"], world["kyrgyz"])
    lead, supervisor = kit.signed_in(app, world["lead"]), kit.signed_in(app, scc_supervisor)
    for office in (world["tajik"], world["kyrgyz"]):
        kit.send(lead, world["record"], office.id)
    for release in _releases(db):
        supervisor.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"})
    kit.send(lead, world["record"], world["tajik"].id)  # waits for approval: not theirs yet
    mine = {r.id for r in _releases(db) if r.to_agency_id == world["tajik"].id and r.status == "delivered"}
    partner = kit.signed_in(app, world["tajik_lead"])
    listed = kit.text(partner.get("/liaison/releases"))
    for release in _releases(db):
        shown = f'/liaison/releases/{release.id}"' in listed
        status = partner.get(f"/liaison/releases/{release.id}").status_code
        assert (shown, status) == ((True, 200) if release.id in mine else (False, 404))


def test_canaries_never_leave_with_a_release(app, db, make_user, api_as, world):
    lead, supervisor = kit.signed_in(app, world["lead"]), kit.signed_in(app, world["supervisor"])
    summary = f"{kit.NAME} hid heroin; Рахимов was detained (passport {kit.DOCUMENT})"
    kit.send(lead, world["record"], world["tajik"].id, summary=summary, plate=True)
    (release,) = _releases(db)
    supervisor.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"})
    partner = kit.signed_in(app, world["tajik_lead"])
    seen = [kit.text(partner.get("/inbox")), kit.text(partner.get(f"/liaison/releases/{release.id}"))]
    seen.append(kit.text(partner.get("/liaison/releases")))
    # the API's answers, to the office (by its token) and to the owning agency, with a refusal's reason and a
    # heads-up message about the same truck
    kit.send(lead, world["record"], world["tajik"].id, summary=summary)
    refused = _releases(db)[-1]
    reason = {"version": "1", "reason": f"{kit.NAME} ({kit.DOCUMENT}) is a source"}
    assert supervisor.post(f"/liaison/releases/{refused.id}/refuse", data=reason).status_code == 302
    headsup = {"to_agency": "DCA-TJ", "subject": "vehicle", "plate": kit.PLATE, "text": "A truck with heroin"}
    assert api_as(world["lead"]).post("/api/v1/messages", json=headsup).status_code == 201
    for caller in (api_as(world["tajik_lead"]), api_as(world["lead"])):
        paths = ("releases", f"releases/{release.id}", f"releases/{refused.id}", "messages")
        seen += [caller.get(f"/api/v1/{path}").get_data(as_text=True) for path in paths]
    assert "is a source" in seen[-2]  # the owning agency reads the reason, masked
    db.expire_all()
    stored = db.get(Release, release.id)
    seen += [stored.extract, stored.summary]
    seen += list(db.exec(select(InboxItem.params).where(InboxItem.user_id == world["tajik_lead"].id)).all())
    everything = "\n".join(seen).lower()
    assert "heroin" in everything  # the summary arrived, masked
    for word in (*kit.CANARIES, *kit.NAME_PARTS, "1234567"):
        assert word.lower() not in everything, word


def test_readers_of_other_national_agencies_see_no_release(app, db, make_user, world):
    kit.send(kit.signed_in(app, world["lead"]), world["record"], world["tajik"].id)
    (release,) = _releases(db)
    kit.signed_in(app, world["supervisor"])
    outsider = kit.signed_in(app, make_user("MIA", "supervisor"))
    assert outsider.get(f"/liaison/releases/{release.id}").status_code == 404
    assert outsider.post(f"/liaison/releases/{release.id}/approve", data={"version": "1"}).status_code == 404
    assert f"/liaison/releases/{release.id}" not in kit.text(outsider.get("/liaison/releases"))


def test_a_sysadmin_pairs_offices_from_the_office_page_and_a_pair_in_one_country_is_refused(
    app, client, db, make_user, make_agency, login_as, world
):
    login_as(make_user(role="admin", is_sysadmin=True))
    mia = make_agency("MIA")
    page = client.get(f"/admin/agencies/{world['kyrgyz'].id}")
    assert page.status_code == 200 and "Agency MIA (MIA)" in kit.text(page)
    client.post(f"/liaison/counterparts/{world['kyrgyz'].id}", data={"national": str(mia.id)})
    assert services.is_counterpart(db, mia.id, world["kyrgyz"].id)
    uzbek_office = kit.office(db, make_agency, "UZ-X", "UZ")
    answer = client.post(f"/liaison/counterparts/{uzbek_office.id}", data={"national": str(mia.id)})
    assert "are of one country" in kit.text(client.get(answer.headers["Location"]))
    assert not services.is_counterpart(db, mia.id, uzbek_office.id)
    client.post(f"/liaison/counterparts/{world['kyrgyz'].id}/remove/{mia.id}")
    db.expire_all()
    assert not services.is_counterpart(db, mia.id, world["kyrgyz"].id)


def _release_lists(db, operation_id: int) -> list[dict]:
    db.expire_all()
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "release_list")).all()
    details = [json.loads(e.detail) if isinstance(e.detail, str) else e.detail for e in events]
    return [d for d in details if d.get("operation_id") == operation_id]


def test_the_record_page_audits_its_releases_only_where_it_lists_some(app, db, make_user, world):
    """A record with no release shows none and writes only its view event; once one exists, the page's list of
    it is a read of its own, audited with the count it showed."""
    lead = kit.signed_in(app, world["lead"])
    record_id = world["record"].id
    assert lead.get(f"/operations/{record_id}").status_code == 200
    assert _release_lists(db, record_id) == []
    views = db.exec(select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_id == record_id)).all()
    assert views, "the record page's own view event is written"
    assert kit.send(lead, world["record"], world["tajik"].id, plate=True).status_code == 302
    assert lead.get(f"/operations/{record_id}").status_code == 200
    assert [d["count"] for d in _release_lists(db, record_id)] == [1]
