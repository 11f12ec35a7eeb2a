"""Search and export through the API: the search page's own service, so the same filters and policy."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from ops.api.problems import ApiError
from ops.api.schemas import SearchPage, SearchRow
from ops.db import read_session, session
from ops.search import exports, services


def _errors(errors: dict[str, str]) -> ApiError:
    return ApiError(
        400, "the search is invalid", [{"field": name, "message": message} for name, message in sorted(errors.items())]
    )


def _refuse_empty_parameters() -> None:
    """The page's form sends empty fields and ignores them; an API caller who sends `agency=` meant something."""
    empty = sorted({name for name, value in request.args.items(multi=True) if not value.strip()})
    if empty:
        raise ApiError(
            400, "the search is invalid", [{"field": name, "message": "must not be empty"} for name in empty]
        )


def search_page() -> SearchPage:
    _refuse_empty_parameters()
    db = session()
    outcome = services.run(db, current_user, request.args, reads=read_session())
    if outcome.errors:
        raise _errors(outcome.errors)
    if not outcome.searched:
        raise ApiError(
            400,
            "give at least one search word or filter",
            [{"field": "q", "message": "a search word or a filter is required"}],
        )
    rows = [
        SearchRow(
            **row.seizure.model_dump() | {"concealment_detail": row.masked(row.seizure.concealment_detail)},
            operation_ref=row.operation.ref,
            agency=row.agency,
            place_name=row.operation.place_name,
            counted=row.counted,
            text_only_words=row.text_only,
            also_reported_by=[other.agency_name for other in row.also_reported],
        )
        for row in outcome.page.rows
    ]
    totals = outcome.facets.totals
    facet_counts = {
        name: {value.value: value.count for value in values} for name, values in outcome.facets.values.items()
    }
    return SearchPage(
        items=rows,
        total_seizures=totals.seizures,
        total_kg_equivalent=totals.kg,
        listed_not_counted=totals.not_counted,
        facets=facet_counts,
        next_cursor=outcome.page.next_cursor or None,
    )


def export_csv() -> Response:
    _refuse_empty_parameters()
    db = session()
    start = services.start_export(db, current_user, request.args, "csv", via="api", reads=read_session())
    if start.errors:
        raise _errors(start.errors)
    if not start.query.has_criteria():
        raise ApiError(
            400,
            "give at least one search word or filter",
            [{"field": "q", "message": "a search word or a filter is required"}],
        )
    return exports.csv_response(start.query, start.scope, "seizures.csv", start.left_out)
