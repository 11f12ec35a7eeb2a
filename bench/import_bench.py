#!/usr/bin/env python3
"""Import benchmark: generate N rows with ops.generator, import them into a fresh database, print the figures.

    python bench/import_bench.py --rows 1000000            # a temporary SQLite file
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ops_bench python bench/import_bench.py --rows 1000000

With DATABASE_URL the named database must be empty (the script migrates it and
refuses one that holds operations). `--again` times a second import of the
same file, which must add nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_babel import force_locale  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from ops import demo  # noqa: E402
from ops.app import create_app
from ops.db import engine  # noqa: E402
from ops.generator import write_csv  # noqa: E402
from ops.importer.loader import Loader  # noqa: E402
from ops.importer.services import Job, import_file  # noqa: E402
from ops.migrate import upgrade  # noqa: E402
from ops.models import Agency, Operation, Team  # noqa: E402


class Phases:
    """Remembers when each phase (checking, writing) started, and prints progress now and then."""

    def __init__(self):
        self.started, self.last_print = {}, 0.0
        self.peak_mb: dict[str, float] = {}  # resident memory seen during each phase (sampled per batch)

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.started.setdefault(phase, now)
        rss = _resident_mb()
        self.peak_mb[phase] = max(self.peak_mb.get(phase, 0.0), rss)
        if now - self.last_print > 10:
            print(f"  {phase}: {done:,} / {total:,}", flush=True)
            self.last_print = now


def _resident_mb() -> float:
    """This process's resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _organisations(db: Session) -> Agency:
    for code, name in demo.AGENCIES:
        db.add(Agency(code=code, name=name))
    for code, name, kind in demo.TEAMS:
        db.add(Team(code=code, name=name, kind=kind))
    db.commit()
    return db.execute(select(Agency).where(Agency.code == "SCC")).scalar_one()


def _import(path: Path, owner: Agency) -> tuple[float, dict, object]:
    phases = Phases()
    started, started_cpu = time.perf_counter(), time.process_time()
    with force_locale("en"):  # no request here: the importer's messages in English
        outcome = import_file(engine(), Job(path, path.name, owner), progress=phases)
    total = time.perf_counter() - started
    # this process's CPU (Python and SQLite's work): other jobs on a shared machine inflate wall times, not this
    print(f"import CPU time {time.process_time() - started_cpu:.1f} s", flush=True)
    print(
        "resident memory: "
        + ", ".join(f"{phase} up to {mb:,.0f} MB" for phase, mb in phases.peak_mb.items())
        + f", after the commit {_resident_mb():,.0f} MB",
        flush=True,
    )
    return total, phases.started | {"start": started}, outcome


def _generate(path: Path, rows: int, seed: int) -> None:
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
        write_csv(rows, seed, handle)
    took = time.perf_counter() - started
    print(
        f"generated {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {took:.1f} s ({rows / took:,.0f} rows/s)",
        flush=True,
    )


def _measure(path: Path, owner: Agency, again: bool) -> int:
    total, phases, outcome = _import(path, owner)
    batch = outcome.batch
    if batch.status != "done":
        print(f"import {batch.status}: {batch.message}", file=sys.stderr)
        return 1
    checking = phases["writing"] - phases["checking"]
    writing = phases["start"] + total - phases["writing"]
    print(
        f"imported {batch.rows:,} rows in {total:.1f} s = {batch.rows / total:,.0f} rows/s "
        f"(check pass {checking:.1f} s, write pass {writing:.1f} s): {batch.operations_created:,} operations, "
        f"{batch.seizures_created:,} seizures, {batch.persons_created:,} persons, "
        f"{batch.vehicles_created:,} vehicles",
        flush=True,
    )
    if again:
        took, _phases, outcome = _import(path, owner)
        print(
            f"imported the same file again in {took:.1f} s: {outcome.batch.seizures_created} new seizures, "
            f"{outcome.batch.rows_skipped:,} rows skipped",
            flush=True,
        )
    return 0


def _report_size(url: str) -> None:
    """SQLite: the file's size, its WAL's, and the share of the file the full-text index takes (dbstat)."""
    if not url.startswith("sqlite"):
        return
    path = Path(url.removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0
    with sqlite3.connect(path) as conn:
        pages = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    fts = {name: used for name, used in pages.items() if name.startswith(("seizure_fts", "person_fts"))}
    print(
        f"database file {path.stat().st_size / 1e6:,.0f} MB (WAL {wal_mb:,.0f} MB); "
        f"full-text index {sum(fts.values()) / 1e6:,.0f} MB ("
        + ", ".join(f"{name} {used / 1e6:,.1f}" for name, used in sorted(fts.items()) if used >= 50_000)
        + ")",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--again", action="store_true", help="also time a second import of the same file")
    parser.add_argument(
        "--without-duplicates",
        action="store_true",
        help="turn the possible-duplicate step off, to measure what it costs (the issue allows it 20 %%)",
    )
    args = parser.parse_args()
    Loader.find_duplicates = not args.without_duplicates
    scratch = Path(tempfile.mkdtemp(prefix="ops-bench-"))
    os.environ["OPS_INSTANCE_PATH"] = str(scratch / "instance")  # never the checkout's instance/
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch / 'bench.sqlite3'}"
    print(f"database: {url.split('@')[-1]}; {os.cpu_count()} CPUs; rows: {args.rows:,}", flush=True)
    try:
        _generate(scratch / "seizures.csv", args.rows, args.seed)
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(scratch / "instance"), "SECRET_KEY": "bench"})
        with app.app_context():
            with Session(engine(), expire_on_commit=False) as db:
                if db.execute(select(func.count()).select_from(Operation)).scalar_one():
                    print("the database holds operations already: give an empty one", file=sys.stderr)
                    return 2
                owner = _organisations(db)
            status = _measure(scratch / "seizures.csv", owner, args.again)
            engine().dispose()
        _report_size(url)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    return status


if __name__ == "__main__":
    sys.exit(main())
