"""The load run in small: 10 citizens answer the readiness self-assessment for 20 s through gunicorn,
one worker is killed with SIGKILL halfway, and the run's own database checks must pass.

On SQLite in the SQLite pass, on PostgreSQL in the PostgreSQL pass (benchmarks/load; the full fault
run, 200 citizens for 60 s, is `make load LOAD_ARGS="--citizens 200 --kill-worker"`). The second test
shows that those checks do catch a lost submission, a response without its scores, a response stored
twice and tallies that miss one.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.load.checks import run_checks
from benchmarks.load.site import Target
from coproduce.extensions import db
from coproduce.testing.fixtures import postgres_url
from coproduce_plugins.consultation_vs_coproduction.models import Draft, Response, ResponseScore, Tally
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
CHECKS = (
    "no server error",
    "every accepted submission stored",
    "each response stored exactly once",
    "no partial response",
    "no half-submitted draft",
    "no score without its response",
    "tallies agree with the responses",
    "killed worker replaced",
    "submissions accepted after the kill",
)


def test_no_accepted_submission_is_lost_or_half_stored_when_a_worker_is_killed(tmp_path, databases):
    command = [
        sys.executable,
        "-m",
        "benchmarks.load",
        "--citizens",
        "10",
        "--duration",
        "20",
        "--grace",
        "20",
        "--kill-worker",
        "--progress",
        "10",
        "--instance-path",
        str(tmp_path / "instance"),
        "--seed",
        "20270301",
    ]
    database_url = databases.create_empty() if postgres_url() else None
    if database_url:
        command += ["--database-url", database_url]
    try:
        run = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)
    finally:
        if database_url:
            databases.drop(database_url)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-5000:]
    assert re.search(r"SIGKILL sent to gunicorn worker \d+", output), output[-3000:]
    for name in CHECKS:
        assert re.search(rf"^PASS  {name} ", output, re.M), f"{name}:\n{output[-3000:]}"
    assert "FAIL" not in output
    accepted = int(re.search(r"all (\d+) accepted submissions are stored", output).group(1))
    assert accepted >= 10, output[-3000:]
    expected_database = "postgresql" if database_url else "sqlite"
    assert re.search(rf"^Instance .*; database {expected_database}", output, re.M), output[:500]


def submit(client) -> str:
    """One citizen's go through the test client; the private link's token."""
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    base = started.headers["Location"].rsplit("/", 1)[0]
    for number, dimension in enumerate(standard_questionnaire().dimensions, 1):
        client.post(f"{base}/{number}", data={q.id: q.options[number % len(q.options)].id for q in dimension.questions})
    done = client.post(f"{base}/check")
    assert done.headers["Location"].endswith("/result")
    return base.rsplit("/", 1)[1]


def failed(checks) -> set[str]:
    return {c.name for c in checks if not c.passed}


def test_the_checks_catch_lost_half_stored_and_doubled_submissions(app, people, database_url):
    enable(app)
    target = Target(make_assessment(app), f"{BASE}/a/abc123defg", baseline_response_id=0)
    tokens = [submit(app.test_client()) for _ in range(3)]
    assert failed(run_checks(database_url, target, tokens)) == set()
    assert failed(run_checks(database_url, target, [*tokens, "never-stored"])) == {"every accepted submission stored"}

    def change(*statements):
        with app.app_context():
            for statement in statements:
                db.session.execute(statement)
            db.session.commit()
            db.engine.dispose()

    change(sa.update(Tally).values(n=Tally.n + 1))
    assert failed(run_checks(database_url, target, tokens)) == {"tallies agree with the responses"}
    change(sa.update(Tally).values(n=Tally.n - 1))
    assert failed(run_checks(database_url, target, tokens)) == set()

    with app.app_context():
        first, second = db.session.execute(db.select(Response).order_by(Response.id).limit(2)).scalars()
        again = {
            c: getattr(first, c)
            for c in ("assessment_id", "version_id", "group", "day", "answers", "overall_score", "overall_rung")
        }
    change(
        sa.delete(ResponseScore).where(ResponseScore.response_id == second.id),
        sa.insert(Response).values(**again),  # the same answers stored a second time, linked to no draft
        sa.update(Draft).where(Draft.response_id == first.id).values(answers={"left": "behind"}),
    )
    assert failed(run_checks(database_url, target, tokens)) == {
        "no partial response",
        "each response stored exactly once",
        "no half-submitted draft",
        "tallies agree with the responses",
    }
