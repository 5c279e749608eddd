"""Documents: checked by content, capped in size, names cleaned, served only to the team, CSV previews."""

import io

import pytest

from coproduce.plugins import db
from coproduce_plugins.project_pack.models import Document
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client

CSV = b'Name,Score\n=HYPERLINK("http://evil"),3\n<b>bold</b>,4\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client, pid, data, name, title=""):
    return client.post(
        f"{BASE}/{pid}/documents/new",
        data={"title": title, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored_count(app):
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Document.id))).scalar_one()


def files_on_disk(app):
    from pathlib import Path

    folder = Path(app.instance_path) / "uploads"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_csv_is_stored_previewed_and_downloaded_by_members_only(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    assert upload(client, pid, CSV, "scores.csv", "Scores").status_code == 302
    with app.app_context():
        doc = db.session.execute(db.select(Document)).scalar_one()
        did, key = doc.id, doc.key
    assert key not in doc.name and len(files_on_disk(app)) == 1 and files_on_disk(app)[0].name == key
    preview = client.get(f"{BASE}/{pid}/documents/{did}/preview").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in preview and '<td class="govuk-table__cell">4</td>' in preview
    download = client.get(f"{BASE}/{pid}/documents/{did}")
    assert download.status_code == 200 and download.data == CSV
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert app.test_client().get(f"{BASE}/{pid}/documents/{did}").status_code == 302
    outsider = member_client(app, "outsider@example.org")
    assert outsider.get(f"{BASE}/{pid}/documents/{did}").status_code == 403
    assert outsider.get(f"{BASE}/{pid}/documents/{did}/preview").status_code == 403


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"<html><script>alert(1)</script></html>\x00", "report.pdf", "must be a PDF, CSV"),
        (b"MZ\x90\x00\x03" + b"\x00" * 50, "photo.png", "must be a PDF, CSV"),
        (b"", "empty.csv", "The file is empty"),
        (b"PK\x03\x04not really a zip", "sheet.xlsx", "damaged"),
    ],
)
def test_spoofed_or_broken_files_say_why_and_store_nothing(app, people, youth, data, name, message):
    client = member_client(app)
    pid = make_project(app, client)
    response = upload(client, pid, data, name)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert stored_count(app) == 0 and files_on_disk(app) == []


def test_no_file_chosen_is_an_error(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    response = client.post(f"{BASE}/{pid}/documents/new", data={"title": "x"}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Choose a file" in response.get_data(as_text=True)


def test_oversize_files_are_refused(make_app, people_factory=None):
    app = make_app(plugins=["coproduce_plugins.project_pack", "tests.dummy_plugin"], UPLOAD_MAX_BYTES=2048)
    from coproduce.testing.fixtures import add_team, add_user

    with app.app_context():
        member = add_user("m@example.org")
        add_team("youth", owner=member, plugins=("project_pack",))
    client = member_client(app, "m@example.org")
    pid = make_project(app, client)
    response = upload(client, pid, b"a,b\n" + b"1,2\n" * 1000, "big.csv")
    assert response.status_code == 200 and "smaller than" in response.get_data(as_text=True)
    assert stored_count(app) == 0


def test_path_tricks_in_names_are_cleaned_and_the_real_type_wins(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    response = upload(client, pid, PNG, '../..\\windows\\evil\x07"name.pdf')
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        doc = db.session.execute(db.select(Document)).scalar_one()
        assert doc.kind == "png" and "/" not in doc.name and ".." not in doc.name and "\n" not in doc.name
        assert doc.name.endswith(".png")
        did = doc.id
    response = client.get(f"{BASE}/{pid}/documents/{did}")
    assert response.mimetype == "image/png" and "\n" not in response.headers["Content-Disposition"]
    assert client.get(f"{BASE}/{pid}/documents/{did}/preview").status_code == 404  # only CSV has a preview


def test_removing_a_document_deletes_the_file(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    upload(client, pid, CSV, "scores.csv")
    with app.app_context():
        did = db.session.execute(db.select(Document.id)).scalar_one()
    assert client.post(f"{BASE}/{pid}/documents/{did}/delete").status_code == 302
    assert stored_count(app) == 0 and files_on_disk(app) == []
