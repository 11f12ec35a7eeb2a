"""Record titles the importer made, shown in the reader's language.

The importer names a record from its first commodity and place ("Hashish at Ayritom (Termez
bridge)", "Heroin and 2 more items at Oybek"). The stored title stays that English text: old
records keep it, the search index matches it, exports carry it. What a reader sees is rebuilt
at display time from the codes the words stand for; a title typed by a person (anything that
does not parse as a known commodity at a place) is shown exactly as typed.
"""

from __future__ import annotations

import re

from flask_babel import gettext, ngettext

from ops import vocab

_IMPORTED = re.compile(r"^(?P<what>.+?)(?: and (?P<more>\d+) more items?)? at (?P<place>.+)$", re.S)


def display_title(title: str | None) -> str:
    """The title in the reader's language when it is one the importer made, else as stored."""
    found = _IMPORTED.match(title or "")
    commodity = vocab.commodity_code(found["what"]) if found else None
    if commodity is None:
        return title or ""
    what = vocab.commodity_label(commodity)
    place = vocab.place_label_by_name(found["place"])
    if found["more"]:
        more = int(found["more"])
        return ngettext(
            "%(what)s and %(num)d more item at %(place)s",
            "%(what)s and %(num)d more items at %(place)s",
            more,
            what=what,
            place=place,
        )
    return gettext("%(what)s at %(place)s", what=what, place=place)
