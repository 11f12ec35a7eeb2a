"""The search pages' small forms (the search itself is a GET query string, read by query.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class SavedSearchForm(FlaskForm):
    name = StringField(_l("Save this search as"), validators=[DataRequired(), Length(max=120)])
    query = HiddenField(validators=[Length(max=4000)])


class LookupForm(FlaskForm):
    value = StringField(
        _l("Plate, document number or name"),
        description=_l("Any format: 01 A 123 BC, 01a123bc, FA 383-8205, akhmedov botir."),
        validators=[DataRequired(message=_l("Type a plate, a document number or a name.")), Length(min=2, max=160)],
    )
