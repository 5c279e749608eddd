"""`make test` runs every test on SQLite and then, on PostgreSQL, only those that reach the test database
(`--database-tests-only`, conftest.py). A test that needs PostgreSQL must never fall out of that pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FILES = [
    "tests/test_formats.py",
    "tests/test_packaging.py",
    "tests/test_third_party_plugin.py",
    "tests/test_healthz.py",
]


def collected(*options: str) -> set[str]:
    env = {**os.environ, "COPRODUCE_TEST_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *options, *FILES],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {line for line in result.stdout.splitlines() if "::" in line}


@pytest.mark.slow
def test_the_postgresql_pass_keeps_every_test_that_reaches_the_database_and_only_those():
    everything, database = collected(), collected("--database-tests-only")
    assert database < everything
    # Through the fixtures: every test of the health check (it uses the app and so its database).
    health = {test for test in everything if test.startswith("tests/test_healthz.py::")}
    assert health and health <= database
    # Reading the PostgreSQL pass's own URL inside the test, not through a fixture.
    assert "tests/test_packaging.py::test_installed_migrations_apply_on_postgresql" in database
    assert (
        "tests/test_third_party_plugin.py::test_a_plugins_own_tests_get_coproduces_fixtures_from_pytest11" in database
    )
    # Never touching a database: formatting dates and numbers, the wheel's contents.
    assert "tests/test_formats.py::test_an_urdu_date_is_in_urdu_with_the_day_first" not in database
    assert "tests/test_formats.py::test_numbers_are_grouped_as_each_language_groups_them" not in database
    # ...while the same file's tests that render pages through the app are kept.
    assert "tests/test_formats.py::test_no_english_page_writes_a_date_the_american_or_numeric_way" in database
    assert (
        "tests/test_packaging.py::test_the_wheel_carries_catalogs_and_styles_under_branded_names_only" not in database
    )
