"""A real SMTP server for tests (aiosmtpd in a thread) that can be told to stall, and a real worker process.

with MailServer() as server:          # server.port; server.messages: the emails received
    server.stall()                    # sessions hang after MAIL FROM until recover()
    ...
    server.recover()
    server.wait_for(1)
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, server: MailServer):
        self.server = server

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        self.server.stalled_sessions += self.server.stalled.is_set()
        while self.server.stalled.is_set():
            await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        with self.server.lock:
            self.server.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.stalled_sessions = 0
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stalled.clear()
        self.controller.stop()

    def stall(self) -> None:
        self.stalled.set()

    def recover(self) -> None:
        self.stalled.clear()

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        """Wait until at least count emails have arrived; the emails."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)


def wait_until(condition, timeout: float = 30, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


_WORKER = """
import json, os
from coproduce import create_app
from coproduce.cli import build_cli
settings = json.loads(os.environ["COPRODUCE_TEST_WORKER_SETTINGS"])
plugins = settings.pop("PLUGINS")
app = create_app(settings, plugins=plugins)
build_cli(app).main(["worker", "--threads", str(settings.get("THREADS", 2))], prog_name="coproduce")
"""


def start_worker(settings: dict, plugins: list[str], log_path=None) -> subprocess.Popen:
    """`coproduce worker` in a process of its own, on the given settings (INSTANCE_PATH, DATABASE_URL...)."""
    env = dict(os.environ)
    env["COPRODUCE_TEST_WORKER_SETTINGS"] = json.dumps(
        {**{k: str(v) if k == "INSTANCE_PATH" else v for k, v in settings.items()}, "PLUGINS": plugins}
    )
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - the process keeps it
    return subprocess.Popen([sys.executable, "-c", _WORKER], env=env, stdout=output, stderr=subprocess.STDOUT)
