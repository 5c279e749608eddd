"""The site under load: a demo installation in an instance folder, served by `coproduce serve` (gunicorn).

The gunicorn master is the `coproduce serve` process itself; its workers are its child processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "consultation_vs_coproduction"


class SiteError(Exception):
    """The site could not be made or started."""


@dataclass(frozen=True)
class Target:
    """The demo assessment the citizens answer, and the last response stored before the run."""

    assessment_id: int
    start_path: str
    baseline_response_id: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_database(url: str) -> bool:
    """Create a PostgreSQL database named in `url` when it does not exist yet; True when created."""
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return False
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first():
                return False
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
            return True
    finally:
        admin.dispose()


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and brackets, so read after the last ")"
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Site:
    def __init__(self, instance: Path, database_url: str, redis_url: str | None, workers: int, port: int):
        self.instance, self.database_url, self.redis_url = instance, database_url, redis_url
        self.workers_wanted, self.port = workers, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = instance / "server.log"
        self.process: subprocess.Popen | None = None

    @property
    def on_postgresql(self) -> bool:
        return sa.engine.make_url(self.database_url).drivername.startswith("postgresql")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
        env.update(
            COPRODUCE_INSTANCE_PATH=str(self.instance),
            COPRODUCE_DATABASE_URL=self.database_url,
            COPRODUCE_SECRET_KEY=os.urandom(24).hex(),
            COPRODUCE_TRUST_PROXY="true",
            COPRODUCE_WORKERS=str(self.workers_wanted),
        )
        if self.redis_url:
            env["COPRODUCE_REDIS_URL"] = self.redis_url
        return env

    def coproduce(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "coproduce", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
        )

    def init_demo(self) -> None:
        done = self.coproduce("init", "--demo")
        if done.returncode != 0:
            raise SiteError(f"coproduce init --demo failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    def target(self) -> Target:
        """The first assessment of the plugin's demo team (named as `coproduce init --demo` names it)."""
        from coproduce_plugins.consultation_vs_coproduction import meta

        slug = f"{meta.prefix}-demo"[:50].strip("-")
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                row = conn.execute(
                    sa.text(
                        f"SELECT a.id, a.code FROM {PLUGIN}_assessment a JOIN team t ON t.id = a.team_id "
                        "WHERE t.slug = :slug ORDER BY a.id"
                    ),
                    {"slug": slug},
                ).first()
                baseline = conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {PLUGIN}_response")).scalar()
        finally:
            engine.dispose()
        if row is None:
            raise SiteError(f"no demo assessment in team {slug!r}")
        return Target(row.id, f"/t/{slug}/{meta.prefix}/a/{row.code}", baseline)

    def start(self, timeout: float = 120) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coproduce",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers_wanted),
            ],
            cwd=REPO,
            env=self.env(),
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SiteError(f"gunicorn stopped at start (exit {self.process.returncode}):\n{self.log_tail()}")
            try:
                up = httpx.get(self.base + "/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                up = False
            if up and len(self.workers()) == self.workers_wanted:
                return
            time.sleep(0.3)
        self.stop()
        raise SiteError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def kill_worker(self) -> int | None:
        """SIGKILL one worker (the first by process id); its pid, or None when there was none."""
        pids = self.workers()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def stop(self, timeout: float = 60) -> int | None:
        """Stop gunicorn gracefully (workers finish the request in hand), then for good if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""
