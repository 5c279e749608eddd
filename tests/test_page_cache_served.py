"""The page cache under `coproduce serve` with 2 gunicorn workers: both workers hold the home page, a site admin
creates a team through one of them, and the very next signed-out request in each worker shows it.

Which worker answered is read from the request log line (its `worker=` pid, found by the request id the test sends).
"""

from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from coproduce.testing.fixtures import PASSWORD
from tests.serve_helpers import Served, Site, csrf_token, seeded

pytestmark = pytest.mark.slow


@pytest.fixture
def served(databases, tmp_path):
    url = databases.clone()
    with seeded(url, tmp_path / "seed"):
        from coproduce.testing.fixtures import add_team, add_user

        admin = add_user("admin@example.org", admin=True)
        add_team("youth", owner=admin)
    server = Served(
        {
            "COPRODUCE_DATABASE_URL": url,
            "COPRODUCE_INSTANCE_PATH": str(tmp_path / "instance"),
            "COPRODUCE_SECRET_KEY": "page-cache-" + "k" * 40,
            "COPRODUCE_TRUST_PROXY": "true",
            "COPRODUCE_REDIS_URL": "",
        },
        tmp_path / "server.log",
        workers=2,
    )
    server.wait_until_up()
    yield server
    log = server.stop()
    assert "Traceback" not in log, log[-3000:]
    databases.drop(url)


def fetch(server: Served, site: Site, path: str, data: dict | None = None) -> tuple[int, str, str, str | None]:
    """(status, page, worker pid, X-Page-Cache) of one request on a connection of its own."""
    request_id = uuid.uuid4().hex
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"X-Forwarded-For": site.client_ip, "Connection": "close", "X-Request-Id": request_id}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(server.base + path, data=body, headers=headers)
    try:
        with site.opener.open(request, timeout=60) as response:
            status, page, cache = response.status, response.read().decode(), response.headers.get("X-Page-Cache")
    except urllib.error.HTTPError as error:
        status, page, cache = error.code, error.read().decode(), error.headers.get("X-Page-Cache")
    return status, page, worker_of(server, request_id), cache


def worker_of(server: Served, request_id: str) -> str:
    pattern = re.compile(rf"request={request_id} .*worker=(\d+)")
    for _ in range(100):
        found = pattern.search(server.log.read_text())
        if found:
            return found.group(1)
        time.sleep(0.05)
    raise AssertionError(f"no log line for request {request_id}")


def visitors_until_both_workers(server: Served, check) -> dict[str, list[str | None]]:
    """Signed-out GETs of the home page, each a new visitor on a new connection, until both workers have
    answered twice; `check(page, cache)` on every one. Returns each worker's X-Page-Cache values in order."""
    seen: dict[str, list[str | None]] = {}
    for n in range(400):
        status, page, worker, cache = fetch(server, Site(server.base, client_ip=f"10.30.{n // 200}.{n % 200 + 1}"), "/")
        assert status == 200
        check(page, cache)
        seen.setdefault(worker, []).append(cache)
        if len(seen) == 2 and all(len(v) >= 2 for v in seen.values()):
            return seen
    raise AssertionError(f"one worker answered every request: {sorted(seen)}")


def test_a_change_by_staff_is_seen_by_the_next_request_in_every_worker(served):
    warm = visitors_until_both_workers(served, lambda page, cache: None)
    for worker, caches in warm.items():
        assert "hit" in caches, f"worker {worker} never answered from its page cache: {caches}"

    admin = Site(served.base, client_ip="10.31.0.1")
    status, page, _, _ = fetch(served, admin, "/sign-in")
    status, _, _, _ = fetch(
        served, admin, "/sign-in", {"email": "admin@example.org", "password": PASSWORD, "csrf_token": csrf_token(page)}
    )
    assert status == 302
    status, page, _, _ = fetch(served, admin, "/admin/teams")
    assert status == 200
    status, _, changed_by, _ = fetch(
        served,
        admin,
        "/admin/teams",
        {"slug": "libraries", "name": "Libraries Together", "csrf_token": csrf_token(page)},
    )
    assert status == 302

    def shows_the_new_team(page, cache):
        assert "Libraries Together" in page, f"a stale home page ({cache}) after the change"

    after = visitors_until_both_workers(served, shows_the_new_team)
    assert changed_by in after
    for worker, caches in after.items():
        assert caches[0] == "miss", f"worker {worker} answered its first request after the change from memory"
        assert "hit" in caches or len(caches) < 3, caches
