"""Pack work off the request path: PDFs always, ZIPs holding many megabytes of documents, large imports.
The person who asked is emailed a link to download the file (or to see the import's outcome)."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from coproduce.plugins import db
from coproduce.testing import job_file, job_page, outbox, sign_in
from coproduce.testing.smtp import wait_until
from coproduce_plugins.project_pack.models import Document, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client
from coproduce_plugins.project_pack.tests.test_pack import full_project


def _projects(app) -> list[str]:
    with app.app_context():
        return db.session.execute(db.select(Project.title).order_by(Project.id)).scalars().all()


@pytest.mark.slow
def test_a_pdf_is_built_by_the_worker_while_the_page_answers_at_once(
    make_app, mail_server, queue_settings, workers, people, youth
):
    pytest.importorskip("weasyprint")
    app = make_app(TASKS_IMMEDIATE=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_server.port, **queue_settings)
    client = app.test_client()
    sign_in(client, "member@example.org")
    pid = make_project(app, client, title="Food for all")
    started = time.monotonic()
    path, html = job_page(client, client.post(f"{BASE}/{pid}/pack.pdf"))
    assert time.monotonic() - started < 5
    assert "Being prepared" in html and "we will email you at member@example.org" in html
    workers(app)
    received = mail_server.wait_for(1, 90)
    assert len(received) == 1, "the worker never told the person"
    mail = received[0]
    assert mail["To"] == "member@example.org" and mail["Subject"] == "Ready: Project pack PDF: Food for all"
    link = re.search(r"https?://\S+(/account/files/\S+)", mail.get_payload(decode=True).decode()).group(1)
    assert link == path
    download = client.get(f"{link}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.mimetype == "application/pdf"
    assert "food-for-all-pack.pdf" in download.headers["Content-Disposition"]
    # Nobody else, even in the same team, can fetch it.
    owner = member_client(app, "owner@example.org")
    assert owner.get(f"{link}/download").status_code == 404
    assert wait_until(lambda: "Download food-for-all-pack.pdf" in client.get(link).get_data(as_text=True), 10)


def test_a_pdf_is_never_started_by_a_link_alone(app, people, youth):
    client = member_client(app)
    pid = full_project(app, client)
    page = client.get(f"{BASE}/{pid}/pack.pdf")
    assert page.status_code == 200
    assert "Prepare it" in page.get_data(as_text=True)
    assert client.get("/account/files").get_data(as_text=True).count("/account/files/") == 0


def test_a_large_zip_is_prepared_in_the_background_and_holds_every_document(make_app, people, youth):
    app = make_app(BACKGROUND_EXPORT_BYTES=100)  # the pack's documents are more than 100 bytes
    client = member_client(app)
    pid = full_project(app, client)
    page = client.get(f"{BASE}/{pid}/pack.zip?share=1")
    assert page.status_code == 200 and "This pack holds many documents" in page.get_data(as_text=True)
    download = job_file(client, client.post(f"{BASE}/{pid}/pack.zip?share=1"))
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert len([n for n in archive.namelist() if n.startswith("documents/")]) == 3
    assert "Private Pete" not in archive.read("index.html").decode()  # the pack to share: consenting contacts only
    assert outbox(app)[-1]["Subject"] == "Ready: Project pack ZIP to share: =Evil title"


def test_a_large_import_runs_in_the_background_and_links_to_the_new_project(make_app, people, youth):
    app = make_app(BACKGROUND_IMPORT_BYTES=1)
    client = member_client(app)
    pid = full_project(app, client)
    pack = client.get(f"{BASE}/{pid}/pack.zip").data
    response = client.post(
        f"{BASE}/import", data={"file": (io.BytesIO(pack), "our pack.zip")}, content_type="multipart/form-data"
    )
    _, html = job_page(client, response)
    assert "Project imported: =Evil title." in html and "Go to the project" in html
    assert _projects(app) == ["=Evil title", "=Evil title"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Document)).scalar() == 6
    assert outbox(app)[-1]["Subject"] == "Ready: Project pack import: our pack.zip"


def test_a_bad_pack_imported_in_the_background_stores_nothing_and_says_why(make_app, people, youth):
    app = make_app(BACKGROUND_IMPORT_BYTES=1)
    client = member_client(app)
    response = client.post(
        f"{BASE}/import",
        data={"file": (io.BytesIO(b"PK\x03\x04 not really a zip"), "broken.zip")},
        content_type="multipart/form-data",
    )
    _, html = job_page(client, response)
    assert "This was not done" in html and "Nothing was imported:" in html
    assert "Try another file" in html
    assert _projects(app) == []
    assert outbox(app)[-1]["Subject"] == "Not done: Project pack import: broken.zip"


def test_a_pack_is_prepared_only_from_the_sites_own_button(make_app, people, youth):
    from coproduce.testing.hostile import signed_in_with_token

    plain = make_app()
    pid = full_project(plain, member_client(plain))
    app = make_app(WTF_CSRF_ENABLED=True, BACKGROUND_EXPORT_BYTES=100)  # the same database, as in production
    signed_in = signed_in_with_token(app, "member@example.org")
    for url in (f"{BASE}/{pid}/pack.pdf", f"{BASE}/{pid}/pack.zip", f"{BASE}/{pid}/pack.pdf?share=1"):
        response = signed_in.post(url, data={"csrf_token": "forged"})
        assert response.status_code in (200, 400), url
        assert "/account/files/" not in response.headers.get("Location", "")
    listing = signed_in.get("/account/files").get_data(as_text=True)
    assert "You have not asked for any yet." in listing
