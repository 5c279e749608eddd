"""The `coproduce` command line, and its one-line errors."""

import re

import pytest
from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.extensions import db
from coproduce.models import Membership, PluginState, Team, User
from coproduce_plugins.procurement_social_value.models import Commitment
from coproduce_plugins.project_pack.models import Project
from tests.dummy_plugin.models import DummyNote


@pytest.fixture
def run(make_app, databases):
    """Run a coproduce command against a fresh, empty database."""
    app = make_app(DATABASE_URL=databases.create_empty())
    cli = build_cli(app)
    runner = CliRunner()

    def invoke(*args, input=None):
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
        return result

    invoke.app = app
    return invoke


def one_line_error(result, code=1):
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.mark.hook("demo_data")
def test_init_demo_creates_database_admin_and_a_team_per_plugin(run):
    result = run("init", "--demo")
    assert result.exit_code == 0, result.output
    password = re.search(r"Sign in as admin@example.org with the password (\S+)", result.output).group(1)
    assert "Demo data [5/5] tests" not in result.output
    assert re.search(r"Demo data \[\d/5\] dummy_plugin", result.output)
    with run.app.app_context():
        admin = db.session.execute(db.select(User)).scalar_one()
        assert admin.is_site_admin and admin.check_password(password)
        slugs = set(db.session.execute(db.select(Team.slug)).scalars())
        assert {"dummy-demo", "projects-demo", "readiness-demo", "social-value-demo", "initiatives-demo"} <= slugs
        assert "together-demo" in slugs  # and one team with every module on, each demo filled in it too
        assert db.session.execute(db.select(DummyNote.text)).scalars().all() == ["A demo note"] * 2
        enabled = db.session.execute(db.select(PluginState.plugin).where(PluginState.enabled)).scalars().all()
        assert len(enabled) == 5 * 2
        together = db.session.execute(db.select(Team).where(Team.slug == "together-demo")).scalar_one()
        linked = db.session.execute(
            db.select(Commitment.project_id).where(
                Commitment.team_id == together.id, Commitment.project_id.is_not(None)
            )
        ).scalars()
        projects = db.session.execute(db.select(Project.id).where(Project.team_id == together.id)).scalars().all()
        assert set(linked) and set(linked) <= set(projects)  # its promises are linked to its own projects
    again = run("init")
    assert again.exit_code == 0
    assert "already exists" in again.output and "password" not in again.output


def test_init_refuses_a_bad_admin_email(run):
    assert "is not an email address" in one_line_error(run("init", "--admin-email", "not-an-email"))


def test_db_upgrade_twice_is_harmless(run):
    assert run("db", "upgrade").exit_code == 0
    result = run("db", "upgrade")
    assert result.exit_code == 0 and "up to date" in result.output


def test_users_create_with_password_from_stdin(run):
    run("db", "upgrade")
    result = run("users", "create", "Sam@Example.org", "--admin", "--password-stdin", input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    with run.app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.email == "sam@example.org" and user.is_site_admin
        assert user.check_password("a long enough password")


def test_users_create_errors(run):
    run("db", "upgrade")
    assert "is not an email address" in one_line_error(run("users", "create", "nobody"))
    assert "at least 12" in one_line_error(run("users", "create", "a@example.org", "--password-stdin", input="short\n"))
    common = run("users", "create", "a@example.org", "--password-stdin", input="password1234\n")
    assert "too easy to guess" in one_line_error(common)
    generated = run("users", "create", "a@example.org")
    assert re.search(r"Password \(shown once\): \S{12,}", generated.output)
    assert "already exists" in one_line_error(run("users", "create", "A@example.org"))


def test_teams_create_and_errors(run):
    run("db", "upgrade")
    run("users", "create", "owner@example.org")
    result = run("teams", "create", "youth-services", "Youth services", "--owner", "owner@example.org")
    assert result.exit_code == 0 and "/t/youth-services/" in result.output
    with run.app.app_context():
        membership = db.session.execute(db.select(Membership)).scalar_one()
        assert membership.role == "owner"
    assert "not a web address name" in one_line_error(run("teams", "create", "Youth Services", "Youth"))
    assert "already exists" in one_line_error(run("teams", "create", "youth-services", "Again"))
    assert "no account" in one_line_error(run("teams", "create", "parks", "Parks", "--owner", "who@example.org"))


def test_plugins_enable_disable_and_list(run):
    run("db", "upgrade")
    run("teams", "create", "youth", "Youth")
    assert "dummy_plugin is on for youth" in run("plugins", "enable", "dummy_plugin", "--team", "youth").output
    assert "already on" in run("plugins", "enable", "dummy_plugin", "--team", "youth").output
    listing = run("plugins", "list").output
    assert "dummy_plugin 1.0.0: loaded; enabled for youth" in listing
    assert "project_pack 0.1.0: loaded; enabled for no teams" in listing
    assert "is off for youth" in run("plugins", "disable", "dummy_plugin", "--team", "youth").output
    assert "cannot be switched" in one_line_error(run("plugins", "enable", "nonsense", "--team", "youth"))
    assert "no team" in one_line_error(run("plugins", "enable", "dummy_plugin", "--team", "nowhere"))


def test_plugins_list_shows_failing_plugins_with_reason(make_app, databases):
    app = make_app(DATABASE_URL=databases.create_empty(), plugins=["tests.missing_plugin", "tests.dummy_plugin"])
    cli = build_cli(app)
    CliRunner().invoke(cli, ["db", "upgrade"])
    output = CliRunner().invoke(cli, ["plugins", "list"]).output
    assert "missing_plugin: FAILING: ModuleNotFoundError" in output


@pytest.mark.hook("register_cli_commands")
def test_plugin_commands_join_the_command_line(run):
    result = run("dummy-hello", "Ceri")
    assert result.exit_code == 0 and result.output == "dummy says hello to Ceri\n"


def test_unknown_command_and_missing_option_exit_non_zero(run):
    assert run("nonsense").exit_code == 2
    assert run("plugins", "enable", "dummy_plugin").exit_code == 2


def test_serve_refuses_a_bad_port(run):
    result = run("serve", "--port", "99999")
    assert result.exit_code == 2 and "99999" in result.output


def test_users_set_password(run):
    run("db", "upgrade")
    run("users", "create", "it@example.org")
    result = run("users", "set-password", "IT@example.org")
    password = re.search(r"New password for it@example.org: (\S+)", result.output).group(1)
    with run.app.app_context():
        assert db.session.execute(db.select(User)).scalar_one().check_password(password)
    assert "no account" in one_line_error(run("users", "set-password", "who@example.org"))
    assert "at least 12" in one_line_error(
        run("users", "set-password", "it@example.org", "--password-stdin", input="tiny\n")
    )
