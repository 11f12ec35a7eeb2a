"""Figures from timings: percentiles, a page's summary, throughput and ratios (no I/O here, so it is tested)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """One page's figures over its requests: wall times, the server's CPU per request, the load meanwhile."""

    requests: int
    p50_ms: float
    p95_ms: float
    cpu_ms: float  # the server processes' CPU time per request (mean: /proc counts in 10 ms ticks)
    load: float  # the 1-minute load average when the figures were taken

    @classmethod
    def of(cls, wall_ms: list[float], cpu_ms: list[float], load: float) -> Summary:
        if not wall_ms:  # a page the other side does not have
            return cls(0, math.nan, math.nan, math.nan, load)
        return cls(len(wall_ms), statistics.median(wall_ms), percentile(wall_ms, 0.95), statistics.fmean(cpu_ms), load)


@dataclass(frozen=True)
class Throughput:
    clients: int
    completed: int
    seconds: float
    cpu_seconds: float  # the server processes' CPU time over the window
    load: float

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else math.nan

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_seconds / self.completed if self.completed else math.nan


def ratio(ours: float, theirs: float) -> float:
    """ours / theirs; NaN when there is nothing to compare with."""
    if not theirs or math.isnan(theirs) or math.isnan(ours):
        return math.nan
    return ours / theirs


def shown(value: float, digits: int = 0) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:,.{digits}f}"
