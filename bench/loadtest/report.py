"""The load test's figures from Locust's CSV statistics and the CPU read from /proc."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Action:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    per_second: float


def actions(stats_csv: Path) -> tuple[list[Action], Action]:
    """Each action's line of Locust's `<prefix>_stats.csv`, and the line of all of them together."""
    found, total = [], None
    with open(stats_csv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            action = Action(
                row["Name"],
                int(row["Request Count"]),
                int(row["Failure Count"]),
                float(row["50%"] or 0),
                float(row["95%"] or 0),
                float(row["Requests/s"] or 0),
            )
            if row["Name"] == "Aggregated":
                total = action
            else:
                found.append(action)
    return found, total


def table(found: list[Action], total: Action, app_cpu_s: float, db_cpu_s: float) -> str:
    lines = [
        "| action | requests | errors | p50 ms | p95 ms | req/s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for a in [*found, total]:
        lines.append(
            f"| {a.name} | {a.requests:,} | {a.failures:,} | {a.p50_ms:,.0f} | {a.p95_ms:,.0f} | {a.per_second:.2f} |"
        )
    per_request = (app_cpu_s + db_cpu_s) / total.requests if total.requests else 0.0
    lines.append(
        f"\nCPU: {app_cpu_s:.1f} s in the app servers + {db_cpu_s:.1f} s in PostgreSQL = "
        f"{per_request:.3f} CPU-seconds per request ({app_cpu_s / max(total.requests, 1):.3f} app, "
        f"{db_cpu_s / max(total.requests, 1):.3f} database)"
    )
    return "\n".join(lines)
