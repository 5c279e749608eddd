"""The load run: make and start the site, drive the citizens, stop the site, check the database."""

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
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .checks import Check, run_checks
from .citizen import Citizen, addresses
from .site import Site, SiteError, Target, ensure_database, free_port, redis_answers
from .stats import Progress, Stats, summary


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
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if args.ramp is None:
        args.ramp = args.duration / 2
    return args


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
        Citizen(n, client, target.start_path, stats, shared_addresses, random.Random(rng.random()))
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
    args = parse_args(argv)
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
        return 2
    say(
        f"gunicorn {site.process.pid} serving {site.base}{target.start_path} with workers "
        f"{', '.join(map(str, site.workers()))}; {args.citizens} citizens for {args.duration:.0f} s, arriving over "
        f"the first {args.ramp:.0f} s"
        f"{', one worker killed halfway' if args.kill_worker else ''}; seed {args.seed}; load average {load()}"
    )
    try:
        stats, kill = asyncio.run(drive(site, target, args))
        workers_after = site.workers()
    finally:
        stopped = site.stop()
    say(f"gunicorn stopped (exit {stopped}); load average {load()}\n")
    say(summary(stats))
    checks = [server_error_check(stats), *run_checks(database_url, target, stats.accepted)]
    if args.kill_worker:
        checks += kill_checks(kill, workers_after, args.workers, len(stats.accepted))
    say("\n" + report(checks))
    failed = [c for c in checks if not c.passed]
    if failed:
        say(f"\n{len(failed)} check(s) failed. Server log: {site.log}\n{site.log_tail(1500)}")
        return 1
    if args.instance_path is None:
        shutil.rmtree(instance, ignore_errors=True)
    say("\nAll checks passed.")
    return 0


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
