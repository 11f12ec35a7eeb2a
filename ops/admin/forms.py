from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ops import vocab
from ops.formutil import choices, pairs
from ops.vocab import ROLES, TEAM_KINDS

CODE = Regexp(r"^[A-Z0-9][A-Z0-9-]*$", message=_l("Use capital letters, digits and dashes only."))
USERNAME = Regexp(
    r"^[a-z0-9][a-z0-9._-]*$", message=_l("Use lower-case letters, digits, dots, dashes and underscores only.")
)


OTHER_NAME = [Optional(), Length(max=120)]
OTHER_NAME_HINT = _l("Shown to readers of that language; the English name when left empty.")


class NamesForm(FlaskForm):
    """The name in the three working languages; `name` (English) is the one imports and the demo match."""

    name = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_ru = StringField(_l("Name in Russian"), validators=OTHER_NAME, description=OTHER_NAME_HINT)
    name_uz = StringField(_l("Name in Uzbek"), validators=OTHER_NAME, description=OTHER_NAME_HINT)
    version = HiddenField()

    def names(self) -> dict:
        english = " ".join(self.name.data.split())
        return {
            "name": english,
            "name_en": english,
            "name_ru": (self.name_ru.data or "").strip(),
            "name_uz": (self.name_uz.data or "").strip(),
        }


class AgencyEditForm(NamesForm):
    country = SelectField(_l("Country"), default="UZ")
    is_programme = BooleanField(
        _l("Programme organisation"),
        description=_l("Not a law-enforcement agency: its people are programme officers and read no record."),
    )
    is_foreign_partner = BooleanField(
        _l("Foreign partner (counterpart office of a neighbouring country)"),
        description=_l(
            "Its people (leads and analysts, always with two-factor sign-in) read no record, search or hit: "
            "only what is released or sent to their office."
        ),
    )
    receive_language = SelectField(_l("Language of what it receives"), choices=[], default="en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_name = sorted(((c, vocab.country_name(c)) for c in vocab.COUNTRY_CODES), key=lambda pair: pair[1])
        self.country.choices = pairs(by_name)
        self.receive_language.choices = pairs((code, vocab.language_name(code)) for code in vocab.RECEIVE_LANGUAGES)

    def settings(self) -> dict:
        return {
            **self.names(),
            "country": self.country.data,
            "is_programme": self.is_programme.data,
            "is_foreign_partner": self.is_foreign_partner.data,
            "receive_language": self.receive_language.data,
        }


class AgencyForm(AgencyEditForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(min=2, max=16), CODE])


class TeamEditForm(NamesForm):
    kind = SelectField(_l("Kind"), choices=choices(TEAM_KINDS))


class TeamForm(TeamEditForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(min=2, max=24), CODE],
        description=_l("Used in record references, e.g. IMT-TER"),
    )


class UserEditForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices(ROLES))
    teams = SelectMultipleField(_l("Teams"), coerce=int, validate_choice=True)
    is_active = BooleanField(_l("Account active"), default=True)


class UserCreateForm(UserEditForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(min=3, max=64), USERNAME])
