"""Shared fixtures for core tests and every plugin's tests."""
pytest_plugins = ["tests.fixtures", "tests.browser"]
