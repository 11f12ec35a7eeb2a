"""The register of crossing points and places, read from the database and kept per process.

The register changes a few times a year and is read on almost every page, so each process keeps
the last one it read and asks the database, once per request, only for a stamp (the number of
places and the sum of their versions: every save bumps a version, places are never deleted).
A process sees another's change at its next request. ops.vocab's PLACES, PLACES_BY_CODE,
PLACES_BY_NAME and place_label answer from here (init_app installs the reader).
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import func, select

from ops import vocab
from ops.db import session
from ops.models_places import Place, PlaceTeam
from ops.place_seed import Register, register_place


def init_app(app: Flask) -> None:
    app.extensions["ops_places"] = {"stamp": None, "register": None}
    vocab.use_place_register(current)


def current() -> Register:
    """The register as this request reads it (one stamp query per request)."""
    if "ops_place_register" in g:
        return g.ops_place_register
    cache = current_app.extensions["ops_places"]
    db = session()
    stamp = tuple(db.execute(select(func.count(Place.id), func.coalesce(func.sum(Place.version), 0))).one())
    if cache["stamp"] != stamp or cache["register"] is None:
        cache["register"], cache["stamp"] = _load(db), stamp
    g.ops_place_register = cache["register"]
    return g.ops_place_register


def forget() -> None:
    """After a change in this request: the next read loads the register again."""
    g.pop("ops_place_register", None)
    current_app.extensions["ops_places"]["stamp"] = None


def _load(db) -> Register:
    teams: dict[int, list[int]] = {}
    for team_id, place_id in db.execute(select(PlaceTeam.team_id, PlaceTeam.place_id)):
        teams.setdefault(place_id, []).append(team_id)
    active, retired = [], []
    for place in db.execute(select(Place).order_by(Place.name_en)).scalars():
        entry = register_place(place, teams.get(place.id, ()))
        (active if place.is_active else retired).append(entry)
    return Register(tuple(active), tuple(retired))
