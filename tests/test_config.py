"""Settings: defaults, instance TOML file, environment, and one-line errors."""

import subprocess
import sys

import pytest

from coproduce import create_app
from coproduce.config import ConfigError, load_settings


def test_defaults_put_sqlite_and_a_kept_secret_in_the_instance_folder(tmp_path):
    settings = load_settings(tmp_path, environ={})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'coproduce.db'}"
    assert len(settings["SECRET_KEY"]) >= 32
    assert load_settings(tmp_path, environ={})["SECRET_KEY"] == settings["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides_instance_file(tmp_path):
    (tmp_path / "coproduce.toml").write_text('theme = "harbourside"\nworkers = 4\nsignup_enabled = false\n')
    settings = load_settings(tmp_path, environ={"COPRODUCE_WORKERS": "8"})
    assert settings["THEME"] == "harbourside"
    assert settings["WORKERS"] == 8
    assert settings["SIGNUP_ENABLED"] is False


def test_postgres_urls_use_psycopg_3(tmp_path):
    settings = load_settings(tmp_path, environ={"COPRODUCE_DATABASE_URL": "postgresql://u@db/coproduce"})
    assert settings["DATABASE_URL"] == "postgresql+psycopg://u@db/coproduce"


def test_plugins_allowed_is_a_list(tmp_path):
    settings = load_settings(tmp_path, environ={"COPRODUCE_PLUGINS_ALLOWED": "project_pack, procurement_social_value"})
    assert settings["PLUGINS_ALLOWED"] == ["project_pack", "procurement_social_value"]


@pytest.mark.parametrize(
    "name, value, allowed",
    [
        ("COPRODUCE_WORKERS", "many", "a number of worker processes from 1 to 64"),
        ("COPRODUCE_WORKERS", "0", "a number of worker processes from 1 to 64"),
        ("COPRODUCE_DEBUG", "perhaps", "true or false"),
        ("COPRODUCE_DEFAULT_LOCALE", "fr", "one of en, cy, pl, ur"),
        ("COPRODUCE_DATABASE_URL", "mysql://x", "a sqlite:// or postgresql:// URL"),
        ("COPRODUCE_MAIL_PORT", "70000", "a port number from 1 to 65535"),
    ],
)
def test_bad_setting_names_the_setting_and_what_is_allowed(tmp_path, name, value, allowed):
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path, environ={name: value})
    message = str(error.value)
    assert message.startswith(f"{name}='{value}' is not allowed")
    assert allowed in message
    assert "\n" not in message


def test_unknown_key_and_broken_toml_in_instance_file(tmp_path):
    (tmp_path / "coproduce.toml").write_text('colour = "red"\n')
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(tmp_path, environ={})
    (tmp_path / "coproduce.toml").write_text("theme = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(tmp_path, environ={})


def test_unknown_theme_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="COPRODUCE_THEME"):
        create_app({"INSTANCE_PATH": tmp_path, "THEME": "no-such-theme"}, plugins=[])


def test_command_line_prints_one_line_not_a_stack_trace(tmp_path):
    env = {"COPRODUCE_INSTANCE_PATH": str(tmp_path), "COPRODUCE_WORKERS": "lots", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "coproduce", "plugins", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: COPRODUCE_WORKERS='lots' is not allowed: use a number of worker processes from 1 to 64"
    )
    assert "Traceback" not in result.stderr


def test_where_the_secret_key_came_from_is_known(tmp_path):
    assert load_settings(tmp_path, environ={})["SECRET_KEY_GENERATED"] is True
    given = load_settings(tmp_path, environ={"COPRODUCE_SECRET_KEY": "e" * 48})
    assert given["SECRET_KEY_GENERATED"] is False and given["SECRET_KEY"] == "e" * 48


def test_postgresql_pools_are_sized_by_setting_and_prepare_nothing(tmp_path):
    from coproduce import engine_options

    settings = load_settings(
        tmp_path,
        environ={
            "COPRODUCE_DATABASE_URL": "postgresql://u@db/coproduce",
            "COPRODUCE_DATABASE_POOL_SIZE": "3",
            "COPRODUCE_DATABASE_MAX_OVERFLOW": "0",
        },
    )
    options = engine_options(settings)
    assert options["pool_size"] == 3 and options["max_overflow"] == 0
    # Server-side prepared statements would outlive the transaction: PgBouncer in transaction mode breaks them.
    assert options["connect_args"] == {"prepare_threshold": None}
    assert engine_options(load_settings(tmp_path, environ={})) == {"pool_pre_ping": True}


@pytest.mark.parametrize(
    "name, value", [("SERVERS", "0"), ("SERVERS", "many"), ("DATABASE_POOL_SIZE", "0"), ("DATABASE_MAX_OVERFLOW", "-1")]
)
def test_several_server_settings_refuse_what_is_not_allowed(tmp_path, name, value):
    with pytest.raises(ConfigError, match=f"COPRODUCE_{name}="):
        load_settings(tmp_path, environ={f"COPRODUCE_{name}": value})
