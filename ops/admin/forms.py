from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ops.formutil import choices
from ops.vocab import ROLES, TEAM_KINDS

CODE = Regexp(r"^[A-Z0-9][A-Z0-9-]*$", message=_l("Use capital letters, digits and dashes only."))
USERNAME = Regexp(
    r"^[a-z0-9][a-z0-9._-]*$", message=_l("Use lower-case letters, digits, dots, dashes and underscores only.")
)


class AgencyForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(min=2, max=16), CODE])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    is_programme = BooleanField(
        _l("Programme organisation"),
        description=_l("Not a law-enforcement agency: its people are programme officers and read no record."),
    )


class TeamForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(min=2, max=24), CODE],
        description=_l("Used in record references, e.g. IMT-TER"),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=choices(TEAM_KINDS))


class UserEditForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    teams = SelectMultipleField(_l("Teams"), coerce=int, validate_choice=True)
    is_active = BooleanField(_l("Account active"), default=True)


class UserCreateForm(UserEditForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=64), USERNAME])
