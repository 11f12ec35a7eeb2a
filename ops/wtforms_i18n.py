"""WTForms' own messages ("This field is required.") in the reader's language, from our catalogues.

WTForms ships no Uzbek catalogue, and forms built from plain `wtforms.Form` (the operation
form's rows) would otherwise answer in English in every language. The messages are listed
below so that `make i18n` extracts them into our catalogues; `translations` looks them up there.
"""

from __future__ import annotations

from flask_babel import get_translations


class CatalogueTranslations:
    """The gettext/ngettext pair WTForms asks of `Meta.get_translations`."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # not flask_babel.ngettext: WTForms does its own %-formatting with its own names
        return get_translations().ungettext(singular, plural, n)


translations = CatalogueTranslations()


def _extracted_only(_, ngettext) -> None:  # pragma: no cover - never called; read by pybabel
    _("This field is required.")
    _("Invalid input.")
    _("Field must be equal to %(other_name)s.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    _("Field must be between %(min)d and %(max)d characters long.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Date must be at least %(min)s.")
    _("Date must be at most %(max)s.")
    _("Date must be between %(min)s and %(max)s.")
    _("Invalid email address.")
    _("Invalid value, must be one of: %(values)s.")
    _("Invalid value, can't be any of: %(values)s.")
    _("This field cannot be edited.")
    _("This field is disabled and cannot have a value.")
    _("Invalid CSRF Token.")
    _("CSRF token missing.")
    _("CSRF failed.")
    _("CSRF token expired.")
    _("Invalid Choice: could not coerce.")
    _("Not a valid choice.")
    _("Invalid choice(s): one or more data inputs could not be coerced.")
    ngettext(
        "'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1
    )
    _("Not a valid datetime value.")
    _("Not a valid date value.")
    _("Not a valid time value.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
