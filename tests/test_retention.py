"""coproduce retention apply: every rule applied with its period; --dry-run only counts."""

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.config import ConfigError, load_settings
from coproduce.extensions import db
from tests.dummy_plugin.models import DummyNote


@pytest.mark.hook("retention_rules")
def test_dry_run_counts_and_apply_removes(app, people):
    outbox = Path(app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    old, new = outbox / "old.eml", outbox / "new.eml"
    old.write_text("x")
    new.write_text("y")
    ancient = time.time() - 200 * 24 * 3600
    os.utime(old, (ancient, ancient))
    with app.app_context():
        db.session.add_all(
            [DummyNote(team_id=people["team"], text="old: a"), DummyNote(team_id=people["team"], text="b")]
        )
        db.session.commit()
    cli = build_cli(app)
    dry = CliRunner().invoke(cli, ["retention", "apply", "--dry-run"])
    assert "core.outbox: 1 would be removed, older than 3 months" in dry.output
    assert "dummy_plugin.old_notes: 1 would be removed, older than 6 months" in dry.output
    assert old.exists()
    done = CliRunner().invoke(cli, ["retention", "apply"])
    assert "core.outbox: 1 removed" in done.output
    assert not old.exists() and new.exists()
    with app.app_context():
        assert sorted(db.session.execute(db.select(DummyNote.text)).scalars()) == ["[expired]", "b"]


def test_zero_months_keeps_for_ever(make_app):
    app = make_app(RETENTION_MONTHS="core.outbox=0")
    output = CliRunner().invoke(build_cli(app), ["retention", "apply"]).output
    assert "core.outbox: kept for ever" in output


def test_bad_retention_setting_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="COPRODUCE_RETENTION_MONTHS"):
        load_settings(tmp_path, environ={"COPRODUCE_RETENTION_MONTHS": "core.outbox=forever"})
    assert load_settings(tmp_path, environ={"COPRODUCE_RETENTION_MONTHS": "a.b=2, c.d=0"})["RETENTION_MONTHS"] == {
        "a.b": 2,
        "c.d": 0,
    }
