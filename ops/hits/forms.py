"""Forms of access requests and of a record's hit settings (limits are the services')."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional


class AskForm(FlaskForm):
    identifier = HiddenField()
    token = HiddenField()
    purpose = StringField(_l("Purpose"))
    case_number = StringField(_l("Case number"))


class AnswerForm(FlaskForm):
    decision = RadioField(
        _l("Answer"),
        choices=[
            SelectChoice("grant", _l("Grant")),
            SelectChoice("partial", _l("Grant in part (without identities)")),
            SelectChoice("refuse", _l("Refuse")),
        ],
        default="grant",
    )
    persons = BooleanField(_l("With the persons' identities"))
    until = DateField(_l("Until (optional)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (needed to refuse or grant in part)"))
    version = HiddenField()


class WithdrawForm(FlaskForm):
    pass


def agency_choices(agencies) -> list[SelectChoice]:
    return [SelectChoice(agency.id, agency.name) for agency in agencies]


class HitSettingsForm(FlaskForm):
    silent = BooleanField(_l("Silent: give no hit to other agencies; tell our supervisors who looked it up"))
    agencies = SelectMultipleField(_l("Agencies that get hits of this H2/H3 record"), coerce=int)
