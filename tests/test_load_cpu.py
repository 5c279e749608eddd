"""`make load` says where the machine's CPU went in each step: the server's, the citizens' own and the
database's, and the server's CPU per request, read from /proc."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from benchmarks.load.__main__ import Step, capacity_table
from benchmarks.load.cpu import Meter, Use

SPIN = "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass\ntime.sleep(5)"


def test_a_busy_server_process_counts_as_the_server_and_an_idle_citizen_process_does_not():
    server = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        meter = Meter(lambda: [server.pid], on_postgresql=False)
        time.sleep(2.0)  # the server spins for one second of CPU, then waits; the citizens (this test) wait
        used = meter.read()
    finally:
        server.kill()
        server.wait()
    assert 0.3 < used.server < 0.8, used  # about 1 s of CPU in about 2 s of wall time
    assert used.citizens < 0.1 and used.database is None, used
    assert 900 < used.server_ms_per(1) < 1700  # one request answered: all the server's CPU is that request's


def test_the_capacity_table_shows_each_steps_cores_and_the_servers_cpu_per_request():
    steps = [
        Step(100, 1500, 12.5, 40.0, 0, True, Use(120.0, 0.5, 0.2, 0.1)),
        Step(500, 6000, 50.0, 2400.0, 0, False, Use(120.0, 1.2, 0.5, None)),
    ]
    table = capacity_table(steps, argparse.Namespace(p95_ms=500.0)).splitlines()
    assert table[0].split("  ")[-4:] == ["server cores", "citizens cores", "database cores", "server CPU ms/request"]
    assert table[1].split() == ["100", "1500", "12.5", "40", "0", "yes", "0.50", "0.20", "0.10", "40.0"]
    assert table[2].split() == ["500", "6000", "50.0", "2400", "0", "no", "1.20", "0.50", "-", "24.0"]
