"""Forms of the register; choices that come from the database are set by the routes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ops.equipment.services import MAKE_MODEL_MAX, NUMBER_MAX, VALUE_MAX
from ops.formutil import choices
from ops.vocab import CURRENCIES, EQUIPMENT_KINDS, EQUIPMENT_STATUSES

NUMBER = Regexp(r"^[A-Za-z0-9][A-Za-z0-9./-]*$", message=_l("Use letters, digits, dots, slashes and dashes only."))


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class ItemFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=choices(EQUIPMENT_KINDS, blank=_l("Any kind")), default="")
    status = SelectField(_l("Status"), choices=choices(EQUIPMENT_STATUSES, blank=_l("Any status")), default="")
    agency = SelectField(_l("Agency"), coerce=_int_or_none)
    team = SelectField(_l("Team"), coerce=_int_or_none)
    q = StringField(_l("Serial or inventory number"), validators=[Optional(), Length(max=64)])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)])


class BatchForm(FlaskForm):
    reference = StringField(_l("Reference of the handover note"), validators=[DataRequired(), Length(max=64), NUMBER])
    handed_over_on = DateField(_l("Handed over on"), validators=[DataRequired()])
    donor = SelectField(_l("Donor"), coerce=int)
    project = SelectField(_l("Project"), coerce=int)
    agency = SelectField(_l("Recipient agency"), coerce=int)
    note = FileField(_l("Signed handover note (PDF or picture)"))


class ItemForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(EQUIPMENT_KINDS))
    make = StringField(_l("Make"), validators=[Optional(), Length(max=MAKE_MODEL_MAX)])
    model = StringField(_l("Model"), validators=[Optional(), Length(max=MAKE_MODEL_MAX)])
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=NUMBER_MAX), NUMBER])
    inventory_number = StringField(_l("Inventory number"), validators=[DataRequired(), Length(max=NUMBER_MAX), NUMBER])
    value = DecimalField(_l("Value"), places=2, validators=[Optional(), NumberRange(min=0, max=VALUE_MAX)])
    currency = SelectField(_l("Currency"), choices=choices({c: c for c in CURRENCIES}))
    team = SelectField(_l("Team"), coerce=_int_or_none)
    place = SelectField(_l("Crossing point"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=choices(EQUIPMENT_STATUSES))
    changed_on = DateField(_l("Since"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)])


class AssignForm(FlaskForm):
    team = SelectField(_l("Team"), coerce=_int_or_none)
    place = SelectField(_l("Crossing point"))
    assigned_on = DateField(_l("From"), validators=[DataRequired()])


class DonorForm(FlaskForm):
    name = StringField(_l("Donor"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Register the donor"))


class ProjectForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), NUMBER])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    donor = SelectField(_l("Donor"), coerce=int)
    component = StringField(_l("Programme component"), validators=[Optional(), Length(max=120)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    submit = SubmitField(_l("Register the project"))


class PeriodForm(FlaskForm):
    """A period (GET): the report and the team pages; the routes fill in a default year."""

    class Meta:
        csrf = False

    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("To"), validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period ends before it starts."))
        if field.data and self.starts_on.data and (field.data - self.starts_on.data).days > 3 * 366:
            raise ValidationError(_l("Choose a period of at most three years."))


class ReportForm(PeriodForm):
    donor = SelectField(_l("Donor"), coerce=_int_or_none)
    project = SelectField(_l("Project"), coerce=_int_or_none)


class ItemImportForm(FlaskForm):
    """The items' spreadsheet: checked only, or checked and imported (all rows or none)."""

    file = FileField(
        _l("Spreadsheet of items (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only CSV (.csv) or Excel workbook (.xlsx) files can be imported.")),
        ],
    )
    check = SubmitField(_l("Check only"))
    apply = SubmitField(_l("Check and import"))
