"""The questions the benchmark asks: each of today's pages as the analyst opens it, and the nearest question a
general-purpose SQLite browser (Datasette) answers over the same rows.

Datasette knows nothing of agencies' visibility, masking or audit: its answers are the rows alone, a bound
on what the pages' own work could cost. Where its answer is narrower than the page (one chart of five, a plate
only), `note` says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bench.data import ANALYST, REPORT_YEAR, app_for

HEROIN_2023 = "commodity=heroin&from=2023-01-01&to=2023-12-31"
HEROIN_2023_ROWS = "commodity=heroin&occurred_at__gte=2023-01-01&occurred_at__lt=2024-01-01"
# (the page's filter, the same rows as Datasette's column filters): exports are sized from these
EXPORT_FILTERS = [
    (HEROIN_2023, HEROIN_2023_ROWS),
    (
        "commodity=opium&from=2021-01-01&to=2023-12-31",
        "commodity=opium&occurred_at__gte=2021-01-01&occurred_at__lt=2024-01-01",
    ),
    (
        "commodity=methamphetamine&from=2024-01-01&to=2024-12-31",
        "commodity=methamphetamine&occurred_at__gte=2024-01-01&occurred_at__lt=2025-01-01",
    ),
    ("conveyance=train&from=2024-01-01", "conveyance=train&occurred_at__gte=2024-01-01"),
    ("commodity=heroin&from=2019-01-01", "commodity=heroin&occurred_at__gte=2019-01-01"),
]
EXPORT_ROWS = 10_000


@dataclass(frozen=True)
class Question:
    name: str
    ops_paths: tuple[str, ...]  # asked in turn
    datasette_paths: tuple[str, ...] = ()  # none: Datasette has no such page
    note: str = ""


def _sql(database: str, sql: str) -> str:
    return f"/{database}.json?" + urlencode({"sql": sql, "_shape": "array"})


def ask(url: str, database: str, samples: int = 50) -> list[Question]:
    """The questions for the database at `url`; `database` is the SQLite file's name in Datasette."""
    operations, plates = _visible_samples(url, samples)
    export_args, export_rows, export_datasette = _export_filter(url)
    facets = "&_facet=commodity&_facet=conveyance&_size=50"
    return [
        Question(
            "search 'heroin truck'",
            ("/search?q=heroin+truck",),
            (f"/{database}/seizure?_search=heroin+truck{facets}",),
            "50 rows, totals, 5 facets, best match / Datasette: 50 rows, 2 facets",
        ),
        Question(
            "listing heroin 2023",
            (f"/search?{HEROIN_2023}",),
            (f"/{database}/seizure?{HEROIN_2023_ROWS}&_sort_desc=occurred_at{facets}",),
            "50 rows, totals, 5 facets, newest first / Datasette: 2 facets",
        ),
        Question(
            "dashboard SCC 2023",
            ("/search/dashboard?agency=SCC&from=2023-01-01&to=2023-12-31",),
            (_sql(database, _MONTHS),),
            "5 charts / Datasette: the per-month chart's query",
        ),
        Question(
            "map heroin 2023",
            (f"/search/map?{HEROIN_2023}",),
            (_sql(database, _PLACES),),
            "places and routes / Datasette: per place",
        ),
        Question(
            "teams and quarters SCC 2023",
            ("/search/dashboard/teams?agency=SCC&from=2023-01-01&to=2023-12-31",),
            (),
            "the dashboard's team axis and quarters",
        ),
        Question(
            f"programme report {REPORT_YEAR}",
            (f"/equipment/report?starts_on={REPORT_YEAR}-01-01&ends_on={REPORT_YEAR}-12-31",),
            (),
            "every donor and project, the aggregate rule",
        ),
        Question(
            "operation page",
            tuple(f"/operations/{i}" for i in operations),
            tuple(f"/{database}/operation/{i}" for i in operations),
            "seizures, parties, correlations, audited view / Datasette: the operation's row",
        ),
        Question(
            "identifier lookup",
            tuple("/search/lookup?" + urlencode({"value": plate, "purpose": "bench"}) for plate in plates),
            tuple(f"/{database}/vehicle?plate={quote(plate)}" for plate in plates),
            "plate in any format, visible records and others' hits, with a purpose / Datasette: plate as stored",
        ),
        Question(
            f"csv export {export_rows:,} rows",
            (f"/search/export/csv?{export_args}",),
            (f"/{database}/seizure.csv?{export_datasette}&_stream=on&_size=max",),
            f"{export_args} / Datasette: the seizure table's columns",
        ),
    ]


_MONTHS = (
    "SELECT substr(occurred_at, 1, 7) AS month, count(*), sum(kg_equivalent) FROM seizure "
    "WHERE owner_agency_id = (SELECT id FROM agency WHERE code = 'SCC') "
    "AND occurred_at >= '2023-01-01' AND occurred_at < '2024-01-01' GROUP BY month"
)
_PLACES = (
    "SELECT op_place, count(*), sum(kg_equivalent) FROM seizure WHERE commodity = 'heroin' "
    "AND occurred_at >= '2023-01-01' AND occurred_at < '2024-01-01' GROUP BY op_place"
)


def _analyst_context(url: str):
    app = app_for(url)
    return app, app.test_request_context()


def _visible_samples(url: str, size: int) -> tuple[list[int], list[str]]:
    """Operations the analyst may see that have a vehicle (something to correlate), and their plates."""
    from ops import policy
    from ops.db import session
    from ops.models import Operation, User, Vehicle

    app, context = _analyst_context(url)
    with context:
        db = session()
        user = db.execute(select(User).where(User.username == ANALYST)).scalar_one()
        rows = db.execute(
            select(Operation.id, Vehicle.plate)
            .join(Vehicle, Vehicle.operation_id == Operation.id)
            .where(policy.visible_operations(user))
            .order_by(Operation.id)
            .limit(20000)
        ).all()
    app.extensions["ops_engine"].dispose()
    chosen = random.Random(5).sample(rows, min(size, len(rows)))
    return [operation for operation, _plate in chosen], [plate for _operation, plate in chosen]


def _export_filter(url: str) -> tuple[str, int, str]:
    """The filter whose export is nearest EXPORT_ROWS rows for the analyst, its row count, Datasette's filter."""
    from ops.db import session
    from ops.models import User
    from ops.search import services
    from ops.search.sql import backends, facets

    best = None
    app, context = _analyst_context(url)
    with context:
        db = session()
        user = db.execute(select(User).where(User.username == ANALYST)).scalar_one()
        for args, theirs in EXPORT_FILTERS:
            query, scope, _errors = services.checked_query(db, user, MultiDict([p.split("=") for p in args.split("&")]))
            total = facets.compute(db, query, scope, backends.for_session(db)).totals.seizures
            if best is None or abs(total - EXPORT_ROWS) < abs(best[1] - EXPORT_ROWS):
                best = (args, total, theirs)
    app.extensions["ops_engine"].dispose()
    return best
