"""A plugin from outside this repository, installed with pip, works with no change to core."""

import json
import os
import subprocess
import sys
import textwrap

PLUGIN_MODULE = '''
"""Bike racks: a third-party Coproduce plugin that declares only its entry point."""
from flask import Blueprint, render_template_string, url_for
from markupsafe import Markup

from coproduce.plugins import NavItem, PluginMeta, Widget, hookimpl

meta = PluginMeta(name="bike_racks", title="Bike racks", version="0.3.0", requires_core=">=0.1,<1",
                  url_prefix="bike-racks")
bp = Blueprint("bike_racks", __name__)


@bp.get("/")
def index():
    return render_template_string(
        '{% extends "base.html" %}{% block title %}Racks{% endblock %}'
        '{% block content %}<h1 class="govuk-heading-l">Racks wanted by residents</h1>{% endblock %}')


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label="Bike racks", url=url_for("bike_racks.index"))]


@hookimpl
def dashboard_widgets(user, team):
    return [Widget(title="Racks requested", body=Markup("<p class='govuk-body'>12 racks</p>"))]
'''

PYPROJECT = """
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "coproduce-bike-racks"
version = "0.3.0"

[project.entry-points."coproduce.plugins"]
bike_racks = "bike_racks"

[tool.setuptools]
py-modules = ["bike_racks"]
"""

CHECK = """
import json, sys
from coproduce import create_app
from coproduce.extensions import db
from coproduce.migrations_config import upgrade_all
from coproduce.testing.fixtures import add_team, add_user, sign_in

app = create_app({"INSTANCE_PATH": sys.argv[1], "TESTING": True, "WTF_CSRF_ENABLED": False,
                  "RATELIMIT_ENABLED": False})
host = app.extensions["plugins"]
with app.app_context():
    upgrade_all()
    owner = add_user("owner@example.org")
    add_team("cycling", owner=owner)
    add_team("parks", owner=owner, plugins=("bike_racks",))
client = app.test_client()
sign_in(client, "owner@example.org")
before = client.get("/t/cycling/bike-racks/").status_code
client.post("/t/cycling/manage/plugins/bike_racks", data={"enabled": "1"})
dashboard = client.get("/t/cycling/dashboard").get_data(as_text=True)
print(json.dumps({
    "source": host.loaded["bike_racks"].source,
    "before": before,
    "after": client.get("/t/cycling/bike-racks/").get_data(as_text=True),
    "nav": "Bike racks" in dashboard,
    "widget": "12 racks" in dashboard,
    "failed": host.failed,
}))
"""


def test_pip_installed_plugin_appears_for_teams_that_enable_it(tmp_path, databases):
    package = tmp_path / "coproduce-bike-racks"
    package.mkdir()
    (package / "bike_racks.py").write_text(textwrap.dedent(PLUGIN_MODULE))
    (package / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT))
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(package),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (site / "bike_racks.py").exists()

    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    env = {"PYTHONPATH": f"{site}:{repo}", "PATH": "/usr/bin:/bin", "COPRODUCE_DATABASE_URL": databases.create_empty()}
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path / "instance")],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["source"] == "entry point"
    assert found["failed"] == {}
    assert found["before"] == 404
    assert "Racks wanted by residents" in found["after"]
    assert found["nav"] and found["widget"]


PLUGIN_CONFTEST = """
import pytest


@pytest.fixture(scope="session")
def coproduce_test_plugins():
    return ["bike_racks"]
"""

PLUGIN_TEST = """
from coproduce.testing import add_team, get_team, sign_in


def test_a_team_that_switches_racks_on_sees_them(app, client, people):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "bike_racks", True)
    sign_in(client, "owner@example.org")
    assert "Racks wanted by residents" in client.get("/t/youth/bike-racks/").get_data(as_text=True)
    assert client.get("/t/parks/bike-racks/").status_code == 404
"""


def test_a_plugins_own_tests_get_coproduces_fixtures_from_pytest11(tmp_path):
    """A third-party plugin's test suite, with only a conftest naming its plugin, uses coproduce.testing."""
    package = tmp_path / "coproduce-bike-racks"
    (package / "tests").mkdir(parents=True)
    (package / "bike_racks.py").write_text(textwrap.dedent(PLUGIN_MODULE))
    (package / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT))
    (package / "tests" / "conftest.py").write_text(PLUGIN_CONFTEST)
    (package / "tests" / "test_racks.py").write_text(PLUGIN_TEST)
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(package),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    if os.environ.get("COPRODUCE_TEST_DATABASE_URL"):
        env["COPRODUCE_TEST_DATABASE_URL"] = os.environ["COPRODUCE_TEST_DATABASE_URL"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(package), "tests"],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
