"""Full text behind one small interface: SQLite FTS5 or PostgreSQL tsvector, chosen from the database URL.

Both indexes hold two parts per seizure (migration 0004): `body` (everything
but identities) and the persons' names and document numbers. A row matches
when every term is found in the parts the reader may see: the whole document
where persons_clause holds for the reader, the body alone elsewhere. So a
withheld name can neither find a record nor change its rank (ranks read the
body only).
"""
from __future__ import annotations

from sqlalchemy import Select, bindparam, column, func, literal_column, or_, select, table, text
from sqlalchemy.engine import Engine

from ops.models import Seizure
from ops.search.text import Term


class SqliteFts:
    """FTS5 table `seizure_fts(body, persons)`, rowid = seizure id."""
    name = "sqlite-fts5"
    _fts = table("seizure_fts", column("rowid"))

    @staticmethod
    def _phrase(words: tuple[str, ...], prefix: bool) -> str:
        return '"' + " ".join(words) + '"' + ("*" if prefix else "")

    def expression(self, terms: list[Term]) -> str:
        parts = []
        for term in terms:
            options = [self._phrase(term.words, term.prefix)] + [self._phrase(p, False) for p in term.alternatives]
            parts.append("(" + " OR ".join(options) + ")")
        return " AND ".join(parts)

    def restrict(self, stmt: Select, terms: list[Term], persons_ok) -> Select:
        everything = self.expression(terms)
        body_only = "{body} : (" + everything + ")"
        body_matches = text("SELECT rowid FROM seizure_fts WHERE seizure_fts MATCH :fts_body").bindparams(
            bindparam("fts_body", body_only, unique=True)).columns(column("rowid"))
        return (stmt.join(self._fts, self._fts.c.rowid == Seizure.id)
                .where(literal_column("seizure_fts").op("MATCH")(bindparam("fts_all", everything, unique=True)))
                .where(or_(persons_ok, Seizure.id.in_(select(body_matches.subquery().c.rowid)))))

    def rank(self, terms: list[Term]):
        """Ascending: best first. BM25 over the body only (weight 0 for persons)."""
        return func.bm25(literal_column("seizure_fts"), 1.0, 0.0)


class PostgresFts:
    """Table `seizure_search(seizure_id, body_tsv, full_tsv)` with GIN indexes."""
    name = "postgresql-tsvector"
    _search = table("seizure_search", column("seizure_id"), column("body_tsv"), column("full_tsv"))

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

    def _query(self, terms: list[Term]):
        return func.to_tsquery(literal_column("'simple'"), bindparam("tsquery", self.expression(terms), unique=True))

    def restrict(self, stmt: Select, terms: list[Term], persons_ok) -> Select:
        query = self._query(terms)
        return (stmt.join(self._search, self._search.c.seizure_id == Seizure.id)
                .where(self._search.c.full_tsv.op("@@")(query))
                .where(or_(persons_ok, self._search.c.body_tsv.op("@@")(query))))

    def rank(self, terms: list[Term]):
        """Ascending: best first."""
        return -func.ts_rank(self._search.c.body_tsv, self._query(terms))


def for_engine(engine: Engine):
    return PostgresFts() if engine.dialect.name == "postgresql" else SqliteFts()
