"""Marks the searched words in a result's text, so the reader sees why it matched.

Works on text that is already what the reader may see (masked by the caller); it escapes
the text and wraps each match in <mark>. Words match where a word begins, case-insensitive,
as the full-text search does; `word*` and "a phrase" are read the same way as the search box.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_TOKEN = re.compile(r'"([^"]+)"|(\S+)')
MAX_WORDS = 12


def words_of(query: str | None) -> list[str]:
    found = []
    for phrase, word in _TOKEN.findall(query or ""):
        for part in phrase.split() if phrase else [word]:
            part = part.strip("*\"'.,;:()").lower()
            if len(part) >= 2 and part not in found:
                found.append(part)
    return found[:MAX_WORDS]


def highlight(text: str | None, query: str | None) -> Markup:
    words = words_of(query)
    if not text or not words:
        return escape(text or "")
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")", re.I
    )
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)
