"""Creating and changing places of the register. Every change writes its audit event in the same transaction.

A place is never deleted (records keep it by its code): it is retired. Bad input raises PlaceError
with the field and a message, and nothing is written.
"""

from __future__ import annotations

from dataclasses import asdict

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from ops import audit, places, vocab
from ops.db import session
from ops.models import Team, User, utcnow
from ops.models_places import Place, PlaceTeam
from ops.place_seed import CROSSING_KINDS, PlaceFields


class PlaceError(ValueError):
    """Bad input on one field (`field`); `message` says what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class StalePlaceError(RuntimeError):
    """Someone saved the place since this form was opened."""


PlaceData = PlaceFields  # the form's input: a place's own fields, as the register reads them


def check(data: PlaceData) -> None:
    """The rules a form cannot say field by field: a counterpart belongs to a crossing point, complete,
    and across the border."""
    parts = (data.counterpart_name, data.counterpart_country, data.counterpart_lat, data.counterpart_lon)
    given = [part not in (None, "") for part in parts]
    if not any(given):
        return
    if data.kind not in CROSSING_KINDS:
        raise PlaceError("counterpart_name", _("Only a crossing point has a counterpart across the border."))
    if not all(given):
        raise PlaceError(
            "counterpart_name", _("A counterpart needs its name, its country and both of its coordinates.")
        )
    if data.counterpart_country == data.country:
        raise PlaceError(
            "counterpart_country",
            _(
                "A counterpart is across the border: its country must differ from the place's own "
                "(both are %(country)s).",
                country=vocab.country_name(data.country),
            ),
        )


def _unique(field: str, value: str, exclude_id: int | None, message: str) -> None:
    query = select(Place.id).where(getattr(Place, field) == value)
    if exclude_id is not None:
        query = query.where(Place.id != exclude_id)
    if session().execute(query).first() is not None:
        raise PlaceError(field, message)


def _check_unique(code: str, name_en: str, exclude_id: int | None = None) -> None:
    _unique("code", code, exclude_id, _("This code is already used."))
    _unique("name_en", name_en, exclude_id, _("Another place has this English name."))


def _set_teams(db, place_id: int, team_ids: list[int]) -> None:
    # a team is based at one place: choosing it here moves it
    db.execute(delete(PlaceTeam).where((PlaceTeam.place_id == place_id) | PlaceTeam.team_id.in_(team_ids)))
    for team_id in sorted(set(team_ids)):
        db.add(PlaceTeam(team_id=team_id, place_id=place_id))


def create_place(actor: User, code: str, data: PlaceData, team_ids: list[int]) -> Place:
    check(data)
    _check_unique(code, data.name_en)
    db = session()
    place = Place(code=code, **asdict(data))
    db.add(place)
    db.flush()
    _set_teams(db, place.id, team_ids)
    detail = {"code": code, **asdict(data), "teams": sorted(set(team_ids))}
    audit.record(db, "place_create", user=actor, object_type="place", object_id=place.id, detail=detail)
    db.commit()
    places.forget()
    return place


def update_place(actor: User, place: Place, data: PlaceData, team_ids: list[int], version: int) -> None:
    """Save the form over `place`, unless someone saved it since the form was opened (StalePlaceError)."""
    if version != place.version:
        raise StalePlaceError()
    check(data)
    _check_unique(place.code, data.name_en, exclude_id=place.id)
    db = session()
    before = {**{key: getattr(place, key) for key in asdict(data)}, "teams": team_ids_at(place.id)}
    for key, value in asdict(data).items():
        setattr(place, key, value)
    place.updated_at = utcnow()  # bumps the version even when only the teams change
    db.add(place)
    _set_teams(db, place.id, team_ids)
    after = {**asdict(data), "teams": sorted(set(team_ids))}
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit.record(db, "place_update", user=actor, object_type="place", object_id=place.id, detail=changed)
    try:
        db.commit()
    except StaleDataError:
        db.rollback()
        raise StalePlaceError() from None
    places.forget()


def all_places() -> list[Place]:
    return list(session().execute(select(Place).order_by(Place.is_active.desc(), Place.code)).scalars())


def all_teams() -> list[Team]:
    return list(session().execute(select(Team).order_by(Team.code)).scalars())


def team_ids_at(place_id: int) -> list[int]:
    return sorted(session().execute(select(PlaceTeam.team_id).where(PlaceTeam.place_id == place_id)).scalars())


def teams_by_place() -> dict[int, list[str]]:
    """place id -> the codes of the teams based there."""
    found: dict[int, list[str]] = {}
    rows = session().execute(
        select(PlaceTeam.place_id, Team.code).join(Team, Team.id == PlaceTeam.team_id).order_by(Team.code)
    )
    for place_id, code in rows:
        found.setdefault(place_id, []).append(code)
    return found


def get_place(place_id: int) -> Place | None:
    return session().get(Place, place_id)
