"""Persons' phone numbers, normalised to E.164 with Google's libphonenumber (`phonenumbers`).

A person may have several numbers. Officers type them as people say them
("90 123 45 67", "+998 (90) 123-45-67", "8 10 7 912 ..."); a number without a
country code is read as Uzbek (DEFAULT_REGION). What does not make a possible
number in E.164 ("12", "abc") is refused with a specific message by the form,
the API and the importer alike; they share the limits below.

Stored on the person as one string of E.164 numbers separated by spaces
(Person.phones); lookups, correlations and hits use the identifier index
(ops.identifier_index). Ground floor: imports nothing of the product.
"""

from __future__ import annotations

import re

import phonenumbers

DEFAULT_REGION = "UZ"
MAX_PER_PERSON = 5
MAX_TYPED = 40  # one number as typed
STORED_LENGTH = 100  # Person.phones: MAX_PER_PERSON numbers of up to 16 characters and their spaces
# between numbers in one field: commas, semicolons, line breaks, or spaces before a "+" (other spaces
# belong inside a number), so that the stored "+998901234567 +998911234567" reads back as two
_BETWEEN = re.compile(r"[,;\n\r]+|\s+(?=\+)")


def normalise(typed: str | None, region: str = DEFAULT_REGION) -> str:
    """One number in E.164 ("+998901234567"), or "" when it cannot be a phone number."""
    text = (typed or "").strip()
    if not text or len(text) > MAX_TYPED or not any(c.isdigit() for c in text):
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def pieces(typed: str | list[str] | None) -> list[str]:
    """The numbers typed in one field (or given as a list), stripped, empty ones left out."""
    items = typed if isinstance(typed, list) else _BETWEEN.split(typed or "")
    return [item.strip() for item in items if item and item.strip()]


def parse(typed: str | list[str] | None) -> tuple[list[str], list[str]]:
    """(the numbers in E.164 without repeats, the pieces that are not phone numbers)."""
    numbers: list[str] = []
    bad: list[str] = []
    for piece in pieces(typed):
        number = normalise(piece)
        if not number:
            bad.append(piece)
        elif number not in numbers:
            numbers.append(number)
    return numbers, bad


def stored(value: str | None) -> list[str]:
    """The numbers of a Person.phones value."""
    return (value or "").split()


def split_country(number: str) -> tuple[str, str]:
    """(country calling code, national number) of an E.164 number, as digits; ("", digits) when unparsable."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return "", "".join(c for c in number if c.isdigit())
    return str(parsed.country_code), phonenumbers.national_significant_number(parsed)


def as_lookup(typed: str | None) -> str:
    """The E.164 form of a typed lookup term when it reads as one phone number, else "".

    Only what starts with "+" or has at least 9 digits is taken as a number, so
    that short codes and years are not read as Uzbek numbers.
    """
    text = (typed or "").strip()
    count = sum(c.isdigit() for c in text)
    if not text.startswith("+") and count < 9:
        return ""
    if any(c.isalpha() for c in text):
        return ""
    return normalise(text)


_TRUNK = re.compile(r"\s*[80][\s\-().]*(?=[(\d])")


def as_written(typed: str | None) -> str:
    """as_lookup, also for a national number after a trunk "8" or "0" ("8 (90) 123 45 67"), as free text
    writes them (ops.masks recognises the same)."""
    text = (typed or "").strip()
    number = as_lookup(text)
    if number or text.startswith("+") or not _TRUNK.match(text):
        return number
    return as_lookup(_TRUNK.sub("", text, count=1))
