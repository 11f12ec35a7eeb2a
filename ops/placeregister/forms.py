"""The form of one place of the register (the same for a new place and an edit, but for the code)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ops import vocab
from ops.formutil import choices, pairs

NAME = [DataRequired(), Length(max=160)]
LATITUDE = NumberRange(min=-90, max=90, message=_l("A latitude is between -90 and 90."))
LONGITUDE = NumberRange(min=-180, max=180, message=_l("A longitude is between -180 and 180."))


def country_choices(blank=None):
    options = pairs(sorted(((c, vocab.country_name(c)) for c in vocab.COUNTRY_CODES), key=lambda pair: pair[1]))
    return choices({"": blank}) + options if blank is not None else options


class PlaceForm(FlaskForm):
    name_uz = StringField(_l("Name in Uzbek"), validators=NAME)
    name_ru = StringField(_l("Name in Russian"), validators=NAME)
    name_en = StringField(
        _l("Name in English"), validators=NAME, description=_l("Records store this name; imports match it.")
    )
    kind = SelectField(_l("Kind"), choices=choices(vocab.PLACE_KINDS))
    region = SelectField(_l("Region"))
    lat = FloatField(_l("Latitude"), validators=[InputRequired(), LATITUDE])
    lon = FloatField(_l("Longitude"), validators=[InputRequired(), LONGITUDE])
    country = SelectField(_l("Country of the place"), default="UZ")
    counterpart_name = StringField(
        _l("Counterpart's name"),
        validators=[Optional(), Length(max=160)],
        description=_l("Crossing points only: the crossing point on the other side, e.g. Hairatan."),
    )
    counterpart_country = SelectField(_l("Counterpart's country"), default="")
    counterpart_lat = FloatField(_l("Counterpart's latitude"), validators=[Optional(), LATITUDE])
    counterpart_lon = FloatField(_l("Counterpart's longitude"), validators=[Optional(), LONGITUDE])
    teams = SelectMultipleField(
        _l("Teams based here"),
        coerce=int,
        validate_choice=True,
        description=_l("A team is based at one place: choosing it here moves it from another."),
    )
    is_active = BooleanField(
        _l("In use"), default=True, description=_l("A place no longer used is kept for the records that name it.")
    )
    version = HiddenField()

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = pairs(sorted(((r, vocab.region_label(r)) for r in vocab.REGION_LABELS), key=_text))
        self.country.choices = country_choices()
        self.counterpart_country.choices = country_choices(blank=_l("— none —"))
        self.teams.choices = pairs((team.id, f"{team.code} — {vocab.local_name(team)}") for team in teams)


class NewPlaceForm(PlaceForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(min=2, max=32),
            Regexp(r"^[A-Z0-9][A-Z0-9_]*$", message=_l("Use capital letters, digits and underscores only.")),
        ],
        description=_l("Records keep the place by this code: it never changes."),
    )


def _text(pair) -> str:
    return str(pair[1])
