"""Core's own tests and the bundled plugins' tests also load tests/dummy_plugin, which implements every hook.

The fixtures themselves come from coproduce.testing (registered with pytest through `pytest11`).

`make test` runs every test on SQLite, then the tests that reach a database again on PostgreSQL
(`--database-tests-only`): a test that never touches the test database (scoring, money, catalogs, settings,
packaging on SQLite) would only do the same work twice."""

import inspect
import re

import pytest

from coproduce.testing.fixtures import BUNDLED_PLUGINS

# A test that reads the PostgreSQL pass's database itself, not through the `databases` fixture.
READS_THE_DATABASE_URL = re.compile(r"postgres_url\(\)|COPRODUCE_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def coproduce_test_plugins() -> list[str]:
    return [*BUNDLED_PLUGINS, "tests.dummy_plugin"]


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="only the tests that reach the test database (the `databases` fixture, the `database` mark, or "
        "postgres_url() / COPRODUCE_TEST_DATABASE_URL in the test itself): make test's PostgreSQL pass",
    )


def reaches_the_database(item) -> bool:
    if "databases" in getattr(item, "fixturenames", ()) or item.get_closest_marker("database"):
        return True
    try:
        source = inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return True  # not a Python test function, or its source cannot be read: keep it
    return bool(READS_THE_DATABASE_URL.search(source))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept, left = [], []
    for item in items:
        (kept if reaches_the_database(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
