"""Hostile packs: wrong JSON types, times without a zone and figures too large for the column each give a
message and store nothing; a ZIP bomb and a pack listing one document thousands of times are refused
before the work is done; the import limit is the server's request limit."""

import hashlib
import io
import json
import time
import zipfile

import pytest

from coproduce.plugins import db
from coproduce_plugins.project_pack.models import Contact, Document, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, member_client
from coproduce_plugins.project_pack.tests.test_uploads import PNG

GOOD = {"format": "coproduce-project-pack", "version": 1, "project": {"title": "T", "status": "idea"}}


WORKER_TIMEOUT = 60  # seconds, coproduce.server


def zip_of(files: dict, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pack(**sections) -> bytes:
    return zip_of({"pack.json": json.dumps({**GOOD, **sections})})


def post_pack(app, data: bytes):
    return member_client(app).post(
        f"{BASE}/import", data={"file": (io.BytesIO(data), "pack.zip")}, content_type="multipart/form-data"
    )


def projects(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Project.id))).scalar_one()


CRITERION = {"what": "W", "measure": "M", "target": "1"}


@pytest.mark.parametrize(
    "data, message",
    [
        (zip_of({"pack.json": "[" * 100_000 + "]" * 100_000}), "pack.json could not be read"),
        (pack(project={"title": "T", "status": ["idea"]}), "the status is unknown"),
        (pack(project={"title": "T", "status": {"a": 1}}), "the status is unknown"),
        (pack(log=[{"kind": ["progress"], "happened_on": "2026-01-01"}]), "unknown kind"),
        (pack(log=[{"kind": "progress", "happened_on": 20260101}]), "must be a date"),
        (pack(skills=[{"skill": ["facilitation"]}]), None),
        (pack(criteria=[{**CRITERION, "evidence": [{"note": "n", "document": ["documents/x"]}]}]), None),
        (pack(criteria=[{**CRITERION, "evidence": [{"figure": "1e9999999"}]}]), "a figure is not a number"),
        (pack(criteria=[{**CRITERION, "evidence": [{"figure": "999999999999.999"}]}]), "a figure is not a number"),
        (pack(criteria=[{**CRITERION, "evidence": [{"figure": ["1"]}]}]), "a figure is not a number"),
        (pack(criteria=[{**CRITERION, "evidence": [{"figure": True}]}]), "a figure is not a number"),
        (
            pack(contacts=[{"name": "A", "consent_to_publish": True, "consent_recorded_at": "2026-03-01T10:00:00"}]),
            "consent_recorded_at must be a date and time with a time zone",
        ),
        (
            pack(contacts=[{"name": "A", "consent_to_publish": True, "consent_recorded_at": "0001-01-01T00:00+14:00"}]),
            "consent_recorded_at must be a date and time with a time zone",
        ),
        (pack(contacts=[{"name": "A", "consent_to_publish": True, "consent_recorded_at": 5}]), "time zone"),
    ],
)
def test_wrong_types_and_out_of_range_values_say_why_and_store_nothing(app, people, youth, data, message):
    response = post_pack(app, data)
    assert response.status_code in (200, 302)
    if message is None:  # the value is ignored, as an unknown one is: the project is imported without it
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert projects(app) == 0


def test_a_time_with_a_zone_is_kept_in_utc(app, people, youth):
    data = pack(
        contacts=[{"name": "A", "consent_to_publish": True, "consent_recorded_at": "2026-03-01T10:00:00+01:00"}]
    )
    assert post_pack(app, data).status_code == 302
    with app.app_context():
        contact = db.session.execute(db.select(Contact)).scalar_one()
        assert contact.consent_recorded_at.isoformat() == "2026-03-01T09:00:00+00:00"


def test_a_zip_bomb_is_refused_before_it_is_inflated(app, people, youth):
    bomb = b"\0" * (200 * 1024 * 1024)  # 200 MB of zeros squeeze into about 200 KB
    listed = {"file": "documents/001-x.pdf", "name": "x.pdf", "sha256": hashlib.sha256(bomb).hexdigest()}
    data = zip_of(
        {"pack.json": json.dumps({**GOOD, "documents": [listed]}), "documents/001-x.pdf": bomb}, zipfile.ZIP_DEFLATED
    )
    del bomb
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    response = post_pack(app, data)
    # Not a speed target (those live in benchmarks/): the request must end long before gunicorn's
    # 60-second worker timeout, which is what the unbounded import used to hit.
    assert time.perf_counter() - started < WORKER_TIMEOUT / 2
    assert response.status_code == 200
    assert "unpacks to far more than its size" in response.get_data(as_text=True)
    assert projects(app) == 0


def test_a_document_larger_than_an_upload_is_refused_unread(make_app, people):
    app = make_app(plugins=["coproduce_plugins.project_pack", "tests.dummy_plugin"], UPLOAD_MAX_BYTES=64 * 1024)
    with app.app_context():
        from coproduce.testing.fixtures import get_team

        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    big = PNG + b"\0" * (200 * 1024)
    listed = {"file": "documents/001-x.png", "name": "x.png", "sha256": hashlib.sha256(big).hexdigest()}
    data = zip_of(
        {"pack.json": json.dumps({**GOOD, "documents": [listed]}), "documents/001-x.png": big}, zipfile.ZIP_DEFLATED
    )
    response = post_pack(app, data)
    assert "unpacks to far more than its size" in response.get_data(as_text=True)
    assert projects(app) == 0


def test_a_pack_listing_one_document_thousands_of_times_is_refused_at_once(app, people, youth):
    document = PNG + b"\1" * (2 * 1024 * 1024)
    listed = {"file": "documents/001-x.png", "name": "x.png", "sha256": hashlib.sha256(document).hexdigest()}
    data = zip_of(
        {"pack.json": json.dumps({**GOOD, "documents": [listed] * 5000}), "documents/001-x.png": document},
        zipfile.ZIP_DEFLATED,
    )
    assert len(data) < 200 * 1024
    started = time.perf_counter()
    response = post_pack(app, data)
    # Not a speed target (those live in benchmarks/): the request must end long before gunicorn's
    # 60-second worker timeout, which is what the unbounded import used to hit.
    assert time.perf_counter() - started < WORKER_TIMEOUT / 2
    assert response.status_code == 200
    assert "lists the same document more than once" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Document.id))).scalar_one() == 0
    assert projects(app) == 0


def test_too_many_items_are_refused(app, people, youth):
    response = post_pack(app, pack(log=[{"kind": "progress", "happened_on": "2026-01-01"}] * 2001))
    assert "unpacks to far more than its size" in response.get_data(as_text=True)
    assert projects(app) == 0


def test_the_import_limit_is_the_servers_request_limit(make_app, people):
    app = make_app(plugins=["coproduce_plugins.project_pack", "tests.dummy_plugin"], UPLOAD_MAX_BYTES=1024 * 1024)
    with app.app_context():
        from coproduce.testing.fixtures import get_team

        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    assert app.config["MAX_CONTENT_LENGTH"] > 1024 * 1024
    too_big = zip_of({"pack.json": json.dumps(GOOD), "padding.bin": b"x" * (1024 * 1024 + 10)})
    response = post_pack(app, too_big)  # under the server's limit, over the pack's: the form says so
    assert response.status_code == 200
    assert "The pack must be smaller than 1 MB" in response.get_data(as_text=True)
    fits = zip_of({"pack.json": json.dumps(GOOD)})
    assert post_pack(app, fits).status_code == 302
