"""Two gunicorn workers with no Redis share one rate-limit count (the database), on SQLite and PostgreSQL.

Runs in both passes of `make test`: on the SQLite file by default, on PostgreSQL with COPRODUCE_TEST_DATABASE_URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.test_multiworker import Site, free_port, workers_seen


@pytest.fixture
def site_without_redis(databases, tmp_path, make_app):
    url = databases.clone()
    app = make_app(DATABASE_URL=url)
    with app.app_context():
        from coproduce.extensions import db
        from coproduce.testing.fixtures import add_user

        add_user("owner@example.org")
        db.engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.update(
        COPRODUCE_DATABASE_URL=url,
        COPRODUCE_INSTANCE_PATH=str(tmp_path / "instance"),
        COPRODUCE_SECRET_KEY="s" * 40,
        COPRODUCE_TRUST_PROXY="true",
    )
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "coproduce", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if Site(base).request("/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + log.read_text()[-2000:])
    yield base
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def test_rate_limit_counts_across_two_workers_without_redis(site_without_redis):
    base = site_without_redis
    # The worker PID is a detail /healthz shows only to requests from the host itself.
    assert len(workers_seen(base)) == 2
    visitor = Site(base, client_ip="10.9.9.9")
    seen = [
        visitor.post_form("/sign-in", {"email": f"person{n}@example.org", "password": "wrong wrong wrong"})
        for n in range(11)
    ]
    assert seen[:10] == [200] * 10
    assert seen[10] == 429
    neighbour = Site(base, client_ip="10.9.9.10")
    assert neighbour.post_form("/sign-in", {"email": "x@example.org", "password": "wrong wrong wrong"}) == 200
