"""Forms of releases to counterpart offices (the limits are the services')."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField
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


class RefuseForm(FlaskForm):
    reason = TextAreaField(_l("Why it is refused (the writer reads it)"))
    version = HiddenField()


class WithdrawForm(FlaskForm):
    version = HiddenField()


class AcknowledgeForm(FlaskForm):
    pass


HEADSUP_SUBJECTS = {
    "consignment": _l("An expected consignment"),
    "vehicle": _l("A vehicle"),
    "person": _l("A person"),
}


class HeadsUpForm(FlaskForm):
    to_agency = SelectField(_l("Counterpart office"), coerce=int, validators=[Optional()], validate_choice=False)
    subject = SelectField(_l("About"), choices=[SelectChoice(k, v) for k, v in HEADSUP_SUBJECTS.items()])
    plate = StringField(_l("Plate (optional)"))
    place_code = SelectField(_l("Crossing point"), validate_choice=False)
    window_start = DateTimeLocalField(_l("Expected from"), validators=[Optional()])
    window_end = DateTimeLocalField(_l("Expected until"), validators=[Optional()])
    text = TextAreaField(_l("Message"))
    valid_hours = IntegerField(_l("Valid for (hours)"), default=48, validators=[Optional()])

    def offer(self, offices) -> None:
        self.to_agency.choices = [SelectChoice(office.id, vocab.local_name(office)) for office in offices]
        crossings = [p for p in vocab.place_register().places if p.is_crossing]
        self.place_code.choices = [SelectChoice("", "—")] + [
            SelectChoice(p.code, p.label(vocab.reader_language())) for p in crossings
        ]


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Answer"))


class CounterpartForm(FlaskForm):
    national = SelectField(_l("National agency"), coerce=int, validate_choice=False)

    def offer(self, agencies) -> None:
        self.national.choices = [SelectChoice(a.id, f"{vocab.local_name(a)} ({a.code})") for a in agencies]
