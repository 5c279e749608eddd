"""coproduce check-deploy names each unsafe setting and fails; a sound set-up passes."""

from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.deploy_check import check_settings

SOUND = {
    "DEBUG": False,
    "SECRET_KEY": "k" * 48,
    "DATABASE_URL": "postgresql+psycopg://db/x",
    "WORKERS": 4,
    "SITE_URL": "https://coproduce.example.gov.uk",
    "TRUST_PROXY": True,
    "REDIS_URL": "redis://127.0.0.1",
}


def settings_named(config, signup_open=True):
    return [f.setting for f in check_settings(config, signup_open)]


def test_a_sound_set_up_has_no_findings():
    assert settings_named(SOUND) == []


def test_each_unsafe_setting_is_found():
    assert settings_named({**SOUND, "DEBUG": True}) == ["COPRODUCE_DEBUG"]
    assert settings_named({**SOUND, "SECRET_KEY": "changeme"}) == ["COPRODUCE_SECRET_KEY"]
    assert settings_named({**SOUND, "SECRET_KEY": "short"}) == ["COPRODUCE_SECRET_KEY"]
    assert settings_named({**SOUND, "DATABASE_URL": "sqlite:///x.db"}) == ["COPRODUCE_DATABASE_URL"]
    assert settings_named({**SOUND, "DATABASE_URL": "sqlite:///x.db", "WORKERS": 1}) == []
    assert settings_named({**SOUND, "TRUST_PROXY": False}) == ["COPRODUCE_SITE_URL / COPRODUCE_TRUST_PROXY"]
    assert settings_named({**SOUND, "SITE_URL": "http://x"}) == ["COPRODUCE_SITE_URL / COPRODUCE_TRUST_PROXY"]
    assert settings_named({**SOUND, "REDIS_URL": ""}) == ["COPRODUCE_REDIS_URL"]
    # Sign-in is limited too: counted per worker, the limits are weaker whether or not sign-up is open.
    assert settings_named({**SOUND, "REDIS_URL": ""}, signup_open=False) == ["COPRODUCE_REDIS_URL"]
    assert settings_named({**SOUND, "REDIS_URL": "", "WORKERS": 1}) == []


def test_command_lists_findings_and_exits_non_zero(make_app):
    app = make_app(DEBUG=True, WORKERS=2)
    result = CliRunner().invoke(build_cli(app), ["check-deploy"])
    assert result.exit_code == 1
    assert "UNSAFE COPRODUCE_DEBUG: debug mode is on" in result.output
    assert "unsafe setting(s) found" in result.output


def test_command_passes_on_a_sound_set_up(make_app):
    app = make_app(DEBUG=False, SECRET_KEY="k" * 48, WORKERS=1, SITE_URL="https://c.example", TRUST_PROXY=True)
    result = CliRunner().invoke(build_cli(app), ["check-deploy"])
    assert result.exit_code == 0, result.output
    assert "No unsafe settings found." in result.output


SEVERAL = {
    **SOUND,
    "SERVERS": 3,
    "SECRET_KEY_GENERATED": False,
    "STORAGE_URL": "/srv/coproduce-files",
    "MAIL_SERVER": "relay.example.gov.uk",
}


def test_several_servers_with_everything_shared_have_no_findings():
    assert check_settings(SEVERAL, True, "/var/lib/coproduce") == []
    assert check_settings({**SEVERAL, "STORAGE_URL": "s3://council-files/coproduce"}, True, "/var/lib/coproduce") == []


def test_several_servers_refuse_each_thing_kept_on_one_server():
    def found(**changes):
        return [f.setting for f in check_settings({**SEVERAL, **changes}, True, "/var/lib/coproduce")]

    assert found(SECRET_KEY_GENERATED=True) == ["COPRODUCE_SECRET_KEY"]
    assert found(DATABASE_URL="sqlite:///x.db", WORKERS=1) == ["COPRODUCE_DATABASE_URL"]
    assert found(REDIS_URL="", WORKERS=1) == ["COPRODUCE_REDIS_URL"]
    assert found(STORAGE_URL="") == ["COPRODUCE_STORAGE_URL"]
    assert found(STORAGE_URL="/var/lib/coproduce/uploads") == ["COPRODUCE_STORAGE_URL"]
    assert found(STORAGE_URL="file:///var/lib/coproduce/files") == ["COPRODUCE_STORAGE_URL"]
    assert found(MAIL_SERVER="") == ["COPRODUCE_MAIL_SERVER"]
    # One server may keep all of it to itself.
    assert found(SERVERS=1, SECRET_KEY_GENERATED=True, STORAGE_URL="", MAIL_SERVER="") == []


def test_each_finding_for_several_servers_is_one_line_naming_what_to_do():
    config = {**SEVERAL, "SECRET_KEY_GENERATED": True, "STORAGE_URL": "", "MAIL_SERVER": "", "REDIS_URL": ""}
    lines = [str(f) for f in check_settings({**config, "WORKERS": 1}, True, "/var/lib/coproduce")]
    assert len(lines) == 4
    assert all("\n" not in line and "Set " in line for line in lines)
    assert any("generated on this server" in line for line in lines)


def test_command_refuses_a_generated_key_on_several_servers(make_app):
    app = make_app(SERVERS=2, SECRET_KEY="")
    assert app.config["SECRET_KEY_GENERATED"] is True
    result = CliRunner().invoke(build_cli(app), ["check-deploy"])
    assert result.exit_code == 1
    assert "UNSAFE COPRODUCE_SECRET_KEY: the secret key was generated on this server" in result.output
    assert "UNSAFE COPRODUCE_STORAGE_URL" in result.output
