"""The search pages' small forms (the search itself is a GET query string, read by query.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length


class SavedSearchForm(FlaskForm):
    name = StringField(_l("Save this search as"), validators=[DataRequired(), Length(max=120)])
    query = HiddenField(validators=[Length(max=4000)])
    news = BooleanField(_l("Tell me about new records"))


class LookupForm(FlaskForm):
    value = StringField(
        _l("Plate, document number, phone number or name"),
        description=_l("Any format: 01 A 123 BC, 01a123bc, FA 383-8205, +998 90 123 45 67, akhmedov botir."),
        validators=[
            DataRequired(message=_l("Type a plate, a document number, a phone number or a name.")),
            Length(min=2, max=160),
        ],
    )
    purpose = StringField(
        _l("Purpose (to look in other agencies' records too)"),
        description=_l(
            "A short text or a case number; recorded with the lookup and shown to owners of silent records."
        ),
        validators=[Length(max=200)],
    )
