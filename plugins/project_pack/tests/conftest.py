"""The plugin's tests run on an app holding this plugin and the dummy plugin (for the panels hook)."""

import pytest

from coproduce.testing.fixtures import get_team

PLUGINS = ["coproduce_plugins.project_pack", "tests.dummy_plugin"]


@pytest.fixture
def app(make_app):
    app = make_app(plugins=PLUGINS)
    app.extensions["plugins"].pm.check_pending()
    return app


@pytest.fixture
def youth(app, people):
    """Team "youth" with the plugin switched on; returns the team's id."""
    with app.app_context():
        team = get_team("youth")
        app.extensions["plugins"].set_enabled(team, "project_pack", True)
        return team.id
