"""Benchmark: the readiness dashboard of one assessment at 10^4, 10^5 and 10^6 responses on SQLite.

    .venv/bin/python -m benchmarks.consultation_vs_coproduction [--sizes 10000,100000,1000000]
                                                                        [--runs 7] [--keep DIR] [--export]

For each size it seeds a fresh SQLite database quickly (the responses, with every question
answered, and their per-dimension scores are made by INSERT ... SELECT over a recursive counter
inside SQLite, not row by row from Python), builds the tallies with rebuild_tallies() (GROUP BY
in SQL), then times the whole dashboard request, signed in, through the app, and compares it
with the bare GROUP BY query on the same database:
    SELECT "group", count(*) FROM responses WHERE assessment_id = ? GROUP BY "group"
It prints the timings, their ratio, and the growth of the dashboard's time from the smallest size
to the largest (sub-linear: far less than the growth in responses). Exits 1 if the dashboard's
median at the largest size is over the 300 ms budget. With --export it also streams the CSV export
of every response at each size and prints the time and the process's memory.

`make bench` (benchmarks/) uses build() and time_dashboard() from here, side by side with the
other figures; docs/performance.md has the measured figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BUDGET_MS = 300
SIZES = (10_000, 100_000, 1_000_000)
PASSWORD = "a long benchmark password"  # nosec B105
EMAIL = "bench@example.org"
CONFIG = {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SERVER_NAME": "bench.test"}


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _answers_at(questionnaire, rung: str) -> str:
    """Every question answered with its option at `rung` (or its first option if none is), as JSON."""
    chosen = {}
    for dimension in questionnaire.dimensions:
        for question in dimension.questions:
            matching = [o for o in question.options if o.rung == rung]
            chosen[question.id] = (matching or list(question.options))[0].id
    return json.dumps(chosen)


def seed(db, assessment_id: int, version_id: int, questionnaire, count: int, days: int = 60) -> None:
    """count responses over `days` days: random group, source and scores, consistent rung and score,
    every question answered with the option of the response's rung, and a comment on one in 50
    (one in 1,000 of them starting with '=', which the CSV export must neutralise)."""
    from sqlalchemy import text

    from coproduce_plugins.consultation_vs_coproduction.models import P
    from coproduce_plugins.consultation_vs_coproduction.questionnaire import RUNGS

    answers = {rung: _answers_at(questionnaire, rung) for rung in RUNGS}
    rung_case = (
        "CASE WHEN s < 13 THEN 'informing' WHEN s < 38 THEN 'consulting' WHEN s < 63 THEN 'involving' "
        "WHEN s < 88 THEN 'co_designing' ELSE 'co_producing' END"
    )
    answers_case = (
        "CASE WHEN s < 13 THEN {informing} WHEN s < 38 THEN {consulting} WHEN s < 63 THEN {involving} "
        "WHEN s < 88 THEN {co_designing} ELSE {co_producing} END"
    ).format(**{rung: _sql_text(value) for rung, value in answers.items()})
    db.session.execute(
        text(f"""
        INSERT INTO {P}response (assessment_id, version_id, "group", source, easy_read, locale, created_at, day,
                                 overall_score, overall_rung, answers, comment)
        WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter WHERE x < :count),
        drawn AS (SELECT x, abs(random()) % 101 AS s, abs(random()) % 100 AS g, abs(random()) % {days} AS d
                  FROM counter)
        SELECT :aid, :vid,
               CASE WHEN g < 55 THEN 'resident' WHEN g < 80 THEN 'staff' WHEN g < 95 THEN 'partner'
                    ELSE 'councillor' END,
               CASE WHEN x % 7 = 0 THEN 'paper' ELSE 'web' END, x % 5 = 0, 'en',
               datetime('now', '-' || d || ' days', '-' || (x % 600) || ' minutes') || '.000000',
               date('now', '-' || d || ' days'),
               s, {rung_case}, {answers_case},
               CASE WHEN x % 50000 = 0 THEN '=HYPERLINK("x") number ' || x
                    WHEN x % 50 = 0 THEN 'Comment number ' || x ELSE '' END
        FROM drawn"""),
        {"count": count, "aid": assessment_id, "vid": version_id},
    )  # nosec B608
    dimension_ids = [d.id for d in questionnaire.dimensions]
    values = " UNION ALL ".join(f"SELECT '{d}' AS dimension_id" for d in dimension_ids)
    db.session.execute(
        text(f"""
        INSERT INTO {P}response_score (response_id, dimension_id, score)
        SELECT r.id, dims.dimension_id, min(100, max(0, r.overall_score + abs(random()) % 41 - 20))
        FROM {P}response AS r CROSS JOIN ({values}) AS dims WHERE r.assessment_id = :aid"""),
        {"aid": assessment_id},
    )  # nosec B608
    db.session.commit()


@dataclass
class Built:
    folder: Path
    database: Path
    assessment_id: int
    seconds_seeding: float
    seconds_tallies: float

    @property
    def url(self) -> str:
        return f"sqlite:///{self.database}"

    def app(self):
        from coproduce import create_app

        return create_app({"INSTANCE_PATH": self.folder, "DATABASE_URL": self.url, **CONFIG})

    def dashboard_path(self) -> str:
        return f"/t/bench/readiness/assessments/{self.assessment_id}"

    def export_path(self) -> str:
        return f"/t/bench/readiness/assessments/{self.assessment_id}/responses.csv"


def build(folder: Path, responses: int) -> Built:
    """A fresh SQLite database in `folder`: one team, one member, one open assessment with
    `responses` responses and their tallies."""
    from datetime import timedelta

    from sqlalchemy import text

    from coproduce import create_app
    from coproduce.migrations_config import upgrade_all
    from coproduce.plugins import Membership, Role, Team, User, db, utcnow
    from coproduce_plugins.consultation_vs_coproduction.aggregates import rebuild_tallies
    from coproduce_plugins.consultation_vs_coproduction.campaigns import DEFAULT_GROUPS, uk_day
    from coproduce_plugins.consultation_vs_coproduction.models import Assessment
    from coproduce_plugins.consultation_vs_coproduction.versions import lock, questionnaire_of, standard_version

    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "bench.db"
    for leftover in folder.glob("bench.db*"):
        leftover.unlink()
    app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{database}", **CONFIG})
    with app.app_context():
        upgrade_all()
        user = User(email=EMAIL, display_name="Bench")
        user.set_password(PASSWORD)
        team = Team(slug="bench", name="Bench")
        db.session.add_all([user, team, Membership(team=team, user=user, role=Role.OWNER.value)])
        db.session.commit()
        app.extensions["plugins"].set_enabled(team, "consultation_vs_coproduction", True)
        version = standard_version(team.id)
        lock(version)
        today = uk_day(utcnow())
        assessment = Assessment(
            team_id=team.id,
            version_id=version.id,
            code="benchmark1",
            title="Benchmark",
            initiative="Benchmark",
            opens_on=today - timedelta(days=90),
            closes_on=today + timedelta(days=30),
            groups=[dict(g) for g in DEFAULT_GROUPS],
        )
        db.session.add(assessment)
        db.session.commit()
        started = time.perf_counter()
        seed(db, assessment.id, version.id, questionnaire_of(version), responses)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        rebuild_tallies(assessment.id)
        db.session.commit()
        tallied = time.perf_counter() - started
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        # Fold the write-ahead log (a million fresh rows) into the database, as SQLite's automatic
        # checkpoints do on a running site, so every size starts from the same state.
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        built = Built(folder, database, assessment.id, seeded, tallied)
        db.session.remove()
        db.engine.dispose()
    return built


def signed_in_client(app):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code  # nosec B101
    return client


def time_bare_group_by(app, assessment_id: int, runs: int) -> float:
    """Median seconds of the bare GROUP BY over the responses."""
    from sqlalchemy import text

    from coproduce.plugins import db
    from coproduce_plugins.consultation_vs_coproduction.models import P

    timings = []
    with app.app_context():
        for _ in range(runs):
            started = time.perf_counter()
            db.session.execute(
                text(
                    f'SELECT "group", count(*) FROM {P}response WHERE assessment_id = :aid '  # nosec B608
                    'GROUP BY "group"'
                ),
                {"aid": assessment_id},
            ).all()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def time_dashboard(app, built: Built, responses: int, runs: int) -> float:
    """Median seconds of the signed-in dashboard request (after one request that warms the caches)."""
    client = signed_in_client(app)
    timings = []
    for run in range(runs + 1):
        started = time.perf_counter()
        response = client.get(built.dashboard_path())
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code  # nosec B101
        if run:
            timings.append(elapsed)
    assert str(responses) in response.get_data(as_text=True).replace(",", ""), "the dashboard lost count"  # nosec B101
    return statistics.median(timings)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def export(client, url: str) -> None:
    """Stream the CSV export, reading it chunk by chunk, and print the process's memory as it goes."""
    started, lines, samples = time.perf_counter(), 0, []
    response = client.get(url, buffered=False)
    for chunk in response.response:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        if lines // 100_000 > len(samples):
            samples.append(round(_rss_mb()))
    response.close()
    print(
        f"  CSV export: {lines:,} lines in {time.perf_counter() - started:.1f} s; "
        f"resident memory every 100,000 lines (MB): {samples}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in SIZES),
        help="numbers of responses, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the databases in this folder and keep them")
    parser.add_argument("--export", action="store_true", help="also stream the CSV export and watch memory")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))

    root = args.keep or Path(tempfile.mkdtemp(prefix="readiness-bench-"))
    dashboards = {}
    for size in sizes:
        built = build(root / str(size), size)
        print(
            f"{size:,} responses: seeded with {size * 7:,} scores in {built.seconds_seeding:.1f} s; "
            f"tallies rebuilt in {built.seconds_tallies:.1f} s"
        )
        app = built.app()
        group_by = time_bare_group_by(app, built.assessment_id, args.runs)
        dashboard = dashboards[size] = time_dashboard(app, built, size, args.runs)
        print(
            f"  dashboard request (median of {args.runs}): {_ms(dashboard)} ms; bare GROUP BY: "
            f"{_ms(group_by)} ms; ratio {dashboard / group_by:.2f}"
        )
        if args.export:
            export(signed_in_client(app), built.export_path())
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(
            f"growth from {small:,} to {large:,} responses (x{large / small:g}): dashboard "
            f"x{dashboards[large] / dashboards[small]:.2f}"
        )
    if not args.keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    return 0 if dashboards[sizes[-1]] * 1000 <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
