"""The storage every server of a site shares (STORAGE_URL): a folder, or an S3-compatible object store.

The object store here is a real S3 HTTP server (moto's server mode, from PyPI) on a free local port, spoken
to through obstore exactly as a council's S3 or MinIO would be.
"""

from __future__ import annotations

import hashlib
import socket
import urllib.request
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.datastructures import FileStorage

from coproduce import ConfigError
from coproduce.cli import build_cli
from coproduce.uploads import check_upload, delete_upload, read_upload, send_upload, store_bytes, store_upload

PDF = b"%PDF-1.4 a council's minutes\n" + bytes(range(256)) * 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch):
    """A new bucket on the S3 server, and the standard AWS_* variables a council would set for it."""
    name = f"council-{uuid.uuid4().hex[:10]}"
    urllib.request.urlopen(urllib.request.Request(f"{s3_server}/{name}", method="PUT")).read()
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "coproduce")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
    monkeypatch.setenv("AWS_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_ALLOW_HTTP", "true")
    return name


def upload(data: bytes = PDF, name: str = "minutes.pdf"):
    return store_upload(check_upload(FileStorage(BytesIO(data), name)))


@pytest.mark.parametrize(
    "url",
    ["relative/folder", "ftp://files.example/coproduce", "s3:///no-bucket", "file://fileserver/share"],
)
def test_a_storage_url_that_is_not_allowed_stops_start_up_naming_the_setting(make_app, url):
    with pytest.raises(ConfigError, match="COPRODUCE_STORAGE_URL"):
        make_app(STORAGE_URL=url)


def test_by_default_files_stay_in_the_instance_folder(app):
    with app.test_request_context():
        stored = upload()
        assert (Path(app.instance_path) / "uploads" / stored.key[:2] / stored.key).read_bytes() == PDF


def test_two_servers_with_their_own_instance_folders_share_one_storage_folder(make_app, tmp_path):
    shared = tmp_path / "council-file-server" / "coproduce"
    first = make_app(INSTANCE_PATH=tmp_path / "one", STORAGE_URL=str(shared))
    second = make_app(INSTANCE_PATH=tmp_path / "two", STORAGE_URL=f"file://{shared}")
    with first.test_request_context():
        stored = upload()
        export = store_bytes(b"generated,export\n")
    assert not (tmp_path / "one" / "uploads").exists()
    with second.test_request_context():
        assert read_upload(stored.key) == PDF
        assert read_upload(export) == b"generated,export\n"
        delete_upload(export)
    with first.test_request_context(), pytest.raises(FileNotFoundError):
        read_upload(export)
    # Readable by the service's user only, like everything else the site keeps.
    assert (shared / stored.key[:2] / stored.key).stat().st_mode & 0o077 == 0


def test_files_in_an_s3_store_are_written_read_served_and_deleted(make_app, bucket):
    app = make_app(STORAGE_URL=f"s3://{bucket}/coproduce")
    with app.test_request_context():
        stored = upload()
        assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
        assert read_upload(stored.key) == PDF
        assert not (Path(app.instance_path) / "uploads").exists()
    with app.test_request_context():
        response = send_upload(stored.key, "minutes.pdf", "application/pdf")
        response.direct_passthrough = False
        assert response.get_data() == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        delete_upload(stored.key)
        with pytest.raises(FileNotFoundError):
            read_upload(stored.key)
        with pytest.raises(FileNotFoundError):
            send_upload(stored.key, "minutes.pdf", "application/pdf")
        delete_upload(stored.key)  # deleting what is gone is not an error


def test_a_download_from_an_s3_store_answers_a_range_and_a_repeat_as_from_a_folder(make_app, bucket):
    app = make_app(STORAGE_URL=f"s3://{bucket}/ranges")
    with app.test_request_context():
        stored = upload()

    from flask import Blueprint

    bp = Blueprint("download_probe", __name__)
    bp.add_url_rule("/probe/<key>", "probe", lambda key: send_upload(key, "minutes.pdf", "application/pdf"))
    app.register_blueprint(bp)
    client = app.test_client()
    part = client.get(f"/probe/{stored.key}", headers={"Range": "bytes=0-7"})
    assert part.status_code == 206 and part.data == PDF[:8]
    whole = client.get(f"/probe/{stored.key}")
    assert whole.status_code == 200 and whole.data == PDF
    again = client.get(f"/probe/{stored.key}", headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304


def test_a_backup_holds_the_s3_files_and_restores_them_into_a_folder(make_app, bucket, tmp_path, databases):
    source = make_app(STORAGE_URL=f"s3://{bucket}/live")
    with source.test_request_context():
        first, second = upload(), upload(b"%PDF-1.4 another\n", "b.pdf")
    target_file = tmp_path / "backup.zip"
    result = CliRunner().invoke(build_cli(source), ["backup", str(target_file)])
    assert result.exit_code == 0, result.output
    assert "2 files" in result.output

    restored = make_app(
        INSTANCE_PATH=tmp_path / "new-server",
        DATABASE_URL=databases.create_empty(),
        STORAGE_URL=str(tmp_path / "new-files"),
    )
    result = CliRunner().invoke(build_cli(restored), ["restore", str(target_file)])
    assert result.exit_code == 0, result.output
    with restored.test_request_context():
        assert read_upload(first.key) == PDF
        assert read_upload(second.key) == b"%PDF-1.4 another\n"


def test_healthz_says_when_the_storage_cannot_be_reached(make_app, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the shared folder should be")
    app = make_app(STORAGE_URL=str(blocker / "coproduce"))
    response = app.test_client().get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    details = app.test_client().get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    assert details["checks"]["storage"].startswith("unreachable")
    assert details["checks"]["database"] == "ok"
