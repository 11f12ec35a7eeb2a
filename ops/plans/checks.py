"""The rules of a plan's input, one place for form and service: specific messages, nothing saved on any."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _

from ops import vocab
from ops.watch.services import normal

MAX_DAYS = 30
MAX_RADIUS_KM = 100.0
CROSSING_RADIUS_KM = 1.0  # a crossing point of the register counts as a circle of 1 km
MAX_TARGETS = 50
CONTACT_MAX = 120
TARGET_KINDS = ("plate", "document", "phone", "name")


@dataclass
class PlanInput:
    kind: str = ""
    team_id: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place_code: str = ""
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    duty_contact: str = ""
    targets: dict[str, list[str]] = field(default_factory=dict)  # kind -> values as typed


@dataclass
class Checked:
    """A plan's input once it passed: the place as a point with a radius, the targets as keys."""

    place_code: str | None
    lat: float | None
    lon: float | None
    radius_km: float | None
    keys: list[tuple[str, str, str]]  # (kind, normal key, as typed)


def check(data: PlanInput, team_ids: frozenset[int], now: datetime) -> tuple[list[str], Checked | None]:
    errors: list[str] = []
    if data.kind not in vocab.PLAN_KINDS:
        errors.append(_("Choose what is planned."))
    if data.team_id not in team_ids:
        errors.append(_("Choose one of your teams."))
    errors += _window_errors(data, now)
    place, place_errors = _place(data)
    errors += place_errors
    keys, target_errors = _keys(data.targets)
    errors += target_errors
    if not place_errors and place is None and not keys and not target_errors:
        errors.append(_("Give a place or at least one target: a plan with neither cannot be deconflicted."))
    contact = " ".join((data.duty_contact or "").split())
    if not contact:
        errors.append(_("Give the duty contact: who the other side should call."))
    elif len(contact) > CONTACT_MAX:
        errors.append(_("The duty contact has at most %(max)d characters.", max=CONTACT_MAX))
    if errors:
        return errors, None
    code, lat, lon, radius = place if place else (None, None, None, None)
    return [], Checked(code, lat, lon, radius, keys)


def _window_errors(data: PlanInput, now: datetime) -> list[str]:
    if data.starts_at is None or data.ends_at is None:
        return [_("Give when the plan starts and when it ends.")]
    if data.ends_at <= data.starts_at:
        return [_("The plan ends before it starts: give an end after the start.")]
    if data.ends_at - data.starts_at > timedelta(days=MAX_DAYS):
        return [_("A plan lasts at most %(days)d days: split a longer one.", days=MAX_DAYS)]
    if data.ends_at <= now:
        return [_("The plan's window is over already: give an end in the future.")]
    return []


def _place(data: PlanInput):
    """((code, lat, lon, radius) or None, errors)."""
    has_point = data.lat is not None or data.lon is not None
    if data.place_code:
        if has_point:
            return None, [_("Give a crossing point or coordinates, not both.")]
        place = vocab.PLACES_BY_CODE.get(data.place_code)
        if place is None:
            return None, [_("Choose a crossing point from the register.")]
        return (place.code, place.lat, place.lon, CROSSING_RADIUS_KM), []
    if not has_point:
        if data.radius_km is not None:
            return None, [_("A radius needs coordinates: give latitude and longitude.")]
        return None, []
    return _point(data)


def _point(data: PlanInput):
    errors = []
    if data.lat is None or data.lon is None:
        errors.append(_("Give both latitude and longitude."))
    else:
        if not -90 <= data.lat <= 90:
            errors.append(_("Latitude is between -90 and 90."))
        if not -180 <= data.lon <= 180:
            errors.append(_("Longitude is between -180 and 180."))
    if data.radius_km is None:
        errors.append(_("Give the radius in km around the coordinates."))
    elif data.radius_km <= 0:
        errors.append(_("The radius must be more than 0 km."))
    elif data.radius_km > MAX_RADIUS_KM:
        errors.append(_("The radius is at most %(max)d km.", max=int(MAX_RADIUS_KM)))
    if errors:
        return None, errors
    return (None, data.lat, data.lon, data.radius_km), []


def _keys(targets: dict[str, list[str]]):
    keys, errors, seen = [], [], set()
    for kind in TARGET_KINDS:
        for typed in targets.get(kind, []):
            typed = " ".join((typed or "").split())
            if not typed:
                continue
            value = normal(kind, typed)
            if not value or len(typed) > 160 or len(value) > 160:
                errors.append(_("“%(typed)s” is not a %(kind)s.", typed=typed[:80], kind=_kind(kind)))
            elif (kind, value) not in seen:
                seen.add((kind, value))
                keys.append((kind, value, typed))
    if len(keys) > MAX_TARGETS:
        errors.append(_("A plan has at most %(max)d targets.", max=MAX_TARGETS))
    return keys, errors


def _kind(kind: str) -> str:
    labels = {"plate": _("plate"), "document": _("document number"), "phone": _("phone number"), "name": _("full name")}
    return labels[kind]
