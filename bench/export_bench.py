"""CSV export speed, in-process: rows per second of the standard CSV export and where its time goes.

    python -m bench.export_bench --rows 20000                 # the several-owner SQLite dataset (bench/data.py)
    python -m bench.export_bench --rows 20000 --database postgresql --profile

The analyst's whole visible result set for `--filter` is exported `--repeat` times through the same code the
download streams (exports.csv_lines over exports.export_rows); the output's SHA-256 is printed, so a change
meant to be only faster can be checked to write the very same bytes.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import sys
import time

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bench.data import ANALYST, app_for, load, postgres_url, sqlite_url


def export_once(filter_args: str) -> tuple[int, str]:
    from ops.db import session
    from ops.models import User
    from ops.search import exports, services
    from ops.search.sql import backends

    db = session()
    user = db.execute(select(User).where(User.username == ANALYST)).scalar_one()
    query, scope, errors = services.checked_query(db, user, MultiDict([p.split("=") for p in filter_args.split("&")]))
    assert not errors, errors
    digest, rows = hashlib.sha256(), 0
    for piece in exports.csv_lines(exports.export_rows(db, query, scope, backends.for_session(db)), scope):
        digest.update(piece.encode())
        rows += piece.count("\r\n")
    return rows - 1, digest.hexdigest()  # less the header


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--filter", default="from=2019-01-01", help="the export's search, as in the URL")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print where one export's time goes")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, ncalls")
    args = parser.parse_args()
    url = postgres_url(args.rows, "several") if args.database == "postgresql" else sqlite_url(args.rows, "several")
    load(url, args.rows)
    app = app_for(url)
    walls, cpus = [], []
    with app.test_request_context(headers={"Accept-Language": "ru"}):  # labels in Russian: translation is work
        export_once(args.filter)  # warm-up
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            rows, digest = export_once(args.filter)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - started_cpu)
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(export_once, args.filter)
            pstats.Stats(profile).sort_stats(args.sort).print_stats(25)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{args.database}: {rows:,} rows in {wall:.2f} s (median of {args.repeat}) = {rows / wall:,.0f} rows/s, "
        f"CPU {cpu:.2f} s = {rows / cpu:,.0f} rows per CPU-second; sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
