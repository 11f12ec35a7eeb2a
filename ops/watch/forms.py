"""The watchlist's form (its checks are the service's, so that one rule holds everywhere)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice


class WatchForm(FlaskForm):
    kind = RadioField(
        _l("Watch"),
        choices=[
            SelectChoice("plate", _l("plate")),
            SelectChoice("document", _l("document number")),
            SelectChoice("phone", _l("phone number")),
            SelectChoice("name", _l("full name")),
        ],
        default="plate",
    )
    value = StringField(_l("Value"))


class RemoveForm(FlaskForm):
    pass
