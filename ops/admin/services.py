"""Agencies, teams and users. Every change writes its audit event in the same transaction."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import select

from ops import audit, passwords, policy
from ops.auth.services import end_all_sessions
from ops.db import session
from ops.models import Agency, Team, TeamMember, User
from ops.place_seed import HOME_COUNTRY


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


class OrgError(ValueError):
    """Settings of an agency that do not go together; `field` says where, `message` what."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class StaleError(RuntimeError):
    """Someone saved the agency or team since the form was opened."""


def _check_agency(settings: dict, agency: Agency | None = None) -> None:
    """A foreign partner is of another country, is no programme organisation, and has leads and analysts only."""
    if not settings.get("is_foreign_partner"):
        return
    if settings.get("country", "UZ") == HOME_COUNTRY:
        raise OrgError("country", _("A foreign partner is an agency of another country: choose its country."))
    if settings.get("is_programme"):
        raise OrgError("is_foreign_partner", _("An agency is a programme organisation or a foreign partner, not both."))
    if agency is not None:
        others = (
            session()
            .exec(
                select(User.username).where(
                    User.agency_id == agency.id, User.role.not_in(sorted(policy.FOREIGN_PARTNER_ROLES))
                )
            )
            .all()
        )
        if others:
            raise OrgError(
                "is_foreign_partner",
                _(
                    "A foreign partner's people are leads and analysts only; change the role of %(users)s first.",
                    users=", ".join(sorted(others)),
                ),
            )


def create_agency(actor: User | None, code: str, name: str, is_programme: bool = False, **settings) -> Agency:
    """A new agency; `settings` may carry name_ru, name_uz, country, is_foreign_partner, receive_language."""
    settings = {"name_en": name, "is_programme": is_programme, **settings, "name": name}
    _check_agency(settings)
    _unique(Agency, "code", code)
    _unique(Agency, "name", name)
    db = session()
    agency = Agency(code=code, **settings)
    db.add(agency)
    db.flush()
    detail = {"code": code, **settings}
    detail["programme"] = detail.pop("is_programme")
    audit.record(db, "agency_create", user=actor, object_type="agency", object_id=agency.id, detail=detail)
    db.commit()
    return agency


def _save_changes(db, actor: User, obj, settings: dict, version: int, action: str) -> None:
    """Apply `settings` to `obj` (an agency or a team) with its audit event, unless the form is stale."""
    if version != obj.version:
        raise StaleError()
    changed = {key: [getattr(obj, key), value] for key, value in settings.items() if getattr(obj, key) != value}
    for key, value in settings.items():
        setattr(obj, key, value)
    db.add(obj)
    kind = type(obj).__name__.lower()
    agency_id = obj.id if kind == "agency" else None
    audit.record(db, action, user=actor, object_type=kind, object_id=obj.id, object_agency_id=agency_id, detail=changed)
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        raise StaleError() from None


def update_agency(actor: User, agency: Agency, settings: dict, version: int) -> None:
    _check_agency(settings, agency)
    _unique(Agency, "name", settings["name"], exclude_id=agency.id)
    _save_changes(session(), actor, agency, settings, version, "agency_update")


def create_team(actor: User, code: str, name: str, kind: str, **names) -> Team:
    _unique(Team, "code", code)
    _unique(Team, "name", name)
    db = session()
    team = Team(code=code, kind=kind, **{"name_en": name, **names, "name": name})
    db.add(team)
    db.flush()
    audit.record(
        db,
        "team_create",
        user=actor,
        object_type="team",
        object_id=team.id,
        detail={"code": code, "name": name, "kind": kind, **names},
    )
    db.commit()
    return team


def update_team(actor: User, team: Team, settings: dict, version: int) -> None:
    _unique(Team, "name", settings["name"], exclude_id=team.id)
    _save_changes(session(), actor, team, settings, version, "team_update")


def agency_of(agency_id: int) -> Agency | None:
    return session().get(Agency, agency_id)


def team_of(team_id: int) -> Team | None:
    return session().get(Team, team_id)


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
