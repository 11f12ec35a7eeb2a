"""`make loadtest`: simulated analysts and team leads (Locust, users.py) against several `ops serve` processes on
one PostgreSQL and one Redis, all on loopback; bounded in time; p95 per action, errors, throughput, CPU.

    python -m bench.loadtest.run                                  # 1,000,000 seizures, 80 + 20 users, 5 minutes
    python -m bench.loadtest.run --rows 10000 --seconds 30        # a quick look
    python -m bench.loadtest.run --rows 10000 --seconds 30 --replica

The plain run uses a database of its own on the machine's cluster (BENCH_DATABASE_URL + _load_<rows>, loaded
once and reused). With --replica it builds a primary and a streaming replica of its own (cluster.py), loads the
data into the primary, points DATABASE_READ_URL at the replica, and shows which one served reads and writes;
the pair is dropped afterwards. Redis is always an instance of its own. The sign-in limits are raised through
their settings so that the simulated users, many per address, are not refused.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

from bench import cpu, data, servers
from bench.loadtest import cluster, report, setup

SEARCHES = [
    "q=heroin+truck",
    "q=hashish",
    "q=opium+car",
    "q=tramadol",
    "commodity=heroin&from=2023-01-01&to=2023-12-31",
    "conveyance=train&from=2024-01-01",
    "commodity=hashish&sort=largest",
]
EXPORTS = [
    "commodity=heroin&from=2023-01-01&to=2023-03-31",
    "commodity=heroin&from=2023-01-01&to=2023-12-31",
    "commodity=opium&from=2021-01-01&to=2023-12-31",
    "conveyance=train&from=2024-01-01",
    "commodity=heroin&from=2019-01-01",
]


@contextlib.contextmanager
def redis_instance():
    """A Redis of the load test's own on a free loopback port, keeping nothing on disk."""
    port = servers.free_port()
    argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            with contextlib.suppress(redis.ConnectionError):
                if redis.Redis.from_url(url).ping():
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).one()
    finally:
        engine.dispose()


def _wait_for_replica(primary_url: str, replica_url: str) -> None:
    target = _scalar(primary_url, "SELECT pg_current_wal_lsn()::text")[0]
    for _ in range(600):
        if _scalar(replica_url, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
            return
        time.sleep(0.5)
    raise RuntimeError("the replica did not catch up")


def _traffic(url: str) -> tuple:
    """(transactions, rows read, rows written) of the database, as its own statistics count them."""
    name = url.rsplit("/", 1)[1]
    return _scalar(
        url,
        "SELECT xact_commit, tup_returned + tup_fetched, tup_inserted + tup_updated + tup_deleted "
        f"FROM pg_stat_database WHERE datname = '{name}'",
    )


def _locust(plan: dict, seconds: int, folder: Path) -> Path:
    plan_file = folder / "plan.json"
    plan_file.write_text(json.dumps(plan))
    users = plan["analyst_count"] + plan["lead_count"]
    argv = [
        str(servers.BIN / "locust"), "-f", str(Path(__file__).with_name("users.py")), "--headless",
        "--users", str(users), "--spawn-rate", str(max(1, users // 10)), "--run-time", f"{seconds}s",
        "--stop-timeout", "15", "--csv", str(folder / "load"), "--only-summary", "--loglevel", "ERROR",
    ]  # fmt: skip
    env = dict(os.environ, LOADTEST_PLAN=str(plan_file), PYTHONPATH=str(servers.ROOT))
    # bounded: the run's time, the spawn, the stop timeout, and a margin; never longer
    subprocess.run(argv, env=env, cwd=servers.ROOT, timeout=seconds + 180, check=False)  # noqa: S603
    return folder / "load_stats.csv"


def run(url: str, read_url: str, args, db_cpu) -> None:
    """Load the data, prepare the people, start the servers, run Locust, print the figures."""
    data.load(url, args.rows, "several")
    plan = setup.people(url, args.analysts, args.leads) | {
        "analyst_count": args.analysts,
        "lead_count": args.leads,
        "wait": args.wait,
        "searches": SEARCHES,
        "export": setup.export_filter(url, EXPORTS),
    }
    if read_url:
        _wait_for_replica(url, read_url)
    with redis_instance() as redis_url, contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        extra = {"REDIS_URL": redis_url, "DATABASE_READ_URL": read_url}
        started = [
            stack.enter_context(servers.ops_server(url, args.workers, extra_env=extra)) for _ in range(args.servers)
        ]
        plan["servers"] = [server.base for server in started]
        traffic = {name: _traffic(u) for name, u in (("primary", url), ("replica", read_url)) if u}
        app_cpu, database_cpu = sum(cpu.tree_seconds(s.pid) for s in started), db_cpu()
        who = f"{args.analysts} analysts and {args.leads} team leads for {args.seconds} s"
        print(f"{who} against {args.servers} servers × {args.workers} worker(s); export {plan['export']}", flush=True)
        stats_csv = _locust(plan, args.seconds, Path(folder))
        app_cpu = sum(cpu.tree_seconds(s.pid) for s in started) - app_cpu
        database_cpu = db_cpu() - database_cpu
        found, total = report.actions(stats_csv)
        print(f"\nload average {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
        print(report.table(found, total, app_cpu, database_cpu))
        for name, before in traffic.items():
            after = _traffic(url if name == "primary" else read_url)
            moved = [a - b for a, b in zip(after, before, strict=True)]
            print(f"{name}: {moved[0]:,} transactions, {moved[1]:,} rows read, {moved[2]:,} rows written")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--analysts", type=int, default=80)
    parser.add_argument("--leads", type=int, default=20)
    parser.add_argument("--servers", type=int, default=4, help="`ops serve` processes")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers of each")
    parser.add_argument("--wait", default="3,10", help="seconds between a user's actions: least,most")
    parser.add_argument("--replica", action="store_true", help="a primary and a streaming replica of its own")
    args = parser.parse_args()
    args.wait = [float(x) for x in args.wait.split(",")]
    print(f"{os.cpu_count()} CPUs; {args.rows:,} seizures", flush=True)
    if not args.replica:
        bench_url = data.postgres_url(args.rows, "several")
        url = f"{bench_url.rsplit('_several_', 1)[0]}_load_{args.rows}"
        data.copy_postgres(bench_url, url, args.rows)  # `make bench`'s data, when loaded, instead of a second load
        name = url.rsplit("/", 1)[1]
        run(url, "", args, lambda: cpu.postgres_backends_seconds(name))
        return 0
    with cluster.ReplicaPair() as pair:
        primary, replica = pair.primary.url("ops_load"), pair.replica.url("ops_load")
        run(primary, replica, args, lambda: cpu.tree_seconds(pair.primary.pid) + cpu.tree_seconds(pair.replica.pid))
    print("the primary and the replica are stopped and deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
