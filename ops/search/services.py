"""The search pages' work: check the query, find the page of rows and the facets (or the dashboard, the export's
rows, the identifier lookup), and audit it in the same transaction.

`db` is the request's session, where the audit event is written; `reads` is where the rows and figures are
read: a streaming replica's session when DATABASE_READ_URL is set (ops.db.read_session), else `db` itself.
Nothing is ever written through `reads`."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from ops import audit, identities
from ops.search import annual, exports
from ops.search import lookup as lookups
from ops.search.dashboard import figures, teams
from ops.search.language import query as query_module
from ops.search.language.query import SearchQuery
from ops.search.map import figures as map_figures
from ops.search.sql import backends, counting, facets, filters, onepass, parallel, results
from ops.search.sql.filters import Scope


@dataclass
class Outcome:
    query: SearchQuery
    scope: Scope
    errors: dict[str, str] = field(default_factory=dict)
    page: results.Page | None = None
    facets: facets.Facets | None = None

    @property
    def searched(self) -> bool:
        return self.page is not None

    @property
    def commodity_words(self) -> list[tuple[str, tuple[str, ...]]]:
        """(the word as typed, the commodities it names): what the page says it counts."""
        return [(" ".join(term.words), codes) for term, codes in counting.commodity_terms(self.query.terms)]


def checked_query(db, user, args: MultiDict) -> tuple[SearchQuery, Scope, dict[str, str]]:
    """The query of a request and what is wrong with it, codes checked against the database."""
    scope = Scope.of(db, user)
    query, errors = query_module.parse(args)
    errors.update(filters.check_codes(query, scope))
    return query, scope, errors


def query_string(query: SearchQuery, paging: bool = False) -> str:
    return urlencode(query.to_args(paging=paging))


def run(db, user, args: MultiDict, with_facets: bool = True, reads=None, left_out: bool = False) -> Outcome:
    """The search page's work. An invalid query finds nothing and is audited as such. With `left_out`, a
    search with words also counts what an export would leave out, in the same pass (facets.left_out)."""
    reads = db if reads is None else reads
    query, scope, errors = checked_query(reads, user, args)
    outcome = Outcome(query=query, scope=scope, errors=errors)
    if errors:
        _audit(db, user, "invalid", {"query": urlencode(list(args.items(multi=True)))[:2000], "errors": sorted(errors)})
        return outcome
    if not query.has_criteria():
        return outcome
    backend = backends.for_session(reads)
    try:
        if with_facets and query.terms:
            outcome.page, outcome.facets = onepass.search(reads, query, scope, backend, left_out)
        else:
            _page_beside_facets(reads, query, scope, backend, outcome, with_facets)
    except results.CursorError as error:
        outcome.errors["after"] = str(error.args[0])
        return outcome
    detail = {"query": query_string(query, paging=True)}
    if outcome.facets is not None:
        detail["found"] = outcome.facets.totals.seizures
    _audit(db, user, "ok", detail)
    return outcome


def _page_beside_facets(db, query: SearchQuery, scope: Scope, backend, outcome: Outcome, with_facets: bool) -> None:
    """Filters alone: the page from an index, and the facets' pass over the matches beside it (parallel.py)."""
    cube = parallel.start(db, facets.statement(db, query.without_paging(), scope, backend)) if with_facets else None
    outcome.page = results.find_page(db, query, scope, backend)  # a bad page link raises; the cube ends unread
    if cube is not None:
        outcome.facets = facets.rollup(cube.result(), scope)


def dashboard(db, user, args: MultiDict, reads=None) -> tuple[Outcome, figures.Dashboard | None]:
    """The dashboard of a search, audited as a search; none for an invalid query."""
    return _figures(db, user, args, figures.compute, "dashboard", reads)


def dashboard_teams(db, user, args: MultiDict, reads=None) -> tuple[Outcome, teams.TeamAxis | None]:
    """The dashboard's team axis and quarters for a search, audited as a search; none for an invalid query."""
    return _figures(db, user, args, teams.compute, "dashboard_teams", reads)


def dashboard_map(board: figures.Dashboard) -> map_figures.MapFigures:
    """The dashboard's map panel: the map of the same query, from the dashboard's own grouped rows."""
    return map_figures.from_groups(board.place_cells, board.route_rows)


def map_of(db, user, args: MultiDict, reads=None) -> tuple[Outcome, map_figures.MapFigures | None]:
    """The map of a search (totals per place and route), audited as a search; none for an invalid query."""
    return _figures(db, user, args, map_figures.compute, "map", reads)


def _figures(db, user, args: MultiDict, compute, page: str, reads=None):
    """Grouped figures of a search's rows (the dashboard's, the map's) for a valid query, audited."""
    reads = db if reads is None else reads
    query, scope, errors = checked_query(reads, user, args)
    outcome = Outcome(query=query, scope=scope, errors=errors)
    if errors:
        return outcome, None
    found = compute(reads, query, scope, backends.for_session(reads))
    _audit(db, user, "ok", {page: query_string(query), "found": found.totals.seizures})
    return outcome, found


@dataclass
class ExportStart:
    query: SearchQuery
    scope: Scope
    errors: dict[str, str]
    left_out: int = 0  # records of other agencies with handling code H2, which no export carries

    @property
    def ready(self) -> bool:
        return not self.errors and self.query.has_criteria()


def start_export(db, user, args: MultiDict, fmt: str, via: str = "web", reads=None) -> ExportStart:
    """Check an export's query and, when it has one to export, count what it must leave out and audit the
    export before its rows stream."""
    reads = db if reads is None else reads
    query, scope, errors = checked_query(reads, user, args)
    start = ExportStart(query, scope, errors)
    if start.ready:
        start.left_out = exports.left_out(reads, query, scope, backends.for_session(reads), drugs_only=fmt == "unodc")
        detail = {"format": fmt, "query": query_string(query), "left_out": start.left_out}
        if via != "web":
            detail = {"format": fmt, "via": via, "query": detail["query"], "left_out": start.left_out}
        audit.record(db, "export", user=user, object_type="seizure", detail=detail)
        db.commit()
    return start


def lookup(db, user, value: str, reads=None) -> lookups.Lookup:
    """Every visible record with this identifier, audited with what was looked up."""
    result = lookups.lookup(db if reads is None else reads, user, value)
    audit.record(db, "search", user=user, object_type="operation", detail={"lookup": value, "found": result.total})
    db.commit()
    identities.prefetch(operation.id for operation, _what in result.hits)  # titles are masked per reader
    return result


def _audit(db, user, outcome: str, detail: dict) -> None:
    audit.record(db, "search", user=user, object_type="seizure", outcome=outcome, detail=detail)
    db.commit()


def annual_totals(db, user, args: MultiDict, exported: bool = False) -> annual.Annual:
    """The annual table per drug for a valid year range (raises annual.YearsError), audited as a search or an
    export."""
    first, last = annual.parse_years(args)
    table = annual.compute(db, user, first, last)
    detail = {"annual": urlencode(list(args.items(multi=True))), "drugs": len(table.lines)}
    if exported:
        audit.record(db, "export", user=user, object_type="seizure", detail={"format": "annual-xlsx", **detail})
        db.commit()
    else:
        _audit(db, user, "ok", detail)
    return table
