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

from ops import normalize, phones
from ops.search.language import synonyms

MAX_LENGTH = 200
MAX_TERMS = 12
MIN_PREFIX = 2
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_PHONE_PIECE = re.compile(r"[+(]?[0-9][-0-9().]*")  # one piece of a phone number typed with spaces


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
    for phrase, words in _pieces(text):
        if phrase is not None:
            terms.extend(_phrase_term(phrase))
        elif len(words) > 1 and (number := _phone_term(" ".join(words))):
            terms.append(number)
        else:
            terms.extend(term for word in words for term in _word_terms(word))
    if len(terms) > MAX_TERMS:
        raise TextError(_l("Too many words: use at most %(n)d, or filters.", n=MAX_TERMS))
    if text and not terms:
        raise TextError(_l("There is nothing to search for in “%(text)s”: use letters or digits.", text=text))
    return _unique(terms)


def _pieces(text: str):
    """("phrase", None) for a quoted phrase, (None, words) for a run of words: several when together they
    may be one phone number as people type it ("+998 90 123-45-67", "8 (90) 123 45 67")."""
    run: list[str] = []
    for match in _TOKENS.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word is not None and _PHONE_PIECE.fullmatch(word):
            if run and word[0] == "+":  # a "+" begins another number
                yield None, run
                run = []
            run.append(word)
            continue
        if run:
            yield None, run
            run = []
        if phrase is not None:
            yield phrase, None
        else:
            yield None, [word]
    if run:
        yield None, run


def _phone_term(typed: str) -> Term | None:
    """A typed phone number: its words as typed (a number in free text that is no person's), or the
    words the index keeps for persons' numbers (migration 0012): E.164 digits and national digits."""
    number = phones.as_written(typed)
    if not number:
        return None
    country, national = phones.split_country(number)
    words = tuple(w.lower() for w in normalize.words(typed))
    forms = ((country + national,), (national,))
    return Term(words=words, alternatives=tuple(f for f in forms if f != words))


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
    if number := _phone_term(word):
        return [number]
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
