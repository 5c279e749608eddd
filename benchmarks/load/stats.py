"""What the citizens saw: each request's latency by step, errors by kind, accepted submissions.

Two phases: the load (from the start to the deadline: new goes start all the time) and the
finish (after it: no new go starts, the goes in progress may finish, as k6's gracefulStop).
Requests per second and the latency table are for the load phase; the finish is shown apart.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

STEPS = ("start page", "start", "question page", "answers", "check page", "submit", "result page")


def percentiles(samples: list[float]) -> tuple[float, float, float] | None:
    """p50, p95 and p99 of `samples`, or None when there are fewer than two."""
    if len(samples) < 2:
        return None
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


@dataclass
class Stats:
    duration: float  # seconds of load
    started: float = field(default_factory=time.monotonic)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # load phase
    finish: list[float] = field(default_factory=list)  # requests answered after the deadline
    finished_at: float = 0.0
    errors: Counter = field(default_factory=Counter)  # "step: kind" -> count
    accepted: list[str] = field(default_factory=list)  # tokens of submissions the server accepted
    accepted_in_load: int = 0
    journeys_started: int = 0
    journeys_failed: int = 0
    submit_retries: int = 0

    @property
    def deadline(self) -> float:
        return self.started + self.duration

    def request(self, step: str, seconds: float) -> None:
        if time.monotonic() <= self.deadline:
            self.latencies[step].append(seconds)
        else:
            self.finish.append(seconds)

    def accept(self, token: str) -> None:
        self.accepted.append(token)
        if time.monotonic() <= self.deadline:
            self.accepted_in_load += 1

    def error(self, step: str, kind: str) -> None:
        self.errors[f"{step}: {kind}"] += 1

    @property
    def journeys_cut_off(self) -> int:
        """Goes neither submitted nor given up: still in progress when the run ended."""
        return self.journeys_started - len(self.accepted) - self.journeys_failed

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + len(self.finish)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Progress:
    """One line every few seconds: requests per second since the last line, accepted, errors."""

    def __init__(self, stats: Stats):
        self.stats = stats
        self.last_time, self.last_requests = stats.started, 0

    def line(self, note: str = "") -> str:
        now, requests = time.monotonic(), self.stats.requests
        rate = (requests - self.last_requests) / max(now - self.last_time, 1e-9)
        self.last_time, self.last_requests = now, requests
        s = self.stats
        return (
            f"[{now - s.started:5.1f}s] {requests:6d} requests ({rate:6.1f}/s), "
            f"{len(s.accepted):5d} accepted, {s.error_count:4d} errors{note}"
        )


def summary(stats: Stats) -> str:
    """The summary table: each step's count and p50/p95/p99 in milliseconds, then errors by kind."""
    rows = [("step", "requests", "p50 ms", "p95 ms", "p99 ms")]
    everything: list[float] = []
    for step in STEPS:
        samples = stats.latencies.get(step, [])
        everything += samples
        rows.append(_row(step, samples))
    rows.append(_row("all (load phase)", everything))
    rows.append(_row("finish phase", stats.finish))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    ]
    rule = "-" * len(lines[0])
    lines = [lines[0], rule, *lines[1:-2], rule, *lines[-2:]]
    finish = stats.finished_at - stats.deadline
    lines += [
        "",
        f"load phase          {stats.duration:.1f} s: {len(everything) / stats.duration:.1f} requests per second "
        f"(responses received), {stats.accepted_in_load} submissions accepted",
        f"finish phase        {max(finish, 0):.1f} s: no new go; {len(stats.finish)} requests, "
        f"{len(stats.accepted) - stats.accepted_in_load} submissions accepted",
        f"goes                {stats.journeys_started} started, {len(stats.accepted)} submitted and accepted, "
        f"{stats.journeys_failed} given up after an error, {stats.journeys_cut_off} cut off at the end",
        f"submit retried      {stats.submit_retries} (after a lost connection; the retry must not store twice)",
        f"errors              {stats.error_count}" + ("" if stats.errors else " (none)"),
    ]
    lines += [f"  {count:6d}  {kind}" for kind, count in stats.errors.most_common()]
    return "\n".join(lines)


def _row(step: str, samples: list[float]) -> tuple[str, ...]:
    cuts = percentiles(samples)
    shown = [f"{c * 1000:.0f}" for c in cuts] if cuts else ["-"] * 3
    return (step, str(len(samples)), *shown)
