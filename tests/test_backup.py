"""Backups: a populated installation round-trips into a new one, every table and file the same."""

import hashlib
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.extensions import db
from coproduce.models import AuditEvent, PluginState, Team, User, utcnow
from coproduce.testing.fixtures import get_team
from tests.dummy_plugin.models import DummyNote


def table_contents(app) -> dict:
    with app.app_context():
        contents = {}
        for table in db.metadata.sorted_tables:
            if table.name in sa.inspect(db.engine).get_table_names():
                order = list(table.primary_key.columns)
                contents[table.name] = [tuple(r) for r in db.session.execute(sa.select(table).order_by(*order))]
        return contents


def files(folder: Path) -> dict:
    return (
        {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }
        if folder.exists()
        else {}
    )


@pytest.fixture
def populated(app, people):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from coproduce.uploads import check_upload, store_upload

    with app.test_request_context():
        team = get_team("youth")
        team.translations = {"cy": {"name": "Ieuenctid", "description": "Disgrifiad ✓"}}
        team.archived_at = utcnow()
        db.session.add(DummyNote(team_id=team.id, author_id=people["member"], text="Nodyn — ✓ 日本"))
        state = db.session.execute(db.select(PluginState)).scalar_one()
        state.settings = {"greeting": "croeso", "limits": [1, 2.5]}
        db.session.add(AuditEvent(action="test.event", target="x", details={"nested": {"a": [1, "b"]}}))
        db.session.commit()
        store_upload(check_upload(FileStorage(BytesIO(b"%PDF-1.4 a backup test"), "a.pdf")))
    return app


def run(app, *args):
    return CliRunner().invoke(build_cli(app), list(args), catch_exceptions=False)


def test_backup_then_restore_gives_the_same_tables_and_files(populated, make_app, databases, tmp_path):
    source = populated
    archive = tmp_path / "site.zip"
    result = run(source, "backup", str(archive))
    assert result.exit_code == 0, result.output
    assert "Backing up [" in result.output and "Backup written to" in result.output

    target = make_app(DATABASE_URL=databases.create_empty(), INSTANCE_PATH=tmp_path / "new-instance")
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output

    assert table_contents(target) == table_contents(source)
    assert files(Path(target.instance_path) / "uploads") == files(Path(source.instance_path) / "uploads")
    assert files(Path(source.instance_path) / "uploads")
    with target.app_context():
        db.session.add(Team(slug="after-restore", name="New"))  # ids continue after the restored rows
        db.session.commit()
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 5


def test_restore_refuses_an_installation_that_has_data(populated, tmp_path):
    archive = tmp_path / "site.zip"
    run(populated, "backup", str(archive))
    result = CliRunner().invoke(build_cli(populated), ["restore", str(archive)])
    assert result.exit_code == 1
    assert "is not empty" in result.output and "Traceback" not in result.output


def test_restore_refuses_a_file_that_is_not_a_backup(make_app, databases, tmp_path):
    bogus = tmp_path / "photos.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("../../evil.txt", "x")
    app = make_app(DATABASE_URL=databases.create_empty())
    result = CliRunner().invoke(build_cli(app), ["restore", str(bogus)])
    assert result.exit_code == 1 and "not a Coproduce backup" in result.output


def test_backup_never_overwrites_a_file(populated, tmp_path):
    existing = tmp_path / "keep.zip"
    existing.write_bytes(b"precious")
    result = CliRunner().invoke(build_cli(populated), ["backup", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_bytes() == b"precious"


def _key_pair(folder: Path) -> tuple[Path, Path]:
    """A secret key file as age-keygen writes it, and a file holding only its public key."""
    from pyrage import x25519

    folder.mkdir(parents=True, exist_ok=True)
    identity = x25519.Identity.generate()
    secret, public = folder / "backup-key.txt", folder / "backup-key.pub"
    secret.write_text(f"# created: today\n# public key: {identity.to_public()}\n{identity}\n", encoding="utf-8")
    public.write_text(f"{identity.to_public()}\n", encoding="utf-8")
    return secret, public


def test_an_encrypted_backup_holds_nothing_readable_and_restores_with_the_key(populated, make_app, databases, tmp_path):
    secret, public = _key_pair(tmp_path / "keys")
    (tmp_path / "backups").mkdir()
    archive = tmp_path / "backups" / "site.zip.age"
    result = run(populated, "backup", str(archive), "--key", str(public))  # the server needs only the public key
    assert result.exit_code == 0, result.output
    assert "(encrypted)" in result.output and "same folder" not in result.output
    sealed = archive.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1")
    assert b"manifest.json" not in sealed and b"admin@example.org" not in sealed and b"PK\x03\x04" not in sealed
    assert not list((tmp_path / "backups").glob("*.partial"))

    target = make_app(DATABASE_URL=databases.create_empty(), INSTANCE_PATH=tmp_path / "new-instance")
    without = CliRunner().invoke(build_cli(target), ["restore", str(archive)])
    assert without.exit_code == 1 and "is encrypted" in without.output
    only_public = CliRunner().invoke(build_cli(target), ["restore", str(archive), "--key", str(public)])
    assert only_public.exit_code == 1 and "is encrypted" in only_public.output
    _other, _ = _key_pair(tmp_path / "other")
    wrong = CliRunner().invoke(build_cli(target), ["restore", str(archive), "--key", str(_other)])
    assert wrong.exit_code == 1 and "right key" in wrong.output and "Traceback" not in wrong.output

    restored = run(target, "restore", str(archive), "--key", str(secret))
    assert restored.exit_code == 0, restored.output
    assert table_contents(target) == table_contents(populated)
    assert files(Path(target.instance_path) / "uploads") == files(Path(populated.instance_path) / "uploads")
    assert not list(Path(target.instance_path).glob(".restore-*"))  # the decrypted copy is gone


def test_a_key_file_that_is_not_an_age_key_is_refused_plainly(populated, tmp_path):
    bad = tmp_path / "keys" / "key.txt"
    bad.parent.mkdir()
    bad.write_text("# a note\nnot a key\n", encoding="utf-8")
    result = CliRunner().invoke(build_cli(populated), ["backup", str(tmp_path / "site.zip"), "--key", str(bad)])
    assert result.exit_code == 1 and "line 2 of the key file" in result.output
    assert not (tmp_path / "site.zip").exists()
