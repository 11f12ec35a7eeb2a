"""`make bench`: the analysts' pages over HTTP against `ops serve` as deployed, beside Datasette over the same rows.

    python -m bench.http_bench                                   # 1,000,000 seizures, SQLite and PostgreSQL
    python -m bench.http_bench --rows 10000 --database sqlite --requests 20 --seconds 5

For each database and each dataset (records of several owning agencies; records of one), the data is loaded
once and reused (bench/data.py); `ops serve` runs gunicorn with 2 workers and a signed-in analyst asks today's
pages (bench/questions.py) over loopback, Datasette answering the nearest question over the dataset's SQLite
file in the same rounds (bench/rounds.py). Printed: p50/p95 with one client, requests per second with 4 and 16
clients, the servers' CPU time per request (gunicorn's processes; PostgreSQL's backends of the database in a
column of their own) and the load average beside each figure, with ops / Datasette ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import requests

from bench import client, cpu, data, questions, rounds, servers, stats

TARGETS_P95 = {"search": 150, "dashboard": 200, "operation": 30}


def _sides(ops_server, datasette, url: str) -> tuple[rounds.Side, rounds.Side]:
    db_name = url.rsplit("/", 1)[1] if url.startswith("postgresql") else ""
    ops_side = rounds.Side(
        "ops",
        ops_server.base,
        lambda: client.signed_in(ops_server.base, data.ANALYST, data.PASSWORD),
        lambda: cpu.tree_seconds(ops_server.pid),
        (lambda: cpu.postgres_backends_seconds(db_name)) if db_name else (lambda: 0.0),
    )
    theirs = rounds.Side("Datasette", datasette.base, requests.Session, lambda: cpu.tree_seconds(datasette.pid))
    return ops_side, theirs


def measure(url: str, sqlite_url: str, args) -> None:
    asked = [
        q if args.datasette else replace(q, datasette_paths=())
        for q in questions.ask(url, data.sqlite_path(sqlite_url).stem)
        if not args.only or any(word in q.name for word in args.only)
    ]
    theirs = servers.datasette_server(data.sqlite_path(sqlite_url)) if args.datasette else _no_datasette()
    with servers.ops_server(url, workers=2) as ops_server, theirs as ds:
        ours, theirs = _sides(ops_server, ds, url)
        for question in asked:
            pairs = [(ours, question.ops_paths), (theirs, question.datasette_paths)]
            timed = rounds.one_client(pairs, args.requests, args.budget)
            (mine, mine_db), (other, _db) = (t.summary() for t in timed)
            flows = {k: [rounds.throughput(s, p, k, args.seconds) for s, p in pairs] for k in args.clients}
            _print_row(question, mine, mine_db, other, flows)


@contextmanager
def _no_datasette():
    """Where Datasette is not asked (--without-datasette): a side that has none of the pages."""
    yield SimpleNamespace(base="", pid=0)


def _print_row(question, mine: stats.Summary, mine_db: float, other: stats.Summary, flows: dict) -> None:
    target = TARGETS_P95.get(question.name.split()[0])
    cells = [
        question.name,
        f"{stats.shown(mine.p50_ms)} / {stats.shown(mine.p95_ms)}" + (f" (< {target})" if target else ""),
        f"{stats.shown(other.p50_ms)} / {stats.shown(other.p95_ms)}",
        stats.shown(stats.ratio(mine.p95_ms, other.p95_ms), 2),
        f"{stats.shown(mine.cpu_ms)} + {stats.shown(mine_db)}",
        stats.shown(other.cpu_ms),
        f"{mine.load:.1f}",
    ]
    for ours, theirs in flows.values():
        cells += [
            _flow(ours),
            _flow(theirs),
            stats.shown(stats.ratio(ours.per_second, theirs.per_second), 2),
        ]
    print("| " + " | ".join(cells) + " |", flush=True)


def _flow(flow: stats.Throughput) -> str:
    return f"{stats.shown(flow.per_second, 1)} ({stats.shown(flow.cpu_ms_per_request)} ms CPU, load {flow.load:.1f})"


def _header(clients: list[int]) -> None:
    columns = [
        "page",
        "ops p50 / p95 ms",
        "Datasette p50 / p95 ms",
        "p95 ops ÷ Datasette",
        "ops CPU ms/req (app + db)",
        "Datasette CPU ms/req",
        "load",
    ]
    for k in clients:
        columns += [f"ops req/s, {k} clients", f"Datasette req/s, {k} clients", "ops ÷ Datasette"]
    print("| " + " | ".join(columns) + " |\n|" + " --- |" * len(columns), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--owners", choices=[*data.OWNERS, "both"], default="both")
    parser.add_argument("--requests", type=int, default=100, help="rounds with one client per page (at most)")
    parser.add_argument("--budget", type=float, default=60, help="seconds of one-client rounds per page (at most)")
    parser.add_argument("--seconds", type=float, default=10, help="window of each throughput figure")
    parser.add_argument("--clients", default="4,16", help="concurrent clients of the throughput figures")
    parser.add_argument("--only", default="", help="comma-separated words: ask only the questions naming one")
    parser.add_argument(
        "--without-datasette",
        dest="datasette",
        action="store_false",
        help="ops alone: no SQLite copy of the data for Datasette (its figures do not depend on ops' database)",
    )
    args = parser.parse_args()
    args.clients = [int(k) for k in args.clients.split(",") if k]
    args.only = [word for word in args.only.split(",") if word]
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    owners = list(data.OWNERS) if args.owners == "both" else [args.owners]
    for owner in owners:
        sqlite_url = data.sqlite_url(args.rows, owner)
        if args.datasette or "sqlite" in databases:
            data.load(sqlite_url, args.rows, owner)  # Datasette reads this file on either database
        for database in databases:
            url = sqlite_url if database == "sqlite" else data.postgres_url(args.rows, owner)
            data.load(url, args.rows, owner)
            print(
                f"\n### {database}, {args.rows:,} seizures owned by {owner} agenc{'ies' if owner == 'several' else 'y'}"
                f" — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
                f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, database {data.database_size(url)}\n",
                flush=True,
            )
            _header(args.clients)
            measure(url, sqlite_url, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
