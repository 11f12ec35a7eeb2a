"""Agencies, teams and users: who may manage them, and bad input that changes nothing."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from ops.models import Agency, AuditEvent, Team, TeamMember, User
from tests.support.accounts import login

ADMIN_PAGES = ["/admin/agencies", "/admin/teams", "/admin/users", "/admin/users/new", "/policy"]
# role -> pages it may open (others answer 403)
ALLOWED = {
    "officer": set(),
    "lead": set(),
    "analyst": set(),
    "supervisor": {"/policy"},
    "auditor": {"/policy"},
    "admin": {"/admin/users", "/admin/users/new", "/policy"},
    "sysadmin": {"/admin/agencies", "/admin/teams", "/admin/users", "/admin/users/new", "/policy"},
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_admin_pages_per_role(client, make_user, login_as, role):
    user = make_user(role="admin", is_sysadmin=True) if role == "sysadmin" else make_user(role=role)
    login_as(user)
    for page in ADMIN_PAGES:
        expected = 200 if page in ALLOWED[role] else 403
        assert client.get(page).status_code == expected, (role, page)


def _count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_sysadmin_creates_agency_and_team(client, db, make_user, login_as):
    login_as(make_user(role="admin", is_sysadmin=True))
    assert (
        client.post("/admin/agencies", data={"code": "NDCC", "name": "National Drug Control Centre"}).status_code == 302
    )
    assert client.post("/admin/teams", data={"code": "IMT-TER", "name": "IMT Termez", "kind": "imt"}).status_code == 302
    assert db.exec(select(Agency).where(Agency.code == "NDCC")).one().name == "National Drug Control Centre"
    assert db.exec(select(Team).where(Team.code == "IMT-TER")).one().kind == "imt"
    actions = db.exec(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["agency_create", "team_create"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "", "name": "X"}, b"This field is required"),
        ({"code": "ab", "name": "Lower case"}, b"Use capital letters"),
        ({"code": "A" * 17, "name": "Too long"}, b"between 2 and 16 characters"),
        ({"code": "SCC", "name": "Taken code"}, b"This code is already used"),
        ({"code": "NEW", "name": "x" * 121}, b"longer than 120"),
    ],
)
def test_bad_agency_input_is_refused_and_changes_nothing(client, db, make_user, login_as, data, message):
    login_as(make_user(agency="SCC", role="admin", is_sysadmin=True))
    before = _count(db, Agency)
    response = client.post("/admin/agencies", data=data)
    assert response.status_code == 400 and message in response.data
    assert data["name"][:50].encode() in response.data  # what was typed comes back
    assert _count(db, Agency) == before


def test_bad_team_kind_is_refused(client, db, make_user, login_as):
    login_as(make_user(role="admin", is_sysadmin=True))
    response = client.post("/admin/teams", data={"code": "IMT-X", "name": "X", "kind": "navy"})
    assert response.status_code == 400 and b"Not a valid choice" in response.data
    assert _count(db, Team) == 0


def test_agency_admin_creates_user_and_sees_password_once(client, db, make_user, make_team, login_as):
    team = make_team("IMT-TER")
    admin = make_user(agency="SCC", role="admin")
    login_as(admin)
    response = client.post(
        "/admin/users/new",
        data={
            "username": "new.lead",
            "full_name": "New Lead",
            "role": "lead",
            "teams": [str(team.id)],
            "is_active": "y",
        },
    )
    assert response.status_code == 200
    password = response.get_data(as_text=True).split('id="new-password">')[1].split("<")[0]
    assert len(password) >= 12
    created = db.exec(select(User).where(User.username == "new.lead")).one()
    assert created.agency_id == admin.agency_id and created.role == "lead"
    assert password not in created.password_hash
    assert db.exec(select(TeamMember).where(TeamMember.user_id == created.id)).one().team_id == team.id
    fresh = client.application.test_client()
    assert login(fresh, created, password).status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "", "full_name": "A", "role": "lead"}, b"This field is required"),
        ({"username": "Bad Name", "full_name": "A", "role": "lead"}, b"Use lower-case letters"),
        ({"username": "okname", "full_name": "A", "role": "general"}, b"Not a valid choice"),
        ({"username": "okname", "full_name": "A", "role": "lead", "teams": ["9999"]}, b"not a valid choice"),
        ({"username": "okname", "full_name": "A", "role": "lead", "teams": ["abc"]}, b"Invalid choice"),
        ({"username": "taken", "full_name": "A", "role": "lead"}, b"already taken"),
    ],
)
def test_bad_user_input_is_refused_and_changes_nothing(client, db, make_user, login_as, data, message):
    make_user(username="taken")
    login_as(make_user(role="admin"))
    before = _count(db, User)
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400 and message in response.data, response.data[-3000:]
    assert _count(db, User) == before


def test_agency_admin_cannot_touch_users_of_another_agency(client, make_user, login_as):
    stranger = make_user(agency="SSS", role="officer")
    login_as(make_user(agency="SCC", role="admin"))
    assert client.get(f"/admin/users/{stranger.id}").status_code == 404
    assert client.post(f"/admin/users/{stranger.id}/reset-password").status_code == 404
    assert (
        client.post(
            f"/admin/users/{stranger.id}", data={"full_name": "x", "role": "admin", "is_active": "y"}
        ).status_code
        == 404
    )


def test_extra_fields_cannot_move_a_user_to_another_agency(client, db, make_user, make_agency, login_as):
    other = make_agency("SSS")
    login_as(make_user(agency="SCC", role="admin"))
    client.post(
        "/admin/users/new",
        data={"username": "sneaky", "full_name": "S", "role": "admin", "agency_id": str(other.id), "is_sysadmin": "y"},
    )
    created = db.exec(select(User).where(User.username == "sneaky")).one()
    assert created.agency_id != other.id and created.is_sysadmin is False


def test_reset_password_shows_a_new_one_and_ends_sessions(app, client, make_user, login_as):
    user = make_user(agency="SCC")
    victim = app.test_client()
    login(victim, user)
    login_as(make_user(agency="SCC", role="admin"))
    response = client.post(f"/admin/users/{user.id}/reset-password")
    password = response.get_data(as_text=True).split('id="new-password">')[1].split("<")[0]
    assert victim.get("/").status_code == 302
    assert login(victim, user, password).status_code == 302


def test_policy_page_is_generated_from_the_policy(client, make_user, login_as):
    from ops.policy import ACTIONS

    login_as(make_user(role="auditor"))
    html = client.get("/policy").get_data(as_text=True)
    for name, _rule in ACTIONS.items():
        assert f'data-action="{name}"' in html
    row = html.split('data-action="review"')[1].split("</tr>")[0]
    assert 'class="yes" data-role="supervisor"' in row and 'class="no" data-role="lead"' in row
