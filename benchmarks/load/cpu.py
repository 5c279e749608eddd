"""Where the machine's CPU went during a step: the server (gunicorn and its workers), the citizens (this
process: they share the server's cores, so what they use is taken from it) and PostgreSQL's own processes.

Read from /proc (Linux), as seconds of CPU (user and system) over the step's wall time: 1.0 is one core kept
busy. On a machine without /proc every figure is None and the table says "-"."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU so far (user + system), or None when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state is fields[0]
    return (int(fields[11]) + int(fields[12])) / TICKS


def named(name: str) -> list[int]:
    """The processes whose command is `name` (PostgreSQL's server processes are all "postgres")."""
    found = []
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def total(pids: list[int]) -> dict[int, float]:
    return {pid: seconds for pid in pids if (seconds := cpu_seconds(pid)) is not None}


@dataclass
class Use:
    wall: float  # seconds
    server: float | None  # cores
    citizens: float | None
    database: float | None  # None on SQLite (it runs inside the workers)

    def server_ms_per(self, requests: int) -> float | None:
        """The server's CPU per request answered, in milliseconds."""
        return None if self.server is None or not requests else self.server * self.wall * 1000 / requests


class Meter:
    """Started as a step begins, read as it ends. A process that starts during the step counts in full."""

    def __init__(self, server_pids, on_postgresql: bool):
        self.server_pids = server_pids  # a function: the server's processes now (workers can be replaced)
        self.on_postgresql = on_postgresql and PROC.is_dir()
        self.began = time.monotonic()
        self.citizens = time.process_time()
        self.server = total(server_pids()) if PROC.is_dir() else {}
        self.database = total(named("postgres")) if self.on_postgresql else {}

    @staticmethod
    def _used(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def read(self) -> Use:
        wall = max(time.monotonic() - self.began, 1e-6)
        citizens = (time.process_time() - self.citizens) / wall
        if not PROC.is_dir():
            return Use(wall, None, citizens, None)
        server = self._used(self.server, total(self.server_pids())) / wall
        database = self._used(self.database, total(named("postgres"))) / wall if self.on_postgresql else None
        return Use(wall, server, citizens, database)
