"""Asking the questions: one client in rounds that alternate ops and Datasette, then K clients for a window.

Alternating in the same rounds means a burst of other work on a shared machine slows both sides alike, so
their ratio holds even when the absolute figures move. CPU is read from /proc before and after: the server
processes' own work, which other programs on the machine do not inflate.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from bench import client, stats

Cpu = Callable[[], float]  # the server side's CPU seconds so far


@dataclass
class Side:
    """One system under test: where it answers, how to get a client of it, how to read its CPU."""

    name: str
    base: str
    new_client: Callable[[], requests.Session]
    cpu: Cpu
    db_cpu: Cpu = lambda: 0.0  # noqa: E731 - the database's backends, where they are processes of their own
    http: requests.Session = field(init=False)

    def __post_init__(self):
        self.http = self.new_client()


def load_average() -> float:
    return os.getloadavg()[0]


@dataclass
class Timings:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    db_cpu_ms: list[float] = field(default_factory=list)

    def summary(self) -> tuple[stats.Summary, float]:
        """The page's summary and the database's mean CPU per request."""
        db = sum(self.db_cpu_ms) / len(self.db_cpu_ms) if self.db_cpu_ms else 0.0
        return stats.Summary.of(self.wall_ms, self.cpu_ms, load_average()), db


def _timed(side: Side, path: str, timings: Timings) -> None:
    cpu, db_cpu, started = side.cpu(), side.db_cpu(), time.perf_counter()
    client.fetch(side.http, side.base + path)
    timings.wall_ms.append((time.perf_counter() - started) * 1000)
    timings.cpu_ms.append((side.cpu() - cpu) * 1000)
    timings.db_cpu_ms.append((side.db_cpu() - db_cpu) * 1000)


def one_client(sides: list[tuple[Side, tuple[str, ...]]], requests_: int, budget_s: float) -> list[Timings]:
    """`requests_` rounds (fewer if the budget runs out), each asking every side once, in turn."""
    found = [Timings() for _ in sides]
    for side, paths in sides:  # warm-up: caches, connections, the first compilation of templates
        for path in paths[:3]:
            client.fetch(side.http, side.base + path)
    deadline = time.monotonic() + budget_s
    for n in range(requests_):
        for (side, paths), timings in zip(sides, found, strict=True):
            if paths:  # a side without the page (Datasette has no team axis) is left out
                _timed(side, paths[n % len(paths)], timings)
        if time.monotonic() > deadline and n >= 4:
            break
    return found


def throughput(side: Side, paths: tuple[str, ...], clients: int, seconds: float) -> stats.Throughput:
    """`clients` clients asking as fast as answers come, for `seconds`; answers completed in the window."""
    if not paths:
        return stats.Throughput(clients, 0, 0.0, 0.0, load_average())
    sessions = [side.new_client() for _ in range(clients)]
    done = [0] * clients
    stop = threading.Event()

    def work(index: int) -> None:
        n = index
        while not stop.is_set():
            client.fetch(sessions[index], side.base + paths[n % len(paths)])
            if not stop.is_set():
                done[index] += 1
            n += clients

    cpu = side.cpu() + side.db_cpu()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(work, i) for i in range(clients)]
        time.sleep(seconds)
        stop.set()
        elapsed = time.perf_counter() - started
        used = side.cpu() + side.db_cpu() - cpu
        for future in futures:
            future.result()
    return stats.Throughput(clients, sum(done), elapsed, used, load_average())
