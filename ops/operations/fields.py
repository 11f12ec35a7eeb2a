"""Form fields and parsers shared by the operation form and its rows.

Forgiving about how things are typed (decimal commas, spaces in numbers,
country names or codes), precise about what is accepted, and every refusal
names what is wrong.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, DateTimeLocalField, SelectField, StringField
from wtforms.validators import ValidationError

from ops import clock, vocab

# A clock a few minutes fast at a border post is not a "future date".
CLOCK_SLACK = timedelta(minutes=10)
MAX_TRANSIT = 10


def user_zone() -> ZoneInfo:
    name = getattr(current_user, "timezone", None) or current_app.config["DEFAULT_TIMEZONE"]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])


class MarkedRequired:
    """Marks a field required, so the form shows its mark before the first save.

    The check itself stays in the entry's validate_<field> method, which says what is missing
    in words; the mark only tells the user beforehand what that method will demand.
    """

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class CodeSelectField(SelectField):
    """A select over a vocabulary whose refusal of an unknown code says what was expected."""

    def __init__(self, label=None, validators=None, unknown=_l("Choose a value from the list."), **kwargs):
        super().__init__(label, validators, invalid_choice_message=unknown, **kwargs)

    def process_formdata(self, valuelist):
        # A value left out (an API body may omit an optional field; a browser always sends one) is the
        # field's default, else the blank choice, as null is: "unknown value" would be wrong, and a
        # required field says so itself.
        super().process_formdata(valuelist or [self.default if self.default is not None else ""])


class LocalDateTimeField(DateTimeLocalField):
    """<input type="datetime-local"> read in the user's time zone; `data` is aware, in UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators,
            tz=user_zone,
            format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"],
            invalid_value_message=_l("Enter a date and time, e.g. 2026-03-14 06:30."),
            **kwargs,
        )

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = self.data.astimezone(UTC)


class BirthDateField(DateField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, invalid_value_message=_l("Enter a date, e.g. 1985-07-21."), **kwargs)


def check_past(value: datetime | None, now: datetime | None = None) -> None:
    if value is None:
        return
    if value > (now or clock.now()) + CLOCK_SLACK:
        raise ValidationError(_("This is in the future. Enter when it happened."))
    if value < clock.EARLIEST_EVENT:
        raise ValidationError(_("This is before 1991. Check the year."))


def check_birth_date(value: date | None) -> None:
    if value is None:
        return
    if value > date.today():
        raise ValidationError(_("A birth date cannot be in the future."))
    if value.year < 1900:
        raise ValidationError(_("This is before 1900. Check the year."))


def parse_decimal(text: str | None) -> Decimal | None:
    """'1 250,5' and '1250.5' are the same number; None when it is not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text or "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_quantity(text: str | None, unit: str | None) -> Decimal:
    value = parse_decimal(text)
    if value is None:
        raise ValidationError(_("Enter the quantity as a number, e.g. 12.5."))
    if value <= 0:
        raise ValidationError(_("The quantity must be more than zero."))
    if value.as_tuple().exponent < -3:
        raise ValidationError(_("Use at most three decimals."))
    if unit in vocab.WHOLE_UNITS and value != value.to_integral_value():
        raise ValidationError(_("%(unit)s are counted in whole numbers.", unit=vocab.label(vocab.UNITS, unit)))
    limit = vocab.MAX_QUANTITY_BY_UNIT.get(unit or "")
    if limit is not None and value > limit:
        raise ValidationError(
            _(
                "More than %(limit)s %(unit)s is not plausible. Check for an extra zero.",
                limit=f"{limit:,}".replace(",", " "),
                unit=vocab.label(vocab.UNITS, unit),
            )
        )
    return value


def parse_coordinate(text: str | None, bound: int, what: str) -> float | None:
    if not (text or "").strip():
        return None
    value = parse_decimal(text)
    if value is None or abs(value) > bound:
        raise ValidationError(
            _("%(what)s is a number between -%(bound)s and %(bound)s, e.g. 37.2317.", what=what, bound=bound)
        )
    return float(value)


def parse_country(text: str | None) -> str | None:
    if not (text or "").strip():
        return None
    code = vocab.country_code(text)
    if code is None:
        raise ValidationError(
            _("Unknown country “%(text)s”. Use an ISO code (AF, TJ) or an English name.", text=text.strip())
        )
    return code


def _transit_parts(text: str) -> list[str]:
    parts = [part.strip() for part in re.split(r"[,;/]+", text) if part.strip()]
    if len(parts) == 1 and " " in parts[0]:
        words = parts[0].split()
        # "TJ KZ" is two codes; "United Arab Emirates" is one name
        if all(len(word) == 2 and vocab.country_code(word) for word in words):
            return words
    return parts


def parse_transit(text: str | None) -> str:
    """A list of countries -> space-separated ISO codes, in the order typed."""
    codes: list[str] = []
    for part in _transit_parts(text or ""):
        code = vocab.country_code(part)
        if code is None:
            raise ValidationError(_("Unknown country “%(text)s”. Separate countries with commas: TJ, KZ.", text=part))
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_TRANSIT:
        raise ValidationError(_("At most %(n)s transit countries.", n=MAX_TRANSIT))
    return " ".join(codes)


class CountryField(StringField):
    """A country typed as a code or an English name, offered from a list in the browser."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "list": "country-list",
            "autocomplete": "off",
            "spellcheck": "false",
            **kwargs.pop("render_kw", {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    @property
    def code(self) -> str | None:
        return parse_country(self.data)
