"""Forms of the seizure-event pages: button-only steps that carry the link's version."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, widgets
from wtforms.validators import InputRequired, NumberRange


class LinkStepForm(FlaskForm):
    """Propose, confirm, mark different or unlink: the version the user looked at and the page to go back to."""

    version = IntegerField(validators=[InputRequired()], widget=widgets.HiddenInput())
    operation_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)], widget=widgets.HiddenInput())


class ProposeForm(FlaskForm):
    """Propose "same seizure" for a seizure of this record and another seizure the user may read."""

    seizure_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    other_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    operation_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)], widget=widgets.HiddenInput())
