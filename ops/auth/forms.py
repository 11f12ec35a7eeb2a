from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ops.extensions import LANGUAGE_NAMES
from ops.formutil import choices
from ops.passwords import password_problem


class LoginForm(FlaskForm):
    username = StringField(
        _l("User name"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=256)], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class NewPasswordField(PasswordField):
    """A new password, checked against the password rules."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validators=[DataRequired()], render_kw={"autocomplete": "new-password"}, **kwargs)

    def post_validate(self, form, validation_stopped):
        if not validation_stopped and self.data:
            username = getattr(form, "username_for_rules", "") or getattr(getattr(form, "username", None), "data", "")
            problem = password_problem(self.data, username or "")
            if problem:
                self.errors.append(problem)


class ChangePasswordForm(FlaskForm):
    """`username` is the account's name, which the new password must not contain."""

    def __init__(self, *args, username: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.username_for_rules = username

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new_password = NewPasswordField(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )

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


class CodeForm(FlaskForm):
    """The second step of signing in: a code from the app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off", "spellcheck": "false"},
        description=_l(
            "The 6-digit code your authenticator app shows now. Lost your phone? "
            "Type one of your recovery codes instead."
        ),
    )


class EnrolForm(FlaskForm):
    """Confirms that the authenticator app was set up: its current code."""

    code = StringField(
        _l("Code shown by the app"),
        validators=[DataRequired(), Length(max=16)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
        description=_l("Six digits; a new code appears every 30 seconds."),
    )


class ReauthForm(FlaskForm):
    """Confirm it is still you before a sensitive action. Prefixed, so it can sit beside another form's data."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST of the app already; in place, the carried token counts

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
