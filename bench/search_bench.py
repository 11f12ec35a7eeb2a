#!/usr/bin/env python3
"""In-process search benchmark (`make bench-inprocess`): the pages through the Flask test client, no network.

    python -m bench.search_bench                          # SQLite: bench-data/search-bench-<rows>.sqlite3
    python -m bench.search_bench --database postgresql    # PostgreSQL: BENCH_DATABASE_URL + _several_<rows>

The data is the HTTP benchmark's several-owner dataset (bench/data.py), loaded
once and reused. These figures are the second column beside `make bench`'s HTTP
ones: what the application's own code costs without gunicorn and HTTP.
Requests go through the Flask test client in this process (no network), as an
analyst of the State Customs Committee who belongs to the HQ analysis unit:
not a superuser, so policy.visible_seizures applies. Wall
times are what a user waits on this machine; CPU times are this process's
own work, which other programs on a shared machine do not inflate.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bench.data import DATA, PASSWORD, REPORT_YEAR, database_size, load, postgres_url, sqlite_url
from ops import policy
from ops.app import create_app
from ops.models import Operation, User, Vehicle

TARGETS = {
    "search": 150,
    "listing": 50,
    "dashboard": 200,
    "map": 200,
    "operation": 30,
    "programme": 500,
    "lookup": 50,
}  # lookup: 75 on PostgreSQL


# --- measuring -------------------------------------------------------------------------------


def _timed(times: list, cpu: list, call) -> object:
    started, started_cpu = time.perf_counter(), time.process_time()
    result = call()
    times.append((time.perf_counter() - started) * 1000)
    cpu.append((time.process_time() - started_cpu) * 1000)
    return result


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Bench:
    def __init__(self, url: str, requests: int):
        self.app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": str(DATA / "instance"),
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "LOOKUP_DAILY_LIMIT": 10**9,  # the bench's analyst looks up far more than a day's allowance
            }
        )
        self.client = self.app.test_client()
        response = self.client.post("/login", data={"username": "bench.analyst", "password": PASSWORD})
        assert response.status_code == 302, "the bench analyst cannot sign in"
        self.requests = requests
        self.results: list[tuple] = []
        gc.freeze()  # as ops/wsgi.py does in the server: the long-lived objects are out of the collector's sight

    def pages(self, name: str, paths: list[str], note: str = "") -> None:
        times, cpu = [], []
        for path in paths[:3]:  # warm-up
            self._fetch(path)
        for n in range(self.requests):
            path = paths[n % len(paths)]
            response = _timed(times, cpu, lambda path=path: self._fetch(path))
            assert response.status_code == 200, (path, response.status_code)
        self._keep(name, times, cpu, note)

    def _fetch(self, path: str):
        """The whole answer, body included: a streamed export is timed to its last row, not its first."""
        response = self.client.get(path, buffered=True)
        response.get_data()
        response.close()
        return response

    def _keep(self, name: str, times: list, cpu: list, note: str) -> None:
        self.results.append(
            (
                name,
                len(times),
                statistics.median(times),
                _percentile(times, 0.95),
                statistics.median(cpu),
                TARGETS.get(name.split()[0]),
                note,
            )
        )
        print(f"  {name}: p50 {statistics.median(times):.1f} ms, p95 {_percentile(times, 0.95):.1f} ms", flush=True)

    def operations(self, sample: list[int]) -> None:
        """The whole operation page of operations that have something to correlate (its view is audited)."""
        self.pages(
            "operation page",
            [f"/operations/{operation_id}" for operation_id in sample],
            "whole page: seizures, parties, correlations, audited view",
        )


def _sample_operations(bench: Bench, size: int) -> list[int]:
    """Operations the analyst may see that have a vehicle or a person: the ones with something to correlate."""
    from ops.db import session

    with bench.app.test_request_context():
        db = session()
        user = db.execute(select(User).where(User.username == "bench.analyst")).scalar_one()
        ids = (
            db.execute(
                select(Operation.id)
                .where(policy.visible_operations(user), Operation.id.in_(select(Vehicle.operation_id)))
                .order_by(Operation.id)
                .limit(20000)
            )
            .scalars()
            .all()
        )
    return random.Random(5).sample(ids, min(size, len(ids)))


def _hit_plates(bench: Bench, size: int) -> list[str]:
    """Plates of records that give the analyst a hit (other agencies' approved records it may not read)."""
    from ops.db import session
    from ops.models import IdentifierKey

    with bench.app.test_request_context():
        db = session()
        user = db.execute(select(User).where(User.username == "bench.analyst")).scalar_one()
        plates = (
            db.execute(
                select(IdentifierKey.value)
                .join(Operation, Operation.id == IdentifierKey.operation_id)
                .where(
                    IdentifierKey.kind == "plate",
                    policy.hits_clause(user),
                    ~policy.visible_operations(user),
                )
                .order_by(IdentifierKey.id)
                .limit(20000)
            )
            .scalars()
            .all()
        )
    return random.Random(7).sample(sorted(set(plates)), min(size, len(set(plates))))


def _export_args(bench: Bench) -> tuple[str, int]:
    """A filter whose result set is close to 10,000 rows for the analyst."""
    from ops.db import session
    from ops.search import services
    from ops.search.sql import backends, facets

    best = None
    with bench.app.test_request_context():
        db = session()
        user = db.execute(select(User).where(User.username == "bench.analyst")).scalar_one()
        for args in (
            "commodity=heroin&from=2023-01-01&to=2023-12-31",
            "commodity=opium&from=2021-01-01&to=2023-12-31",
            "agency=SCC&from=2024-01-01&to=2024-03-31",
            "agency=SCC&from=2024-01-01&to=2024-02-15",
            "commodity=methamphetamine&from=2024-01-01&to=2024-12-31",
            "conveyance=train&from=2024-01-01",
        ):
            query, scope, errors = services.checked_query(db, user, MultiDict([p.split("=") for p in args.split("&")]))
            total = facets.compute(db, query, scope, backends.for_session(db)).totals.seizures
            if best is None or abs(total - 10000) < abs(best[1] - 10000):
                best = (args, total)
    return best


def measure(url: str, requests: int) -> Bench:
    bench = Bench(url, requests)
    years = [f"commodity=heroin&from={y}-01-01&to={y}-12-31" for y in (2023,)]
    bench.pages("search 'heroin truck'", ["/search?q=heroin+truck"], "50 rows, totals, 5 facets, best match")
    bench.pages("listing heroin 2023", [f"/search?{years[0]}"], "50 rows, totals, 5 facets, newest first")
    scc_2023 = "agency=SCC&from=2023-01-01&to=2023-12-31"
    bench.pages("dashboard SCC 2023", [f"/search/dashboard?{scc_2023}"], "5 charts and the map panel")
    bench.pages("map SCC 2023", [f"/search/map?{scc_2023}"], "places by category, routes (the map's data)")
    bench.pages("teams and quarters SCC 2023", [f"/search/dashboard/teams?{scc_2023}"], "the dashboard's team axis")
    bench.operations(_sample_operations(bench, 200))
    year = f"starts_on={REPORT_YEAR}-01-01&ends_on={REPORT_YEAR}-12-31"
    bench.pages(f"programme report {REPORT_YEAR}", [f"/equipment/report?{year}"], "every donor, aggregate rule")
    plates = _hit_plates(bench, 200)
    if plates:
        bench.pages(
            "lookup with hits",
            [f"/search/lookup?value={plate}&purpose=bench" for plate in plates],
            "readable records + hits from the identifier index, purpose audited (PostgreSQL target < 75)",
        )
    args, rows = _export_args(bench)
    bench.pages(f"csv export {rows:,} rows", [f"/search/export/csv?{args}"], args)
    return bench


def report(bench: Bench, url: str, label: str) -> None:
    print(
        f"\n{label}: {url.split('@')[-1]}; {os.cpu_count()} CPUs; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; Flask test client in-process"
    )
    print("| page | requests | p50 ms | p95 ms | target p95 | CPU p50 ms | what |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, count, p50, p95, cpu, target, note in bench.results:
        print(f"| {name} | {count} | {p50:.0f} | {p95:.0f} | {f'< {target}' if target else '—'} | {cpu:.0f} | {note} |")
    print(f"database size: {database_size(url)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    url = postgres_url(args.rows, "several") if args.database == "postgresql" else sqlite_url(args.rows, "several")
    print(f"search benchmark on {args.database}, {args.rows:,} seizures", flush=True)
    load(url, args.rows)
    if not args.load_only:
        report(measure(url, args.requests), url, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
