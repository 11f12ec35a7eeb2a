#!/usr/bin/env python3
"""The conflict check of planned operations against many active plans (README, "Planned operations").

    python -m bench.plans_bench                      # SQLite: bench-data/plans-bench-<plans>.sqlite3
    python -m bench.plans_bench --database both      # and PostgreSQL: BENCH_DATABASE_URL + _plans_<plans>
    python -m bench.plans_bench --database-url postgresql+psycopg://postgres@127.0.0.1:5432/ops_plans_bench

`make bench` runs it on both databases after the pages (`make bench-plans`: SQLite alone).

Loads `--plans` active plans (default 10,000) of several agencies and teams, spread over the country,
with windows over the next 60 days, radii of 0.5–20 km and one to three targets each from a pool
(so that some are shared), then times `conflicts.find` (the SQL prefilter on the window, the bounding
box and the target index, and the haversine on the candidates) for `--probes` new plans, and prints
p50/p95 with the machine's load average. Nothing is written by the probes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench import data
from ops import clock
from ops.app import create_app
from ops.db import session
from ops.migrate import upgrade
from ops.models import Agency, Team
from ops.models_plans import Plan, PlanTarget
from ops.plans import conflicts

AGENCIES, TEAMS_PER_AGENCY = 4, 5
KINDS = ("controlled_delivery", "joint_raid", "surveillance", "mobile_checkpoint", "other")


def _organisations(db) -> list[tuple[int, int]]:
    pairs = []
    for a in range(AGENCIES):
        agency = db.execute(select(Agency).where(Agency.code == f"BA{a}")).scalar()
        if agency is None:
            agency = Agency(code=f"BA{a}", name=f"Bench agency {a}")
            db.add(agency)
            db.flush()
        for t in range(TEAMS_PER_AGENCY):
            team = db.execute(select(Team).where(Team.code == f"BT{a}-{t}")).scalar()
            if team is None:
                team = Team(code=f"BT{a}-{t}", name=f"Bench team {a}-{t}")
                db.add(team)
                db.flush()
            pairs.append((agency.id, team.id))
    db.commit()
    return pairs


def _random_plan(rng: random.Random, owners, now) -> dict:
    agency_id, team_id = rng.choice(owners)
    start = now + timedelta(hours=rng.uniform(1, 60 * 24))
    place = rng.random() < 0.8
    return {
        "owner_agency_id": agency_id,
        "owner_team_id": team_id,
        "kind": rng.choice(KINDS),
        "starts_at": start,
        "ends_at": start + timedelta(hours=rng.uniform(2, 72)),
        "lat": rng.uniform(37.2, 45.5) if place else None,
        "lon": rng.uniform(56.0, 73.0) if place else None,
        "radius_km": rng.uniform(0.5, 20) if place else None,
        "duty_contact": "bench",
        "status": "active",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _target(rng: random.Random) -> tuple[str, str]:
    return "plate", f"01A{rng.randrange(30_000):05d}"  # a pool of 30,000 plates: a few shared


def load(db, count: int, rng: random.Random) -> None:
    have = db.execute(select(func.count()).select_from(Plan).where(Plan.status == "active")).scalar_one()
    owners, now = _organisations(db), clock.now()
    for start in range(have, count, 1000):
        rows = [_random_plan(rng, owners, now) for _ in range(min(1000, count - start))]
        ids = [db.execute(insert(Plan).values(**row).returning(Plan.id)).scalar_one() for row in rows]
        targets = []
        for plan_id in ids:
            for kind, value in {_target(rng) for _ in range(rng.randint(1, 3))}:
                targets.append({"plan_id": plan_id, "kind": kind, "value": value, "typed": value})
        db.execute(insert(PlanTarget), targets)
        db.commit()


def probe(db, rng: random.Random, owners, samples: int) -> tuple[list[float], int]:
    times, found = [], 0
    now = clock.now()
    for _ in range(samples):
        plan = Plan(id=0, **_random_plan(rng, owners, now))
        keys = [_target(rng) for _ in range(rng.randint(1, 3))]
        began = time.perf_counter()
        found += len(conflicts.find(db, plan, keys))
        times.append((time.perf_counter() - began) * 1000)
    db.rollback()
    return times, found


def _urls(args) -> list[str]:
    if args.database_url:
        return [args.database_url]
    urls = []
    if args.database in ("sqlite", "both"):
        Path("bench-data").mkdir(exist_ok=True)
        urls.append(f"sqlite:///{Path('bench-data').resolve()}/plans-bench-{args.plans}.sqlite3")
    if args.database in ("postgresql", "both"):
        url = data.postgres_url(args.plans, "plans")
        data.ensure_postgres_database(url)
        urls.append(url)
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--database-url", default="", help="one database of your own instead")
    args = parser.parse_args()
    for url in _urls(args):
        measure(url, args.plans, args.probes)


def measure(url: str, plans: int, probes: int) -> None:
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-only", "TESTING": True})
    rng = random.Random(17)
    with app.test_request_context():
        db = session()
        load(db, plans, rng)
        owners = _organisations(db)
        probe(db, rng, owners, 20)  # warm the caches
        times, found = probe(db, rng, owners, probes)
    q = statistics.quantiles(times, n=100)
    load1, load5, load15 = os.getloadavg()
    print(
        f"{url.split(':')[0].split('+')[0]}, {plans:,} active plans, {probes} probes: conflict check "
        f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, max {max(times):.1f} ms; {found} conflicts found; "
        f"{os.cpu_count()} CPUs, load average {load1:.1f} {load5:.1f} {load15:.1f}"
    )


if __name__ == "__main__":
    main()
