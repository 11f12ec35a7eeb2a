"""Which typed terms are identifiers (and so may give hits): plates and document numbers, phone numbers,
full names. Any other word gives no hit: it could reveal content."""

from __future__ import annotations

from dataclasses import dataclass

from ops import names, normalize, phones

SHORTEST_IDENTIFIER = 4  # "A12" is too short to tell one vehicle or document from many


@dataclass(frozen=True)
class Terms:
    identifier: str = ""  # plate or document number, normalised (has a digit)
    phone: str = ""  # E.164
    name_keys: frozenset[str] = frozenset()  # a full name: two parts or more, no digits

    def __bool__(self) -> bool:
        return bool(self.identifier or self.phone or self.name_keys)


def of(typed: str | None) -> Terms:
    text = (typed or "").strip()
    if not text:
        return Terms()
    has_digit = any(c.isdigit() for c in text)
    identifier = normalize.identifier(text) if has_digit else ""
    if len(identifier) < SHORTEST_IDENTIFIER or " " in text.strip() and not _one_identifier(text):
        identifier = ""
    keys = names.keys(text) if not has_digit and len(names.parts(text)) >= 2 else frozenset()
    return Terms(identifier, phones.as_lookup(text), frozenset(k for k in keys if k))


def _one_identifier(text: str) -> bool:
    """ "01 A 123 BC" is one plate; "heroin 2024" is two words, not an identifier."""
    words = text.split()
    return all(any(c.isdigit() for c in w) or len(w) <= 3 for w in words)
