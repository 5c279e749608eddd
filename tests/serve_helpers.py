"""Running `coproduce serve` as a real process in tests, and a browser-like client for it.

Shared by the tests of the production shape (test_multiworker, test_two_servers, test_pgbouncer).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REDIS = ("127.0.0.1", 6379)


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page[:1000]
    return found.group(1)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body (as a browser sends a form with a file) and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Site:
    """A browser-like client of a running server, with its own cookies and forwarded address.

    `at(base)` gives the same person (the same cookies) talking to another server of the site.
    """

    def __init__(self, base: str, client_ip: str = "10.9.0.1", cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.client_ip = client_ip
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())

    def at(self, base: str) -> Site:
        return Site(base, self.client_ip, self.cookies)

    def raw(self, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, bytes, dict]:
        headers = {"X-Forwarded-For": self.client_ip, "Connection": "close"}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=180) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        status, content, _ = self.raw(path, body, "application/x-www-form-urlencoded" if body is not None else "")
        return status, content.decode()

    def post_form(self, path: str, data: dict) -> int:
        status, page = self.request(path)
        return self.request(path, {**data, "csrf_token": csrf_token(page)})[0]

    def post_file(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> int:
        status, page = self.request(path)
        body, content_type = multipart({**fields, "csrf_token": csrf_token(page)}, files)
        return self.raw(path, body, content_type)[0]


class Served:
    """`coproduce serve` in its own process, with the given COPRODUCE_* settings."""

    def __init__(self, settings: dict[str, str], log: Path, workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {**os.environ, **settings}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coproduce", "serve", "--port", str(self.port), "--workers", str(workers)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Site(self.base).request("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.process.kill()
        raise AssertionError("coproduce serve did not start: " + self.log.read_text()[-2000:])

    def command(self, *args: str) -> subprocess.CompletedProcess:
        """Another `coproduce` command with this server's settings (its own instance folder)."""
        return subprocess.run(
            [sys.executable, "-m", "coproduce", *args], env=self.env, capture_output=True, text=True, timeout=300
        )

    def stop(self) -> str:
        """Stop it as systemd would (SIGTERM); returns its log."""
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text()


@contextmanager
def seeded(url: str, folder: Path) -> Iterator[None]:
    """An app context on the database a served site will use, with every bundled plugin, to write what the site
    starts with (people, teams); its connections are closed afterwards, so the served processes have them all."""
    from coproduce import create_app
    from coproduce.extensions import db
    from coproduce.testing.fixtures import BUNDLED_PLUGINS

    seed = create_app(
        {"INSTANCE_PATH": folder, "DATABASE_URL": url, "TESTING": True, "TASKS_IMMEDIATE": True},
        plugins=BUNDLED_PLUGINS,
    )
    with seed.app_context():
        yield
        db.engine.dispose()


def redis_db_of_worker(*databases: int) -> int:
    """The Redis database of this pytest-xdist worker among `databases` (the first without xdist): tests that
    empty their database as they start must not share it with a test running at the same time."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker[2:].isdigit() else 0
    if number >= len(databases):
        raise RuntimeError(f"no Redis database for pytest-xdist worker {worker}: run with at most {len(databases)}")
    return databases[number]
