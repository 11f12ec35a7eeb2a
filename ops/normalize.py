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
