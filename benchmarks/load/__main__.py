"""The load run: make and start the site, drive the citizens, stop the site, check the database.

With --steps (and think time, --think 5-20), one site serves runs of more and more citizens, one
after another, and the run reports the most citizens served with p95 under --p95-ms: the capacity
of that many workers for people who read and answer as people do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import ssl
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .checks import Check, run_checks
from .citizen import Citizen, addresses
from .cpu import Meter, Use
from .site import Site, SiteError, Target, ensure_database, free_port, redis_answers
from .stats import Progress, Stats, percentiles, summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--citizens", type=int, default=200, help="people answering at once (default 200)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument(
        "--database-url", help="a postgresql:// URL (created when missing); default: SQLite in the instance folder"
    )
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker halfway through")
    parser.add_argument(
        "--ramp",
        type=float,
        default=None,
        help="seconds over which the citizens arrive, evenly (default: half the duration); 0 for all at once",
    )
    parser.add_argument(
        "--grace", type=float, default=60, help="seconds after the load for the goes in progress to finish (default 60)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="Redis for rate-limit counters shared by the workers, used when it answers; "
        "'' to keep them in each worker (default redis://127.0.0.1:6379/9)",
    )
    parser.add_argument(
        "--instance-path",
        type=Path,
        help="instance folder (default: a new temporary one, removed after a run whose checks pass)",
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for one response (default 60)")
    parser.add_argument("--progress", type=float, default=5, help="seconds between progress lines (default 5)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the citizens' answers")
    parser.add_argument(
        "--think",
        type=think_range,
        default=(0.0, 0.0),
        metavar="MIN-MAX",
        help="seconds each citizen waits before each form it sends and after the result, at random in the range "
        "(default 0-0: no waiting)",
    )
    parser.add_argument(
        "--steps",
        type=citizen_steps,
        default=None,
        metavar="N,N,...",
        help="capacity run: these numbers of citizens one after another on the same site, each for --duration "
        "seconds, stopping at the first that misses --p95-ms or meets an error",
    )
    parser.add_argument("--p95-ms", type=float, default=500, help="the capacity run's latency bound (default 500)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if args.ramp is None:
        args.ramp = args.duration / 2
    return args


def think_range(text: str) -> tuple[float, float]:
    low, sep, high = text.partition("-")
    try:
        pair = (float(low), float(high if sep else low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a range of seconds like 5-20: {text!r}") from None
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError(f"not a range of seconds like 5-20: {text!r}")
    return pair


def citizen_steps(text: str) -> list[int]:
    try:
        steps = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers like 100,500,1000: {text!r}") from None
    if not steps or min(steps) < 1:
        raise argparse.ArgumentTypeError(f"not a list of numbers like 100,500,1000: {text!r}")
    return sorted(set(steps))


def say(text: str) -> None:
    print(text, flush=True)


async def drive(site: Site, target: Target, args: argparse.Namespace) -> tuple[Stats, dict]:
    stats = Stats(duration=args.duration)
    rng = random.Random(args.seed)
    tls = ssl.create_default_context()  # one, shared: http only, but each client would build its own
    clients = [
        httpx.AsyncClient(base_url=site.base, timeout=args.timeout, follow_redirects=False, verify=tls)
        for _ in range(args.citizens)
    ]
    shared_addresses = addresses(args.seed)
    citizens = [
        Citizen(n, client, target.start_path, stats, shared_addresses, random.Random(rng.random()), args.think)
        for n, client in enumerate(clients)
    ]
    tasks = [
        asyncio.create_task(citizen.run(stats.deadline, arrive_after=args.ramp * n / len(citizens)))
        for n, citizen in enumerate(citizens)
    ]
    kill = {"at": stats.started + args.duration / 2, "pid": None, "accepted_before": None}
    progress = Progress(stats)

    def workers() -> str:
        return f", workers {','.join(map(str, site.workers()))}"

    try:
        while (now := time.monotonic()) < stats.deadline:
            next_line = min(now + args.progress, stats.deadline)
            if args.kill_worker and kill["pid"] is None and kill["at"] < next_line:
                await asyncio.sleep(max(kill["at"] - now, 0))
                kill["pid"], kill["accepted_before"] = site.kill_worker(), len(stats.accepted)
                say(f"[{stats.elapsed():5.1f}s] SIGKILL sent to gunicorn worker {kill['pid']}")
                continue
            await asyncio.sleep(next_line - now)
            say(progress.line(workers()))
        pending = {t for t in tasks if not t.done()}
        say(
            f"[{stats.elapsed():5.1f}s] no new go from now; up to {args.grace:.0f} s for the {len(pending)} "
            "in progress to finish"
        )
        end = stats.deadline + args.grace
        while pending and (now := time.monotonic()) < end:
            _done, pending = await asyncio.wait(pending, timeout=min(args.progress, end - now))
            say(progress.line(f", {len(pending)} goes in progress{workers()}"))
    finally:
        stats.finished_at = time.monotonic()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(*(client.aclose() for client in clients))
    return stats, kill


def kill_checks(kill: dict, workers_after: list[int], wanted: int, accepted: int) -> list[Check]:
    pid = kill["pid"]
    replaced = pid is not None and pid not in workers_after and len(workers_after) == wanted
    return [
        Check(
            "killed worker replaced",
            replaced,
            f"worker {pid} killed; workers at the end: {', '.join(map(str, workers_after)) or 'none'}",
        ),
        Check(
            "submissions accepted after the kill",
            pid is not None and accepted > kill["accepted_before"],
            f"{accepted - (kill['accepted_before'] or 0)} accepted after the kill",
        ),
    ]


def server_error_check(stats: Stats) -> Check:
    found = {kind: n for kind, n in stats.errors.items() if kind.split(": ", 1)[1].startswith("HTTP 5")}
    return Check(
        "no server error",
        not found,
        "no HTTP 5xx answer" if not found else "; ".join(f"{n} x {kind}" for kind, n in sorted(found.items())),
    )


def report(checks: list[Check]) -> str:
    width = max(len(c.name) for c in checks)
    return "\n".join(f"{'PASS' if c.passed else 'FAIL'}  {c.name.ljust(width)}  {c.detail}" for c in checks)


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))[0]


def run(args: argparse.Namespace) -> tuple[int, list[Step]]:
    """The run the arguments ask for: its exit code (0 when every check passed) and, for a capacity run,
    its steps (make bench puts the most citizens served in its table)."""
    instance = args.instance_path or Path(tempfile.mkdtemp(prefix="coproduce-load-"))
    instance.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{instance / 'coproduce.db'}"
    redis_url = args.redis_url if args.redis_url and redis_answers(args.redis_url) else None
    shown_url = make_url(database_url).render_as_string(hide_password=True)
    say(
        f"Instance {instance}; database {shown_url}; rate-limit counters in {redis_url or 'each worker (no Redis)'}; "
        "public form limits as in production (30 POSTs a minute per address and page), one address per go"
    )
    site = Site(instance, database_url, redis_url, args.workers, free_port())
    try:
        if ensure_database(database_url):
            say("Created the PostgreSQL database.")
        say("Making the demo installation (coproduce init --demo)...")
        site.init_demo()
        target = site.target()
        site.start()
    except (SiteError, sa.exc.SQLAlchemyError) as error:
        say(f"The site could not start: {error}")
        site.stop()
        return 2, []
    say(
        f"gunicorn {site.process.pid} serving {site.base}{target.start_path} with workers "
        f"{', '.join(map(str, site.workers()))}; "
        + (f"steps of {', '.join(map(str, args.steps))} citizens" if args.steps else f"{args.citizens} citizens")
        + f" for {args.duration:.0f} s{' each' if args.steps else ''}, arriving over the first {args.ramp:.0f} s"
        f"{', one worker killed halfway' if args.kill_worker else ''}; seed {args.seed}; load average {load()}"
    )
    try:
        steps: list[Step] = []
        if args.steps:
            stats, steps, capacity_checks = capacity(site, target, args)
            kill: dict = {}
        else:
            stats, kill = asyncio.run(drive(site, target, args))
            capacity_checks = []
        workers_after = site.workers()
    finally:
        stopped = site.stop()
    say(f"gunicorn stopped (exit {stopped}); load average {load()}\n")
    if not args.steps:
        say(summary(stats))
    checks = [*capacity_checks, server_error_check(stats), *run_checks(database_url, target, stats.accepted)]
    if args.kill_worker:
        checks += kill_checks(kill, workers_after, args.workers, len(stats.accepted))
    say("\n" + report(checks))
    failed = [c for c in checks if not c.passed]
    if failed:
        say(f"\n{len(failed)} check(s) failed. Server log: {site.log}\n{site.log_tail(1500)}")
        return 1, steps
    if args.instance_path is None:
        shutil.rmtree(instance, ignore_errors=True)
    say("\nAll checks passed.")
    return 0, steps


@dataclass
class Step:
    citizens: int
    requests: int
    rate: float
    p95_ms: float | None
    errors: int
    served: bool
    cpu: Use | None = None


def capacity(site: Site, target: Target, args: argparse.Namespace) -> tuple[Stats, list[Step], list[Check]]:
    """Each step's citizens on the same site, one step after another; the table of steps and the
    largest served. Every step's submissions are checked against the database at the end."""
    steps: list[Step] = []
    every = Stats(duration=0)
    for number, citizens in enumerate(args.steps):
        step_args = argparse.Namespace(**{**vars(args), "citizens": citizens, "seed": args.seed + number, "grace": 0})
        say(f"\n== {citizens} citizens for {args.duration:.0f} s (think {args.think[0]:g}-{args.think[1]:g} s) ==")
        meter = Meter(lambda: [site.process.pid, *site.workers()], on_postgresql=site.on_postgresql)
        stats, _kill = asyncio.run(drive(site, target, step_args))
        used = meter.read()
        every.accepted += stats.accepted
        every.errors.update(stats.errors)
        samples = [s for values in stats.latencies.values() for s in values]
        cuts = percentiles(samples)
        p95 = cuts[1] * 1000 if cuts else None
        served = p95 is not None and p95 < args.p95_ms and not stats.errors
        steps.append(Step(citizens, len(samples), len(samples) / args.duration, p95, stats.error_count, served, used))
        say(summary(stats))
        if not served:
            break
    say("\n" + capacity_table(steps, args))
    best = max((step.citizens for step in steps if step.served), default=0)
    shown = f"{best} citizens" if best else "none of the steps"
    return (
        every,
        steps,
        [Check(f"p95 under {args.p95_ms:.0f} ms", best > 0, f"most citizens served: {shown} ({args.workers} workers)")],
    )


def capacity_table(steps: list[Step], args: argparse.Namespace) -> str:
    """The steps, and where the CPU went in each (cores kept busy: the server, the citizens' own process, and
    PostgreSQL), with the server's CPU per request: what sizing a server needs."""
    rows = [
        ("citizens", "requests", "per second", "p95 ms", "errors", f"p95 < {args.p95_ms:.0f} ms")
        + ("server cores", "citizens cores", "database cores", "server CPU ms/request")
    ]
    for step in steps:
        use = step.cpu or Use(0, None, None, None)
        rows.append(
            (
                str(step.citizens),
                str(step.requests),
                f"{step.rate:.1f}",
                _figure(step.p95_ms, 0),
                str(step.errors),
                "yes" if step.served else "no",
                _figure(use.server, 2),
                _figure(use.citizens, 2),
                _figure(use.database, 2),
                _figure(use.server_ms_per(step.requests), 1),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows)


def _figure(value: float | None, places: int) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
