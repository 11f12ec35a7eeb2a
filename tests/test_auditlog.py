"""The auditors' page and the list of outside readers, each limited to the reader's agency."""

from __future__ import annotations

from ops import audit
from ops.models import User


def _event(db, actor: User, action: str, object_agency_id=None, object_id="", object_type=""):
    audit.record(
        db, action, user=actor, object_agency_id=object_agency_id, object_id=object_id, object_type=object_type
    )
    db.commit()


def test_auditor_sees_own_agency_events_and_events_on_its_records_only(client, db, make_user, login_as):
    scc_officer, sss_analyst = make_user("SCC", "officer"), make_user("SSS", "analyst")
    mia_officer = make_user("MIA", "officer")
    _event(db, scc_officer, "marker_scc_own")
    _event(db, sss_analyst, "marker_sss_on_scc", object_agency_id=scc_officer.agency_id)
    _event(db, mia_officer, "marker_mia_private", object_agency_id=mia_officer.agency_id)
    login_as(make_user("SCC", "auditor"))
    html = client.get("/audit/").get_data(as_text=True)
    assert "marker_scc_own" in html and "marker_sss_on_scc" in html
    assert "marker_mia_private" not in html


def test_audit_filters_and_bad_dates(client, db, make_user, login_as):
    officer = make_user("SCC", "officer", username="filter-me")
    _event(db, officer, "marker_one")
    _event(db, make_user("SCC", "lead"), "marker_two")
    login_as(make_user("SCC", "auditor"))
    html = client.get("/audit/?username=filter-me").get_data(as_text=True)
    assert "marker_one" in html and "marker_two" not in html
    bad = client.get("/audit/?date_from=2025-02-10&date_to=2025-02-01")
    assert bad.status_code == 400 and b"end date is before the start date" in bad.data
    garbage = client.get("/audit/?date_from=yesterday")
    assert garbage.status_code == 400 and b"Not a valid date value" in garbage.data


def test_audit_page_is_refused_to_other_roles_and_refusal_is_audited(client, db, make_user, login_as):
    from sqlmodel import select

    from ops.models import AuditEvent

    login_as(make_user("SCC", "analyst"))
    assert client.get("/audit/").status_code == 403
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "refused:view_audit")).one().outcome == "refused"


def test_outside_readers_lists_other_agencies_views_of_own_records(
    client, db, make_user, make_agency, make_team, make_operation, login_as
):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    op = make_operation(scc, team, visibility="all", title="Shared heroin case")
    reader = make_user("SSS", "analyst", username="curious-analyst")
    colleague = make_user("SCC", "analyst", username="own-colleague")
    for actor in (reader, reader, colleague):
        _event(db, actor, "view", object_agency_id=scc.id, object_id=op.id, object_type="operation")
    login_as(make_user("SCC", "supervisor"))
    html = client.get("/audit/readers").get_data(as_text=True)
    assert "curious-analyst" in html and "own-colleague" not in html
    assert op.ref in html
    row = html.split("curious-analyst")[1].split("</tr>")[0]
    assert ">2<" in row
