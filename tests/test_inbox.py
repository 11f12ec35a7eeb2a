"""The inbox: items written by the events that cause them, an unread count in the header, read when opened,
paged, unread first on the home page, listed by the API; nobody opens another's items."""

from __future__ import annotations

from sqlmodel import select

from ops.inbox import services as inbox
from ops.models import InboxItem
from tests.support.accounts import login
from tests.support.hitkit import text
from tests.support.op_forms import SEIZURE, create


def _clients(app, **users):
    clients = {}
    for name, user in users.items():
        clients[name] = app.test_client()
        assert login(clients[name], user).status_code == 302
    return clients


def test_submitted_and_returned_records_reach_the_right_inboxes(app, db, make_agency, make_team, make_user):
    scc, team = make_agency("SCC"), make_team("IMT-TER")
    lead, officer = make_user(scc, "lead", teams=[team]), make_user(scc, "officer", teams=[team])
    supervisor = make_user(scc, "supervisor")
    c = _clients(app, lead=lead, officer=officer, supervisor=supervisor)
    op_id = create(c["lead"], team, seizures=[SEIZURE])
    c["lead"].post(f"/operations/{op_id}/submit", data={"version": "1"})
    home = text(c["supervisor"].get("/"))
    assert "Unread in your inbox" in home and "is waiting for your review" in home
    assert 'data-unread="1"' in home
    c["supervisor"].post(
        f"/operations/{op_id}/review", data={"decision": "return", "comment": "Add seals", "version": "2"}
    )
    officer_inbox = text(c["officer"].get("/inbox"))
    assert "was returned to your team" in officer_inbox
    assert "was returned to your team" in text(c["lead"].get("/inbox"))  # every member of the team
    item = db.exec(select(InboxItem).where(InboxItem.user_id == officer.id)).one()
    opened = c["officer"].get(f"/inbox/{item.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/operations/{op_id}")
    db.expire_all()
    assert db.get(InboxItem, item.id).read_at is not None
    assert 'data-unread="0"' in text(c["officer"].get("/inbox"))
    assert c["supervisor"].get(f"/inbox/{item.id}").status_code == 404  # another's item


def test_the_list_is_paged_and_the_api_lists_it(app, db, make_agency, make_user, api_as):
    analyst = make_user(make_agency("MIA"), "analyst")
    for number in range(inbox.PER_PAGE + 5):
        inbox.notify(db, [analyst.id], "record_to_review", {"ref": f"REF-{number:03d}"}, link="/")
    db.commit()
    c = _clients(app, analyst=analyst)
    first, second = text(c["analyst"].get("/inbox")), text(c["analyst"].get("/inbox?page=2"))
    assert "REF-024" in first and "REF-000" not in first and "REF-000" in second
    assert "Page 1 of 2" in first
    answer = api_as(analyst).get("/api/v1/inbox")
    assert answer.status_code == 200
    assert answer.json["total"] == 25 and answer.json["unread"] == 25 and len(answer.json["items"]) == 20
    assert answer.json["items"][0]["message"] == "REF-024 is waiting for your review."
