from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError


class AuditFilterForm(FlaskForm):
    """Filters of the audit page; read from the query string so a view can be bookmarked."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    username = StringField(_l("User"), validators=[Optional(), Length(max=64)])
    agency = SelectField(_l("Agency of the user"), validators=[Optional()], validate_choice=True)
    record = StringField(_l("Record (id or reference)"), validators=[Optional(), Length(max=64)])
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    outcome = SelectField(_l("Outcome"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    before = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
