"""Forms of releases to counterpart offices (the limits are the services')."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ops import vocab


class ReleaseForm(FlaskForm):
    to_agency = SelectField(_l("Counterpart office"), coerce=int, validators=[Optional()], validate_choice=False)
    include_plate = BooleanField(_l("Include the vehicle's plate"))
    summary = TextAreaField(_l("Summary for the counterpart (persons' names are masked)"))
    step = HiddenField(default="review")  # review: show the extract; send: write the release

    def offer(self, offices) -> None:
        self.to_agency.choices = [SelectChoice(office.id, vocab.local_name(office)) for office in offices]


class ApproveForm(FlaskForm):
    condition_met = BooleanField(_l("The condition of the record's handling code (H2/H3) is met for this release"))
    version = HiddenField()


class AcknowledgeForm(FlaskForm):
    pass
