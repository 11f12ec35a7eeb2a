"""Normal forms of identifiers, so that `01 A 123 BC`, `01a123bc` and `01-A-123-BC` match.

Stored beside the typed value (Vehicle.plate_norm, Person.document_norm,
Person.name_norm) and applied to whatever a user searches for.
"""

from __future__ import annotations

import re
import unicodedata

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


# Words as both full-text indexes see them: runs of letters and digits (SQLite's
# unicode61 tokenizer; PostgreSQL's search_words() in migration 0004).
_WORDS = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    return _WORDS.findall(text or "")


def identity_words(identities: str | None) -> frozenset[str]:
    """The words of persons' names and document numbers, folded; single letters are too common to matter."""
    return frozenset(w.lower() for w in words(identities) if len(w) > 1)


def without_identities(text: str | None, identities: str | None) -> str:
    """The words of `text` minus those of persons' names and document numbers.

    Narratives name the people they are about ("Javlon Ismoilov (document
    AB6887609) was arrested"). The search index keeps a record's narrative
    searchable for everyone who may see the record, but without these words,
    so that a withheld name or document number cannot find it (SQLite calls
    this through a registered function; PostgreSQL has the same rule in SQL).
    """
    hidden = identity_words(identities)
    return " ".join(w for w in words(text) if w.lower() not in hidden)


def mask_identities(text: str | None, identities: str | None, mask: str = "•••") -> str:
    """`text` for display with the words of persons' names and document numbers replaced by `mask`."""
    hidden = identity_words(identities)
    if not hidden:
        return text or ""
    return _WORDS.sub(lambda m: mask if m.group(0).lower() in hidden else m.group(0), text or "")
