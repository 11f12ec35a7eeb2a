from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ops.extensions import LANGUAGE_NAMES
from ops.formutil import choices
from ops.passwords import password_problem


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class NewPasswordField(PasswordField):
    """A new password, checked against the password rules."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validators=[DataRequired()], render_kw={"autocomplete": "new-password"},
                         **kwargs)

    def post_validate(self, form, validation_stopped):
        if not validation_stopped and self.data:
            problem = password_problem(self.data, getattr(getattr(form, "username", None), "data", "") or "")
            if problem:
                self.errors.append(problem)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = NewPasswordField(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})

    def validate_confirm(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("The two new passwords differ."))


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=choices(LANGUAGE_NAMES))
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])

    def validate_timezone(self, field):
        from zoneinfo import available_timezones
        if field.data not in available_timezones():
            raise ValidationError(_l("Unknown time zone; use a name such as Asia/Tashkent."))
