"""Helpers shared by the forms of every feature."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice


def choices(table: dict, blank=None) -> list[SelectChoice]:
    """Select options from a vocabulary table {code: label}; `blank` adds an empty first option."""
    options = [SelectChoice(str(code), label) for code, label in table.items()]
    if blank is not None:
        options.insert(0, SelectChoice("", blank))
    return options


def pairs(items) -> list[SelectChoice]:
    """Select options from (value, label) pairs, e.g. rows read from the database."""
    return [SelectChoice(value, label) for value, label in items]
