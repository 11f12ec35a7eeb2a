"""The patterns behind normalize.mask_identities: document numbers and birth dates as people write them,
and names compared by names.key.

Ground floor: imports only ops.names and ops.phones.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ops import names, phones

SHORTEST_NAME_PART = 3  # "Li", "Bo": parts this short are too common in text to mask
_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"
_SEPARATOR = r"[\s\-_./\\]*"
# Cyrillic letters typed for the Latin ones they look like (normalize.identifier folds them the same way)
_LOOKALIKES = dict(zip("ABEKMHOPCTYX", "АВЕКМНОРСТУХ", strict=True))
# case endings that names take in running text (Russian declension, Uzbek suffixes), longest first
_ENDINGS = sorted(
    {
        *("а", "у", "ом", "ым", "ой", "ою", "е", "ы", "ых", "ым", "ими", "им", "ую", "ая", "ого", "ому"),
        *("ning", "ni", "ga", "da", "dan", "lar", "larning", "ka", "qa", "ning"),
        *("нинг", "ни", "га", "да", "дан", "лар"),
        "'s",  # the English possessive ("Ismoilov's bag"): one word to names.WORD, as o' and g' need
    },
    key=len,
    reverse=True,
)

MONTHS = {  # written forms of the months in English, Russian (genitive and nominative) and Uzbek (Latin, Cyrillic)
    1: ("january", "jan", "января", "январь", "янв", "yanvar", "январ"),
    2: ("february", "feb", "февраля", "февраль", "фев", "fevral", "феврал"),
    3: ("march", "mar", "марта", "март", "mart"),
    4: ("april", "apr", "апреля", "апрель", "апр", "aprel", "апрел"),
    5: ("may", "мая", "май", "may"),
    6: ("june", "jun", "июня", "июнь", "iyun", "июн"),
    7: ("july", "jul", "июля", "июль", "iyul", "июл"),
    8: ("august", "aug", "августа", "август", "авг", "avgust"),
    9: ("september", "sep", "sept", "сентября", "сентябрь", "сен", "sentabr", "сентабр"),
    10: ("october", "oct", "октября", "октябрь", "окт", "oktabr", "октабр"),
    11: ("november", "nov", "ноября", "ноябрь", "ноя", "noyabr", "ноябр"),
    12: ("december", "dec", "декабря", "декабрь", "дек", "dekabr", "декабр"),
}


def _document(number: str) -> str | None:
    """A document number with any separators between its characters, look-alike letters in either alphabet."""
    chars = [c for c in number.upper() if c.isalnum()]
    if len(chars) < 4:  # too short to be told from ordinary words and numbers
        return None
    classes = [f"[{re.escape(c)}{_LOOKALIKES.get(c, '')}]" for c in chars]
    return _SEPARATOR.join(classes)


def _date(born: date) -> str:
    """A birth date in numeric and written forms: 05.03.1990, 5/3/1990, 1990-03-05, 5 March 1990,
    March 5, 1990, 5 марта 1990 г., 5-mart 1990, 1990-yil 5-mart."""
    day = f"0?{born.day}"
    month = f"0?{born.month}"
    year = str(born.year)
    month_word = "(?:" + "|".join(re.escape(m) for m in MONTHS[born.month]) + r")\.?"
    forms = [
        rf"{day}[./\-]{month}[./\-]{year}",
        rf"{year}[./\-]{month}[./\-]{day}",
        rf"{day}(?:\s*|-)(?:st|nd|rd|th)?\s*{month_word},?\s*{year}(?:\s*(?:г\.?|года|yil|y\.))?",
        rf"{month_word}\s*{day}(?:st|nd|rd|th)?,?\s*{year}",
        rf"{year}\s*-?\s*(?:yil|й\.?|йил)?,?\s*{day}\s*-?\s*{month_word}",
    ]
    return "(?:" + "|".join(forms) + ")"


_PHONE_SEPARATOR = r"[\s\-().]*"


def _phone(number: str) -> str | None:
    """An E.164 number as people write it: with or without "+" and country code, a trunk "8" or "0" before
    the national number, any spaces, dashes, dots or brackets between the digits."""
    country, national = phones.split_country(number)
    if len(national) < 5:
        return None
    body = _PHONE_SEPARATOR.join(national)
    prefix = rf"(?:\+?{_PHONE_SEPARATOR.join(country)}{_PHONE_SEPARATOR}|[80]{_PHONE_SEPARATOR})?"
    return rf"(?<!\d){prefix}{body}(?!\d)"


# The phone numbers taken out of the search index's body (normalize.without_identities on SQLite, the
# same expressions in migration 0012's search_redact on PostgreSQL, so both must stay plain: digits,
# separators, no libphonenumber). The country code is not known in SQL, so every split of the first
# one to three digits is tried: the national number after it may follow a trunk "8" or "0".
_INDEX_SEPARATOR = r"[-\s().]*"
SHORTEST_NATIONAL = 5  # digits: a shorter national number is not looked for


def _spaced(digits: str) -> str:
    return _INDEX_SEPARATOR.join(digits)


def indexed_phone_expressions(digits: str) -> list[str]:
    """The expressions for one number (its E.164 digits), in the order both databases apply them."""
    return [
        rf"(?<![^\W_])(?:(?:\+|00)?{_spaced(digits[:k])}{_INDEX_SEPARATOR}|[80]{_INDEX_SEPARATOR})?"
        rf"{_spaced(digits[k:])}(?![^\W_])"
        for k in (1, 2, 3)
        if len(digits) - k >= SHORTEST_NATIONAL
    ]


@lru_cache(maxsize=4096)
def _indexed_phones(numbers: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(e) for digits in numbers for e in indexed_phone_expressions(digits)]


def indexed_phones(numbers) -> list[re.Pattern]:
    """Patterns of the numbers (E.164 digits without "+") as written in free text."""
    return _indexed_phones(tuple(numbers))


@lru_cache(maxsize=4096)
def patterns(identities) -> list[re.Pattern]:
    """Regular expressions for the documents, phone numbers and birth dates of `identities` (an Identities)."""
    alternatives = [p for p in (_document(d) for d in identities.documents if d) if p]
    alternatives += [p for p in (_phone(n) for n in getattr(identities, "phones", ()) if n) if p]
    alternatives += [_date(born) for born in identities.birth_dates if born]
    if not alternatives:
        return []
    joined = "|".join(f"(?:{a})" for a in sorted(set(alternatives)))
    return [re.compile(f"{_BOUNDARY_BEFORE}(?:{joined}){_BOUNDARY_AFTER}", re.IGNORECASE)]


@lru_cache(maxsize=4096)
def name_keys(full_names: tuple[str, ...]) -> frozenset[str]:
    """The keys of the parts of three letters or more of the names."""
    return frozenset(
        names.key(part) for full in full_names for part in names.parts(full) if len(part) >= SHORTEST_NAME_PART
    )


_ENDING_KEYS = frozenset(names.key(ending) for ending in _ENDINGS)
# Free texts repeat their words from record to record (an export masks thousands of narratives): each word's
# key is made once. names.key depends on the word alone.
_word_key = lru_cache(maxsize=65536)(names.key)


def is_name(word: str, keys: frozenset[str]) -> bool:
    """Is `word` one of the names' parts, in any spelling, perhaps with a case ending?

    Keys are made letter by letter, so a name with an ending has the name's
    key followed by the ending's key ("Рахимова" -> "rahimov" + "a").
    """
    word_key = _word_key(word)
    if word_key in keys:
        return True
    return any(word_key.startswith(k) and word_key[len(k) :] in _ENDING_KEYS for k in keys)
