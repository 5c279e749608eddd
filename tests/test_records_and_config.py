"""Records and configuration: secret links never reach the log in full, CR/LF cannot forge a log line,
/healthz tells the public only whether the site is up, instance files are the service user's alone,
check-deploy names the remaining unsafe set-ups, and gunicorn does not announce itself."""

from __future__ import annotations

import logging
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.deploy_check import check_settings
from coproduce.extensions import db
from coproduce.testing.fixtures import get_team, sign_in

PUBLIC = {"REMOTE_ADDR": "203.0.113.9"}
SECRET = "Zq8VwX3kLm9PqR2sT5uY7aB4cD6eF1gH"


def _log_lines(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "path",
    [
        f"/reset-password/{SECRET}",
        f"/reset-password/eyJ1c2VyIjoxfQ.{SECRET}",
        f"/t/youth/readiness/a/abcdefghij/r/{SECRET}/about",
        f"/t/youth/social-value/supplier/1/{SECRET}",
        f"/t/youth/social-value/supplier/1/{SECRET}/extra",  # no route: still redacted by its looks
    ],
)
def test_secret_tokens_in_paths_never_reach_the_log(app, people, caplog, path):
    with caplog.at_level(logging.INFO, logger="coproduce"):
        app.test_client().get(path)
    lines = _log_lines(caplog)
    assert "[redacted]" in lines
    assert SECRET not in lines and SECRET[:12] not in lines


def test_slugs_and_ids_stay_readable_in_the_log(app, people, caplog):
    with caplog.at_level(logging.INFO, logger="coproduce.requests"):
        app.test_client().get("/t/youth/projects/12")
    assert "/t/youth/projects/12" in _log_lines(caplog)


def test_line_breaks_in_a_path_cannot_forge_a_log_line(app, people, caplog):
    with caplog.at_level(logging.INFO, logger="coproduce"):
        response = app.test_client().get("/x%0d%0a2026-12-01 12:00:00 INFO coproduce.requests: GET /admin 200")
    assert response.status_code == 400
    lines = [record.getMessage() for record in caplog.records]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any("\\x0d\\x0a" in line for line in lines)


def test_healthz_tells_the_public_only_that_it_is_up(app, people):
    response = app.test_client().get("/healthz", environ_base=PUBLIC)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_details_are_for_site_admins_and_the_host_itself(app, people):
    local = app.test_client().get("/healthz")  # the test client comes from 127.0.0.1
    assert "worker" in local.get_json() and "plugins" in local.get_json()
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    body = admin.get("/healthz", environ_base=PUBLIC).get_json()
    assert body["checks"]["database"] == "ok" and "worker" in body
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert member.get("/healthz", environ_base=PUBLIC).get_json() == {"status": "ok"}


def test_healthz_tells_the_public_unavailable_when_the_database_is_down(make_app):
    app = make_app(
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/nothing",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = app.test_client().get("/healthz", environ_base=PUBLIC)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def _private(path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def test_instance_files_are_readable_by_the_service_user_only(tmp_path):
    from coproduce import create_app
    from coproduce.mail import send_mail
    from coproduce.uploads import check_upload, store_upload, upload_folder

    previous = os.umask(0o022)  # a usual login umask: group and others may read
    try:
        instance = tmp_path / "instance"
        instance.mkdir(mode=0o755)
        app = create_app({"INSTANCE_PATH": instance, "TESTING": True, "TASKS_IMMEDIATE": True}, plugins=[])
        with app.app_context():
            from coproduce.migrations_config import upgrade_all

            upgrade_all()
            from io import BytesIO

            from werkzeug.datastructures import FileStorage

            stored = store_upload(check_upload(FileStorage(BytesIO(b"%PDF-1.4\n%%EOF"), filename="a.pdf")))
            send_mail("someone@example.org", "Hello", "Body")
            db.engine.dispose()
        result = CliRunner().invoke(build_cli(app), ["backup", str(instance / "backup.zip")])
        assert result.exit_code == 0, result.output
        paths = [instance, instance / "secret_key", instance / "coproduce.db", instance / "backup.zip"]
        paths += [upload_folder_path for upload_folder_path in (instance / "uploads").rglob("*")]
        paths += list((instance / "outbox").iterdir())
        assert any(stored.key in str(p) for p in paths)
        assert all(_private(p) for p in paths), [oct(os.stat(p).st_mode) for p in paths if not _private(p)]
        assert upload_folder  # the folder helper is the one the site uses
    finally:
        os.umask(previous)


def test_the_install_guide_sets_a_private_umask_for_the_service():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "install.md").read_text(encoding="utf-8")
    assert "UMask=0077" in guide


SOUND = {
    "DEBUG": False,
    "SECRET_KEY": "k" * 48,
    "DATABASE_URL": "postgresql+psycopg://db/x",
    "WORKERS": 4,
    "SITE_URL": "https://coproduce.example.gov.uk",
    "TRUST_PROXY": True,
    "REDIS_URL": "redis://127.0.0.1",
}


def test_check_deploy_warns_about_smtp_passwords_without_tls():
    smtp = {**SOUND, "MAIL_SERVER": "smtp.example.gov.uk", "MAIL_USERNAME": "coproduce", "MAIL_PASSWORD": "pw"}
    assert [f.setting for f in check_settings(smtp, True)] == ["COPRODUCE_MAIL_USE_TLS"]
    assert check_settings({**smtp, "MAIL_USE_TLS": True}, True) == []
    assert check_settings({**SOUND, "MAIL_SERVER": "localhost"}, True) == []  # a local relay without a password


def test_check_deploy_warns_about_memory_rate_limits_with_several_workers():
    memory = {**SOUND, "REDIS_URL": "", "RATELIMIT_STORAGE_URI": "memory://"}
    found = check_settings(memory, signup_open=False)
    assert [f.setting for f in found] == ["COPRODUCE_REDIS_URL"] and "4 workers" in found[0].problem
    assert check_settings({**memory, "WORKERS": 1}, False) == []
    assert check_settings({**memory, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1"}, False) == []


def test_check_deploy_warns_about_supplier_links_valid_for_a_year(app, people):
    from datetime import date

    from coproduce_plugins.procurement_social_value.models import Contract, Supplier
    from coproduce_plugins.procurement_social_value.store import create_link

    with app.app_context():
        team = get_team("youth")
        supplier = Supplier(team_id=team.id, name="Green Ltd")
        contract = Contract(
            team_id=team.id,
            reference="C-1",
            title="Parks",
            supplier=supplier,
            value_pence=1,
            start_date=date(2026, 1, 1),
            end_date=date(2027, 1, 1),
        )
        db.session.add(contract)
        db.session.flush()
        create_link(contract, None, days=90)
        db.session.commit()
        contract_id = contract.id
    result = CliRunner().invoke(build_cli(app), ["check-deploy"])
    assert "supplier links" not in result.output
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        link, _ = create_link(contract, None, days=365)
        db.session.commit()
        link_id = link.id
    result = CliRunner().invoke(build_cli(app), ["check-deploy"])
    assert result.exit_code == 1
    assert "UNSAFE supplier links: a live supplier link stays valid for 364 more days" in result.output
    with app.app_context():
        from coproduce.models import utcnow
        from coproduce_plugins.procurement_social_value.models import SupplierLink

        link = db.session.get(SupplierLink, link_id)
        link.revoked_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "supplier links" not in CliRunner().invoke(build_cli(app), ["check-deploy"]).output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_does_not_announce_gunicorn(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "COPRODUCE_INSTANCE_PATH": str(tmp_path / "instance"),
        "COPRODUCE_SECRET_KEY": "s" * 40,
    }
    subprocess.run([sys.executable, "-m", "coproduce", "db", "upgrade"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "coproduce", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    headers = response.headers
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("the server did not start")
                time.sleep(0.3)
        assert "Server" not in headers, headers.get("Server")
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        process.terminate()
        process.wait(timeout=60)
