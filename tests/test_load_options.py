"""`make load`'s options: think time and capacity steps read as people write them, with one clear line
when they are wrong."""

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.load.__main__ import parse_args

REPO = Path(__file__).resolve().parent.parent


def test_think_time_and_steps_are_read():
    args = parse_args(["--think", "5-20", "--steps", "500,100,250,100"])
    assert args.think == (5.0, 20.0)
    assert args.steps == [100, 250, 500]  # in order, each once
    assert parse_args([]).think == (0.0, 0.0) and parse_args([]).steps is None  # the fault run as before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--think", "20-5", "not a range of seconds like 5-20: '20-5'"),
        ("--think", "soon", "not a range of seconds like 5-20: 'soon'"),
        ("--steps", "100,lots", "not a list of numbers like 100,500,1000: '100,lots'"),
        ("--steps", "0", "not a list of numbers like 100,500,1000: '0'"),
    ],
)
def test_a_wrong_option_gets_one_clear_line(option, value, message):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", option, value], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith(message)
    assert "Traceback" not in done.stderr
