"""Agencies, teams and users. Every change writes its audit event in the same transaction."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import select

from ops import audit, passwords
from ops.auth.services import end_all_sessions
from ops.db import session
from ops.models import Agency, Team, TeamMember, User


class DuplicateError(ValueError):
    """A code, name or user name that is already taken; `field` says which."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


def _unique(model, field: str, value: str, exclude_id: int | None = None) -> None:
    query = select(model.id).where(getattr(model, field) == value)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if session().exec(query).first() is not None:
        raise DuplicateError(field)


def create_agency(actor: User, code: str, name: str, is_programme: bool = False) -> Agency:
    _unique(Agency, "code", code)
    _unique(Agency, "name", name)
    db = session()
    agency = Agency(code=code, name=name, is_programme=is_programme)
    db.add(agency)
    db.flush()
    detail = {"code": code, "name": name, "programme": is_programme}
    audit.record(db, "agency_create", user=actor, object_type="agency", object_id=agency.id, detail=detail)
    db.commit()
    return agency


def create_team(actor: User, code: str, name: str, kind: str) -> Team:
    _unique(Team, "code", code)
    _unique(Team, "name", name)
    db = session()
    team = Team(code=code, name=name, kind=kind)
    db.add(team)
    db.flush()
    audit.record(
        db,
        "team_create",
        user=actor,
        object_type="team",
        object_id=team.id,
        detail={"code": code, "name": name, "kind": kind},
    )
    db.commit()
    return team


def all_agencies() -> list[Agency]:
    return session().exec(select(Agency).order_by(Agency.name)).all()


def all_teams() -> list[Team]:
    return session().exec(select(Team).order_by(Team.name)).all()


def agency_users(agency_id: int) -> list[User]:
    return session().exec(select(User).where(User.agency_id == agency_id).order_by(User.username)).all()


def user_team_ids(user_id: int) -> list[int]:
    return list(session().exec(select(TeamMember.team_id).where(TeamMember.user_id == user_id)).all())


def _set_teams(db, user_id: int, team_ids: list[int]) -> None:
    db.execute(delete(TeamMember).where(TeamMember.user_id == user_id))
    for team_id in sorted(set(team_ids)):
        db.add(TeamMember(team_id=team_id, user_id=user_id))


def create_user(
    actor: User | None,
    *,
    agency_id: int,
    username: str,
    full_name: str,
    role: str,
    team_ids: list[int],
    is_sysadmin: bool = False,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a user with a random password (returned once, never stored in clear)."""
    _unique(User, "username", username)
    clear = password or passwords.generate_password()
    db = session()
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        agency_id=agency_id,
        is_sysadmin=is_sysadmin,
        password_hash=passwords.hash_password(clear),
    )
    db.add(user)
    db.flush()
    _set_teams(db, user.id, team_ids)
    audit.record(
        db,
        "user_create",
        user=actor,
        object_type="user",
        object_id=user.id,
        object_agency_id=agency_id,
        detail={"username": username, "role": role, "teams": sorted(team_ids), "sysadmin": is_sysadmin},
    )
    db.commit()
    return user, clear


def update_user(actor: User, user: User, *, full_name: str, role: str, team_ids: list[int], is_active: bool) -> None:
    db = session()
    before = {
        "full_name": user.full_name,
        "role": user.role,
        "teams": user_team_ids(user.id),
        "is_active": user.is_active,
    }
    user.full_name, user.role, user.is_active = full_name, role, is_active
    db.add(user)
    _set_teams(db, user.id, team_ids)
    if not is_active:
        end_all_sessions(db, user.id, "disabled")
    after = {"full_name": full_name, "role": role, "teams": sorted(set(team_ids)), "is_active": is_active}
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit.record(
        db,
        "user_update",
        user=actor,
        object_type="user",
        object_id=user.id,
        object_agency_id=user.agency_id,
        detail=changed,
    )
    db.commit()


def reset_password(actor: User, user: User) -> str:
    """A new random password, shown once; every session of the user ends."""
    db = session()
    clear = passwords.generate_password()
    user.password_hash = passwords.hash_password(clear)
    user.failed_logins, user.locked_at = 0, None
    db.add(user)
    end_all_sessions(db, user.id, "password reset")
    audit.record(
        db, "user_password_reset", user=actor, object_type="user", object_id=user.id, object_agency_id=user.agency_id
    )
    db.commit()
    return clear


def unlock_user(actor: User, user: User) -> None:
    db = session()
    user.failed_logins, user.locked_at = 0, None
    db.add(user)
    audit.record(db, "user_unlock", user=actor, object_type="user", object_id=user.id, object_agency_id=user.agency_id)
    db.commit()
