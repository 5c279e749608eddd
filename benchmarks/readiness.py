"""Readiness figures at several sizes: the dashboard against the bare GROUP BY, and the streaming CSV
export against a bare cursor-to-CSV loop (each export in its own process: time and peak memory).

Uses build(), time_dashboard() and time_bare_group_by() from the plugin's benchmark.py.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class SizeFigures:
    responses: int
    dashboard_s: float
    group_by_s: float
    export: dict = field(default_factory=dict)  # "app"/"bare" -> the worker's JSON figures
    seeding_s: float = 0.0


def _export(kind: str, folder: Path, assessment_id: int) -> dict:
    out = folder / f"{kind}.csv"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.export_worker", kind, str(folder), str(assessment_id), str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"the {kind} export failed:\n{done.stderr[-3000:]}")
    out.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes: list[int], runs: int, export_rounds: int, log=print) -> list[SizeFigures]:
    from benchmarks.consultation_vs_coproduction import build, time_bare_group_by, time_dashboard

    logging.getLogger("coproduce").setLevel(logging.WARNING)
    root = Path(tempfile.mkdtemp(prefix="coproduce-readiness-bench-"))
    figures = []
    try:
        for size in sizes:
            log(f"readiness: seeding {size:,} responses...")
            built = build(root / str(size), size)
            logging.getLogger("coproduce").setLevel(logging.WARNING)
            app = built.app()
            logging.getLogger("coproduce").setLevel(logging.WARNING)
            group_by = time_bare_group_by(app, built.assessment_id, runs)
            dashboard = time_dashboard(app, built, size, runs)
            found = SizeFigures(size, dashboard, group_by, seeding_s=built.seconds_seeding + built.seconds_tallies)
            log(f"readiness: {size:,}: dashboard {dashboard * 1000:.1f} ms, bare GROUP BY {group_by * 1000:.1f} ms")
            for _ in range(export_rounds):  # side by side, alternating; keep each one's best
                for kind in ("bare", "app"):
                    measured = _export(kind, built.folder, built.assessment_id)
                    if measured["lines"] != size + 1:
                        raise RuntimeError(f"the {kind} export wrote {measured['lines']} lines for {size} responses")
                    best = found.export.get(kind)
                    if best is None or measured["wall"] < best["wall"]:
                        found.export[kind] = measured
            log(
                f"readiness: {size:,}: export {found.export['app']['wall']:.1f} s "
                f"(peak {found.export['app']['peak_mb']:.0f} MB), bare {found.export['bare']['wall']:.1f} s"
            )
            figures.append(found)
            shutil.rmtree(built.folder, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return figures
