"""The full-text query language: words, "phrases" and prefix* words, all of which must match.

A typed query becomes a list of terms. Each term is a word, a phrase or a
prefix, plus the alternatives the vocabulary knows for it (a Russian or Uzbek
commodity or country name, an agency spreadsheet's name for a commodity), so
that `героин` also finds records written in English and `Afghanistan` finds
seizures routed through AF. The backends turn terms into FTS5 or tsquery
syntax; nothing typed by a user ever reaches either syntax unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ops import normalize
from ops.search.language import synonyms

MAX_LENGTH = 200
MAX_TERMS = 12
MIN_PREFIX = 2
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')


class TextError(ValueError):
    """A query that cannot be searched; the message is shown beside the search box."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    prefix: bool = False  # the last word is a prefix
    alternatives: tuple[tuple[str, ...], ...] = field(default=())  # other phrases meaning the same

    @property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


def parse(text: str) -> list[Term]:
    """Terms of a typed query; raises TextError with a message a user can act on."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise TextError(_l("The search text is too long (at most %(n)d characters).", n=MAX_LENGTH))
    terms = []
    for match in _TOKENS.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            terms.extend(_phrase_term(phrase))
        else:
            terms.extend(_word_terms(word))
    if len(terms) > MAX_TERMS:
        raise TextError(_l("Too many words: use at most %(n)d, or filters.", n=MAX_TERMS))
    if text and not terms:
        raise TextError(_l("There is nothing to search for in “%(text)s”: use letters or digits.", text=text))
    return _unique(terms)


def _phrase_term(phrase: str) -> list[Term]:
    words = tuple(w.lower() for w in normalize.words(phrase))
    if not words:
        return []
    if len(words) == 1:
        return [_expanded(words[0])]
    return [Term(words=words, alternatives=tuple(p for p in synonyms.phrases_for(words) if p != words))]


def _word_terms(word: str) -> list[Term]:
    prefix = word.endswith("*")
    parts = [w.lower() for w in normalize.words(word)]
    if not parts:
        return []
    if prefix:
        if len(parts[-1]) < MIN_PREFIX:
            raise TextError(
                _l("“%(word)s”: a prefix needs at least %(n)d letters before the *.", word=word, n=MIN_PREFIX)
            )
        return [Term(words=tuple(parts), prefix=True)]
    if len(parts) > 1:  # "01-A-123" or "x-ray": the pieces as a phrase, as the index split them
        return [Term(words=tuple(parts))]
    return [_expanded(parts[0])]


def _expanded(word: str) -> Term:
    return Term(words=(word,), alternatives=tuple(p for p in synonyms.phrases_for(word) if p != (word,)))


def _unique(terms: list[Term]) -> list[Term]:
    seen, unique = set(), []
    for term in terms:
        if term not in seen:
            seen.add(term)
            unique.append(term)
    return unique
