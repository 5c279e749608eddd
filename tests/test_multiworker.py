"""Production shape: gunicorn with 2 workers on PostgreSQL and Redis, nothing that matters in memory.

Runs in the PostgreSQL pass of `make test` (it needs a real PostgreSQL and Redis on 127.0.0.1).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from coproduce.testing.fixtures import postgres_url
from tests.serve_helpers import Site, free_port, redis_answers, redis_db_of_worker

SUBMISSIONS = 500


pytestmark = [
    pytest.mark.skipif(postgres_url() is None, reason="runs in the PostgreSQL pass (COPRODUCE_TEST_DATABASE_URL)"),
    pytest.mark.skipif(not redis_answers(), reason="needs Redis at 127.0.0.1:6379"),
]


@pytest.fixture
def server(databases, tmp_path, make_app):
    url = databases.clone()
    app = make_app(DATABASE_URL=url)
    with app.app_context():
        from coproduce.extensions import db
        from coproduce.testing.fixtures import add_team, add_user

        owner = add_user("owner@example.org")
        add_team("youth", owner=owner, plugins=("consultation_vs_coproduction",))
        db.engine.dispose()
    redis_db = redis_db_of_worker(7, 6, 5, 4)  # emptied as each test starts: each pytest-xdist worker has its own
    subprocess.run(["redis-cli", "-n", str(redis_db), "flushdb"], check=False, capture_output=True)
    port = free_port()
    env = {
        **os.environ,
        "COPRODUCE_DATABASE_URL": url,
        "COPRODUCE_INSTANCE_PATH": str(tmp_path / "instance"),
        "COPRODUCE_REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "COPRODUCE_SECRET_KEY": "s" * 40,
        "COPRODUCE_TRUST_PROXY": "true",
    }
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "coproduce", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if Site(base).request("/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
    yield base, url
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
    stopped = log.read_text()
    assert "Traceback" not in stopped and "exited with code" not in stopped, (
        "workers did not stop cleanly:\n" + stopped[-3000:]
    )
    assert process.returncode == 0


def workers_seen(base: str, at_once: int = 8, rounds: int = 25) -> set[int]:
    """The worker pids seen in /healthz answers to requests sent several at a time: one after another, a quiet
    machine may hand every request to the same worker, as the kernel wakes whichever is waiting first.
    (The pid is a detail /healthz shows only to requests from the host itself.)"""

    def worker(_):
        return json.loads(Site(base, client_ip="127.0.0.1").request("/healthz")[1])["worker"]

    seen: set[int] = set()
    with ThreadPoolExecutor(at_once) as pool:
        for _ in range(rounds):
            seen |= set(pool.map(worker, range(at_once)))
            if len(seen) >= 2:
                break
    return seen


def test_plugin_switch_through_one_worker_is_seen_by_every_worker_at_once(server):
    base, _ = server
    assert len(workers_seen(base)) == 2
    owner = Site(base)
    assert (
        owner.post_form("/sign-in", {"email": "owner@example.org", "password": "correct horse battery staple"}) == 302
    )
    status, page = owner.request("/t/youth/manage/plugins")
    assert status == 200, page[:500]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert owner.request("/t/youth/manage/plugins/project_pack", {"enabled": "1", "csrf_token": token})[0] == 302
    assert [owner.request("/account")[0] for _ in range(10)] == [200] * 10  # signed in on both workers
    assert {Site(base).request("/t/youth/projects/")[0] for _ in range(30)} == {200}
    status, page = owner.request("/t/youth/manage/plugins")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert owner.request("/t/youth/manage/plugins/project_pack", {"enabled": "0", "csrf_token": token})[0] == 302
    assert "is now off for this team" in owner.request("/t/youth/manage/plugins")[1]
    assert {Site(base).request("/t/youth/projects/")[0] for _ in range(30)} == {404}


def test_rate_limit_counts_across_both_workers(server):
    base, _ = server
    visitor = Site(base, client_ip="10.9.9.9")
    statuses = [
        visitor.post_form("/sign-in", {"email": "owner@example.org", "password": "wrong wrong wrong"})
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_concurrent_public_submissions_are_each_stored_exactly_once(server):
    """500 people sort the workshop cards at once (a public form, no account) through both workers."""
    from coproduce_plugins.consultation_vs_coproduction.scenarios import standard_deck

    base, url = server
    deck = standard_deck()
    answers = {card.id: card.answer for card in deck.cards}

    def sort_cards(number: int) -> int:
        citizen = Site(base, client_ip=f"10.{number // 250}.{number % 250}.7")
        return citizen.post_form("/t/youth/readiness/exercise", answers)

    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(sort_cards, range(SUBMISSIONS)))
    assert statuses.count(200) == SUBMISSIONS, {s: statuses.count(s) for s in set(statuses)}
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        sorts = conn.execute(sa.text('SELECT count(*), sum("right") FROM consultation_vs_coproduction_sort')).one()
        answers_stored = conn.execute(sa.text("SELECT count(*) FROM consultation_vs_coproduction_sort_answer")).scalar()
    engine.dispose()
    assert tuple(sorts) == (SUBMISSIONS, SUBMISSIONS * len(deck.cards))
    assert answers_stored == SUBMISSIONS * len(deck.cards)


def test_site_recovers_when_database_connections_are_killed(server):
    base, url = server
    assert Site(base).request("/")[0] == 200
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name AND pid <> "
                "pg_backend_pid()"
            ),
            {"name": name},
        ).scalar()
    admin.dispose()
    assert killed >= 1
    statuses = [Site(base).request("/t/youth/")[0] for _ in range(10)]
    assert statuses == [200] * 10
