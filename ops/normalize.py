"""Normal forms of identifiers, so that `01 A 123 BC`, `01a123bc` and `01-A-123-BC` match.

Stored beside the typed value (Vehicle.plate_norm, Person.document_norm,
Person.name_norm) and applied to whatever a user searches for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from ops import masks, names

_SEPARATORS = re.compile(r"[\s\-_./\\]+")
_SPACES = re.compile(r"\s+")
# Russian plates use the Cyrillic letters that look like Latin ones; officers type
# either, so both must meet in one normal form.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def identifier(value: str | None) -> str:
    """Plates and document numbers: upper case, no spaces, dashes, dots or slashes."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    return _SEPARATORS.sub("", text).upper().translate(_CYRILLIC_LOOKALIKES)


def name(value: str | None) -> str:
    """Person names: upper case (Cyrillic too), single spaces, no leading or trailing space."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    return _SPACES.sub(" ", text).strip().upper()


def spellings(full_name: str | None) -> str:
    """The usual spellings of every part of a name in both alphabets, as one string (Person.name_spellings)."""
    return " ".join(sorted(names.name_spellings(full_name)))


# Words as both full-text indexes see them: runs of letters and digits (SQLite's
# unicode61 tokenizer; PostgreSQL's search_words() in migration 0004).
_WORDS = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    return _WORDS.findall(text or "")


def identity_words(identities: str | None) -> frozenset[str]:
    """The words of persons' names and document numbers, folded; single letters are too common to matter."""
    return frozenset(w.lower() for w in words(identities) if len(w) > 1)


def without_identities(text: str | None, identities: str | None) -> str:
    """The words of `text` minus those of persons' names, document numbers and phone numbers.

    Narratives name the people they are about ("Javlon Ismoilov (document
    AB6887609) was arrested"). The search index keeps a record's narrative
    searchable for everyone who may see the record, but without these words,
    so that a withheld name or document number cannot find it (SQLite calls
    this through a registered function; PostgreSQL has the same rule in SQL,
    migrations 0004 and 0012). Phone numbers ("+998901234567" in `identities`)
    go first, in every form masks.indexed_phones knows ("8 (90) 123-45-67").
    """
    for pattern in masks.indexed_phones(_numbers_in(text, identities)):
        text = pattern.sub(" ", text or "")
    hidden = identity_words(identities)
    return " ".join(w for w in words(text) if w.lower() not in hidden)


# the persons' phone numbers in the index's `persons` part: E.164 as stored (migration 0012)
_INDEXED_PHONE = re.compile(r"\+([0-9]{6,15})(?![0-9])")
_NOT_DIGIT = re.compile(r"[^0-9]+")


def _numbers_in(text: str | None, identities: str | None) -> list[str]:
    """The persons' numbers that may stand in `text`: a number written there, whatever its separators, leaves
    its last digits side by side in the text's digits, so the others need no (costly, per number) pattern."""
    numbers = _INDEXED_PHONE.findall(identities or "")
    if not numbers:
        return []
    digits = _NOT_DIGIT.sub("", text or "")
    return [n for n in numbers if n[-masks.SHORTEST_NATIONAL :] in digits]


@dataclass(frozen=True)
class Identities:
    """What identifies the persons of a record: their names, document numbers and birth dates."""

    names: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    birth_dates: tuple[date, ...] = ()
    phones: tuple[str, ...] = ()  # E.164

    def __bool__(self) -> bool:
        return bool(self.names or self.documents or self.birth_dates or self.phones)

    def words(self) -> str:
        """Names and document numbers as one string: what the search index keeps apart (`persons`)."""
        return " ".join([*self.names, *self.documents])


def mask_identities(text: str | None, identities: Identities | str | None, mask: str = "•••") -> str:
    """`text` for a reader without access to identities: the persons' names, document numbers, phone
    numbers and birth dates in it replaced by `mask`.

    Names: whole words equal, by names.key, to a part of three letters or more
    of a person's name, in any alphabet or spelling, also with a Russian or
    Uzbek case ending ("Каримова", "Karimovning"). Documents: as typed or in
    normal form, with or without separators ("AB 1234567", "ab-1234567").
    Birth dates: in the numeric formats of the forms and the importer and
    written out in English, Russian and Uzbek ("5 марта 1990", "1990-yil 5-mart"). Phone numbers: with
    or without country code or trunk prefix, any separators ("+998 90 123-45-67", "8 (90) 1234567").
    A plain string is taken as names and document numbers (the search
    index's `persons` part).
    """
    if not text:
        return text or ""
    if not isinstance(identities, Identities):
        identities = Identities(names=(identities or "",))
    if not identities:
        return text
    for pattern in masks.patterns(identities):
        text = pattern.sub(mask, text)
    name_keys = masks.name_keys(identities.names)
    if not name_keys:
        return text
    return names.WORD.sub(lambda m: mask if masks.is_name(m.group(0), name_keys) else m.group(0), text)
