"""The API token form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ops.apitokens.services import MAX_DAYS


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. 'weekly seizure report script'"),
    )
    days = IntegerField(
        _l("Valid for (days)"), default=90, validators=[InputRequired(), NumberRange(min=1, max=MAX_DAYS)]
    )
    read_only = BooleanField(
        _l("Read-only"),
        default=True,
        description=_l("A read-only token can read and search but never change anything."),
    )
