"""Full text behind one small interface: SQLite FTS5 or PostgreSQL tsvector, chosen from the database URL.

Both indexes hold two parts per seizure (migration 0004): `body` (everything
but identities) and the persons' names and document numbers. A row matches
when every term is found in the parts the reader may see: the whole document
where persons_clause holds for the reader, the body alone elsewhere. So a
withheld name can never find a record.
"""

from __future__ import annotations

from sqlalchemy import Select, TextClause, any_, bindparam, column, func, literal_column, or_, select, table, text

from ops.models import Seizure
from ops.search.language.text import Term


def _query_words(terms: list[Term]) -> list[tuple[str, bool]]:
    """(word, as a prefix) of every word of the query, for the question whether any person's words hold one.

    Usually none does (commodities, places, vehicles): then the persons' part of
    the index cannot take part in a match, the whole document matches exactly
    where the body alone does, and one match over the whole document suffices.
    """
    return sorted(
        {
            (word, term.prefix and n == len(phrase) - 1 and phrase == term.words)
            for term in terms
            for phrase in term.phrases
            for n, word in enumerate(phrase)
        }
    )


class _PersonsWords:
    """Asks once per search whether any person's words hold a word of the query (see _query_words); each
    backend says how: `_probe` (a statement of `:words`) and `_or` (how its query language joins words)."""

    _probe: TextClause
    _or: str

    def __init__(self, db):
        self.db = db
        self._persons_answers: dict[str, bool] = {}  # one probe per search, not one per statement

    def _persons_may_match(self, terms: list[Term]) -> bool:
        expression = self._or.join(self._phrase((word,), prefix) for word, prefix in _query_words(terms))
        if expression not in self._persons_answers:
            found = self.db.execute(self._probe, {"words": expression}).first()
            self._persons_answers[expression] = found is not None
        return self._persons_answers[expression]


class SqliteFts(_PersonsWords):
    """FTS5 table `seizure_fts(body, persons)`, rowid = seizure id; `person_fts` holds persons' words alone.

    Both keep no copy of the text (migration 0019_fts_lean: external content over the views that define
    the documents), so read only their rowid: a text column, highlight() or snippet() would compute the
    document again through the view for every row.
    """

    name = "sqlite-fts5"
    _fts = table("seizure_fts", column("rowid"))
    _probe = text("SELECT 1 FROM person_fts WHERE person_fts MATCH :words LIMIT 1")
    _or = " OR "

    @staticmethod
    def _phrase(words: tuple[str, ...], prefix: bool) -> str:
        return '"' + " ".join(words) + '"' + ("*" if prefix else "")

    def expression(self, terms: list[Term]) -> str:
        parts = []
        for term in terms:
            options = [self._phrase(term.words, term.prefix)] + [self._phrase(p, False) for p in term.alternatives]
            parts.append("(" + " OR ".join(options) + ")")
        return " AND ".join(parts)

    def restrict(self, stmt: Select, terms: list[Term], persons_ok, ids: tuple[int, int] | None = None) -> Select:
        everything = self.expression(terms)
        stmt = stmt.join(self._fts, self._fts.c.rowid == Seizure.id).where(
            literal_column("seizure_fts").op("MATCH")(bindparam("fts_all", everything, unique=True))
        )
        if ids:  # said of the index's rowid, so that FTS5 reads only that range (SQLite does not infer it)
            stmt = stmt.where(self._fts.c.rowid > ids[0], self._fts.c.rowid <= ids[1])
        if not self._persons_may_match(terms):
            return stmt
        body_only = "{body} : (" + everything + ")"
        body_matches = (
            text("SELECT rowid FROM seizure_fts WHERE seizure_fts MATCH :fts_body")
            .bindparams(bindparam("fts_body", body_only, unique=True))
            .columns(column("rowid"))
        )
        return stmt.where(or_(persons_ok, Seizure.id.in_(select(body_matches.subquery().c.rowid))))


# Materialised, so that it is planned for all its rows and reads ix_seizure_search_persons: told LIMIT 1, the
# planner reads the table in order, hoping to meet a match early, and where no person has the words (the usual
# case) that is the whole table (1 s at 1,000,000 seizures; this form: under 1 ms, 18 ms for the commonest names)
_PERSONS_PROBE = text(
    "WITH found AS MATERIALIZED (SELECT seizure_id FROM seizure_search "
    "WHERE persons_tsv @@ to_tsquery('simple', :words)) SELECT 1 FROM found LIMIT 1"
)


class PostgresFts(_PersonsWords):
    """Table `seizure_search(seizure_id, body_tsv, persons_tsv)`; GIN indexes on `body_tsv`, on `persons_tsv`
    (migration 0022) and on the whole document `(body_tsv || persons_tsv)`, an expression the table does not
    store (migration 0020)."""

    name = "postgresql-tsvector"
    _search = table("seizure_search", column("seizure_id"), column("body_tsv"), column("persons_tsv"))
    _probe = _PERSONS_PROBE  # through ix_seizure_search_persons (migration 0022)
    _or = " | "

    @staticmethod
    def _phrase(words: tuple[str, ...], prefix: bool) -> str:
        quoted = [f"'{w}'" for w in words]
        if prefix:
            quoted[-1] += ":*"
        return " <-> ".join(quoted)

    def expression(self, terms: list[Term]) -> str:
        parts = []
        for term in terms:
            options = [self._phrase(term.words, term.prefix)] + [self._phrase(p, False) for p in term.alternatives]
            parts.append("(" + " | ".join(options) + ")")
        return " & ".join(parts)

    @classmethod
    def _whole(cls):
        """The whole document, written as ix_seizure_search_all's expression so that the planner uses it."""
        return cls._search.c.body_tsv.op("||")(cls._search.c.persons_tsv)

    def restrict(self, stmt: Select, terms: list[Term], persons_ok, ids: tuple[int, int] | None = None) -> Select:
        query = func.to_tsquery(literal_column("'simple'"), bindparam("tsquery", self.expression(terms), unique=True))
        body = self._search.c.body_tsv.op("@@")(query)
        if not self._persons_may_match(terms):
            # no word of the query is any person's word: the whole document matches where its body does
            return stmt.where(Seizure.id == any_(func.array(self._matches(body, ids))))
        # the whole document's matches, looked up by key; where the reader may not see the persons, the body
        # alone must match too (asked of that row only), so a withheld name finds nothing
        found = stmt.where(Seizure.id == any_(func.array(self._matches(self._whole().op("@@")(query), ids))))
        body_of_row = select(self._search.c.seizure_id).where(self._search.c.seizure_id == Seizure.id, body)
        return found.where(or_(persons_ok, body_of_row.exists()))

    def _matches(self, condition, ids: tuple[int, int] | None):
        """The ids of the search rows where `condition` holds, in (low, high] if given, as a subquery that
        PostgreSQL runs once: the caller looks them up by primary key. (As a join, the planner hashed every
        seizure of the id range to meet the matches: 2-4 times slower at 1,000,000 seizures.)"""
        found = select(self._search.c.seizure_id).where(condition)
        if ids:  # said of the search rows themselves: PostgreSQL does not carry a range through a join
            # `+ 0`: not a range of the primary key. The planner counts a text match as cheap as a comparison
            # and, given a key range, walks the key reading every row's vector (for a word of a few thousand
            # matches, 90-330 ms a half at 100,000 seizures, against 20-47 ms from the full-text index).
            shifted = self._search.c.seizure_id + 0
            found = found.where(shifted > ids[0], shifted <= ids[1])
        return found.scalar_subquery()


def for_session(db):
    """The backend of the session's database."""
    return PostgresFts(db) if db.get_bind().dialect.name == "postgresql" else SqliteFts(db)
