"""CPU time of server processes, read from /proc through psutil: a process and its children (gunicorn's workers),
or a PostgreSQL database's backends."""

from __future__ import annotations

import psutil


def _seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def tree_seconds(pid: int) -> float:
    """User + system seconds of the process and its living children (workers that exited are not counted)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            total += _seconds(process)
        except psutil.NoSuchProcess:
            continue
    return total


def postgres_backends_seconds(database: str) -> float:
    """User + system seconds of the PostgreSQL backends serving `database` ("postgres: user db host(port) ...")."""
    total = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            line = " ".join(process.info["cmdline"] or [])
            if line.startswith("postgres: ") and f" {database} " in line:
                total += _seconds(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total
