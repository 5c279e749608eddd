"""Core's own tests and the bundled plugins' tests also load tests/dummy_plugin, which implements every hook.

The fixtures themselves come from coproduce.testing (registered with pytest through `pytest11`)."""

import pytest

from coproduce.testing.fixtures import BUNDLED_PLUGINS


@pytest.fixture(scope="session")
def coproduce_test_plugins() -> list[str]:
    return [*BUNDLED_PLUGINS, "tests.dummy_plugin"]
