"""The plugin's tests run on an app holding this plugin and the dummy plugin."""

import pytest

from coproduce.testing.fixtures import get_team

PLUGINS = ["coproduce_plugins.initiatives", "tests.dummy_plugin"]


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
        app.extensions["plugins"].set_enabled(team, "initiatives", True)
        return team.id


@pytest.fixture
def demo(app, youth):
    """The demo directory in team "youth"."""
    from coproduce_plugins.initiatives.demo import create_demo

    with app.app_context():
        create_demo(get_team("youth"))
