"""`make bench`: every figure side by side with the bare stack, in one run on this machine, as one table.

    .venv/bin/python -m benchmarks [--quick] [--only web|readiness|plugins|mail]

- web: the real app under `coproduce serve` (all bundled plugins, demo data, SQLite, 2 workers)
  against a bare Flask app under the same gunicorn settings (benchmarks/web.py): start-up,
  throughput of the public assessment page and of answer submissions, and per-worker memory;
- readiness: the dashboard at 10^4, 10^5 and 10^6 responses against the bare GROUP BY, and the
  streaming CSV export against a bare cursor-to-CSV loop (benchmarks/readiness.py);
- browser: the readiness check in Chromium on a slowed network, first visit and repeat (benchmarks/browser.py);
- plugins: every other bundled plugin's benchmark, benchmarks/<plugin>.py (not with --quick);
- mail: 10,000 queued emails drained by a real worker to a local SMTP server (benchmarks/mail_queue.py);
- load: the most citizens (waiting 5 to 20 s before each form) that 2 workers serve with p95 under
  500 ms, on SQLite and on PostgreSQL (benchmarks/load, as `make load`).
--quick uses small sizes and short runs (about a minute) to check that everything works; its
figures are not the ones to quote. Exits 1 if a figure misses its target.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OWN = {"consultation_vs_coproduction"}  # driven by benchmarks/readiness.py, with the bare figures


def _log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> str:
    memory = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return (
        f"{os.cpu_count()} cores, {memory / 1024:.1f} GB memory, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load}"
    )


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        self.missed: list[str] = []

    def add(self, figure: str, ours: str, bare: str, ratio: float | None, target: str = "", met: bool | None = None):
        verdict = "" if met is None else ("yes" if met else "NO")
        if met is False:
            self.missed.append(figure)
        self.rows.append((figure, ours, bare, "" if ratio is None else f"{ratio:.2f}", target, verdict))

    def print(self) -> None:
        header = ("Figure", "Coproduce", "Bare stack", "Ratio", "Target", "Met")
        widths = [max(len(row[i]) for row in [header, *self.rows]) for i in range(len(header))]
        line = lambda row: "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |"  # noqa: E731
        print(line(header))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print(line(row))


def web_rows(table: Table, quick: bool) -> None:
    from benchmarks import web

    found = web.run(quick, log=_log)
    for name, (ours, bare) in found.rates.items():
        errors = f", {ours.errors} errors" if ours.errors else ""
        table.add(
            f"{name} (requests/s, 2 workers)",
            f"{ours.rate:.0f}{errors}",
            f"{bare.rate:.0f}",
            ours.rate / bare.rate,
            ">= 0.5",
            ours.rate / bare.rate >= 0.5 and not ours.errors,
        )
    table.add(
        "create_app() in a new process (s)",
        f"{found.create_app_s:.2f}",
        f"{found.create_bare_s:.2f}",
        found.create_app_s / found.create_bare_s,
    )
    table.add(
        "serve until it answers (s)",
        f"{found.serve_s:.2f}",
        f"{found.serve_bare_s:.2f}",
        found.serve_s / found.serve_bare_s,
    )
    ours_rss, bare_rss = max(found.rss_app), max(found.rss_bare)
    table.add("resident memory per worker (MB)", f"{ours_rss:.0f}", f"{bare_rss:.0f}", ours_rss / bare_rss)


def readiness_rows(table: Table, quick: bool) -> None:
    from benchmarks import readiness

    sizes = [5_000, 20_000, 100_000] if quick else [10_000, 100_000, 1_000_000]  # quick: above one batch (2,000)
    found = readiness.run(sizes, runs=3 if quick else 7, export_rounds=1 if quick else 2, log=_log)
    for size in found:
        last = size is found[-1]
        table.add(
            f"readiness dashboard, {size.responses:,} responses (ms)",
            f"{size.dashboard_s * 1000:.1f}",
            f"{size.group_by_s * 1000:.1f}",
            size.dashboard_s / size.group_by_s,
            "< 300 ms" if last else "",
            size.dashboard_s < 0.3 if last else None,
        )
    small, large = found[0], found[-1]
    growth, bare_growth = large.dashboard_s / small.dashboard_s, large.group_by_s / small.group_by_s
    times = large.responses // small.responses
    table.add(
        f"dashboard growth, x{times} responses (x)",
        f"{growth:.2f}",
        f"{bare_growth:.2f}",
        growth / bare_growth,
        f"< x{times}",
        growth < times,
    )
    for size in found:
        ours, bare = size.export["app"], size.export["bare"]
        table.add(
            f"CSV export, {size.responses:,} responses (s wall)",
            f"{ours['wall']:.2f}",
            f"{bare['wall']:.2f}",
            ours["wall"] / bare["wall"],
            *(("<= 2", ours["wall"] <= 2 * bare["wall"]) if size is large else ()),
        )
        table.add(
            f"CSV export, {size.responses:,} responses (s CPU)",
            f"{ours['cpu']:.2f}",
            f"{bare['cpu']:.2f}",
            ours["cpu"] / bare["cpu"],
        )
    for size in found:
        ours, bare = size.export["app"], size.export["bare"]
        table.add(
            f"CSV export, {size.responses:,}: peak memory (MB; before: {ours['rss_before_mb']:.0f})",
            f"{ours['peak_mb']:.0f}",
            f"{bare['peak_mb']:.0f}",
            ours["peak_mb"] / bare["peak_mb"],
        )
    flat = large.export["app"]["peak_mb"] / small.export["app"]["peak_mb"]
    bare_flat = large.export["bare"]["peak_mb"] / small.export["bare"]["peak_mb"]
    table.add(
        f"CSV export peak memory growth, x{times} responses (x)",
        f"{flat:.2f}",
        f"{bare_flat:.2f}",
        flat / bare_flat,
        "flat (<= 1.1)",
        flat <= 1.1,
    )


def browser_rows(table: Table) -> None:
    from benchmarks import browser

    visits = browser.run(log=_log)
    browser.print_pages(visits)
    found = browser.summary(visits)
    table.add(
        "readiness check on a slow phone line: first page (s)",
        f"{found['first_page_s']:.2f} ({found['first_page_requests']} requests, {found['first_page_kb']:.0f} KB)",
        "",
        None,
        "< 2 s",
        found["first_page_s"] < 2,
    )
    table.add(
        f"  every later page of {found['pages']}, first visit and repeat: slowest (s)",
        f"{found['later_max_s']:.2f}",
        "",
        None,
        "< 1 s",
        found["later_max_s"] < 1,
    )
    table.add(
        "  every later page: most requests",
        f"{found['later_max_requests']}",
        "",
        None,
        "1",
        found["later_max_requests"] <= 1,
    )


LOAD_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/coproduce_load"


def load_rows(table: Table, quick: bool) -> None:
    from benchmarks.load.__main__ import parse_args, run

    steps = "20,50" if quick else "100,250,500,1000,2000"
    timing = ["--duration", "40", "--ramp", "10", "--think", "1-4"] if quick else ["--think", "5-20"]
    timing += [] if quick else ["--duration", "150", "--ramp", "30"]
    for name, extra in (("SQLite", []), ("PostgreSQL", ["--database-url", LOAD_PG])):
        print(f"== benchmarks.load on {name} ==", flush=True)
        code, found = run(parse_args(["--steps", steps, *timing, *extra]))
        best = max((step.citizens for step in found if step.served), default=0)
        tried = ", ".join(f"{step.citizens}: {step.p95_ms or 0:.0f} ms" for step in found)
        table.add(
            f"citizens served with p95 < 500 ms, {name} (2 workers)",
            f"{best} (p95 {tried})",
            "",
            None,
            "2,000" if name == "PostgreSQL" else "",
            (best >= 2000 and code == 0) if name == "PostgreSQL" and not quick else None,
        )
        last = found[-1] if found else None
        if last and last.requests and last.cpu and last.cpu.server is not None:
            # The last step is the busiest: what a request costs the server there, and what else took the cores.
            others = f"citizens {last.cpu.citizens:.2f} cores" + (
                f", database {last.cpu.database:.2f}" if last.cpu.database is not None else ""
            )
            table.add(
                f"server CPU per request at {last.citizens} citizens, {name} (ms; {others})",
                f"{last.cpu.server_ms_per(last.requests):.1f}",
                "",
                None,
                "",
                None,
            )


def plugin_benchmarks(quick: bool) -> list[str]:
    failed = []
    for path in sorted(REPO.glob("plugins/*/__init__.py")):
        if path.parent.name in OWN or not (REPO / "benchmarks" / f"{path.parent.name}.py").exists():
            continue
        name = f"benchmarks.{path.parent.name}"
        if quick:
            print(f"== {name}: not run with --quick ==")
            continue
        print(f"== {name} ==", flush=True)
        if importlib.import_module(name).main([]):
            failed.append(name)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs (about a minute)")
    parser.add_argument(
        "--only", choices=("web", "readiness", "browser", "plugins", "mail", "load"), help="run one part"
    )
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}", flush=True)
    table = Table()
    if args.only in (None, "web"):
        web_rows(table, args.quick)
    if args.only in (None, "readiness"):
        readiness_rows(table, args.quick)
    if args.only in (None, "browser"):
        browser_rows(table)
    failed = plugin_benchmarks(args.quick) if args.only in (None, "plugins") else []
    if args.only in (None, "mail"):
        from benchmarks import mail_queue

        print("== benchmarks.mail_queue ==", flush=True)
        if mail_queue.main(["--emails", "500"] if args.quick else []):
            failed.append("benchmarks.mail_queue")
    if args.only in (None, "load"):
        load_rows(table, args.quick)
    if table.rows:
        print(
            f"\nMachine at the end: {machine()}"
            + ("  (--quick: small sizes, not figures to quote)" if args.quick else "")
        )
        table.print()
    missed = table.missed + failed
    if missed:
        print(f"Over target: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
