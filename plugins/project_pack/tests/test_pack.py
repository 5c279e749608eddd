"""The pack: ZIP with index.html, CSV files, documents and pack.json; import back; PDF."""

import csv
import io
import json
import re
import zipfile
import zlib

import pytest
from click.testing import CliRunner

from coproduce.plugins import db
from coproduce.testing import job_file
from coproduce_plugins.project_pack.models import Document, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client
from coproduce_plugins.project_pack.tests.test_uploads import CSV, PNG, upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def full_project(app, client) -> int:
    pid = make_project(app, client, title="=Evil title", summary="+danger")
    client.post(
        f"{BASE}/{pid}/contacts/new", data={"name": "Agreeing Alice", "reach": "alice@example.net", "consent": "y"}
    )
    client.post(f"{BASE}/{pid}/contacts/new", data={"name": "@Private Pete", "reach": "-07700 900999"})
    client.post(f"{BASE}/{pid}/skills/new", data={"skill": "growing", "note": "=1+1"})
    client.post(
        f"{BASE}/{pid}/log/new",
        data={
            "kind": "decision",
            "happened_on": ["1", "5", "2026"],
            "text": "We chose the site",
            "working_together": "Slowly",
        },
    )
    upload(client, pid, CSV, "scores.csv", "Scores")
    upload(client, pid, PNG, "photo.png")
    upload(client, pid, PDF, "plan.pdf", "Plan")
    with app.app_context():
        project = db.session.get(Project, pid)
        cid, did = project.criteria[0].id, project.documents[0].id
    client.post(
        f"{BASE}/{pid}/criteria/{cid}/evidence/new", data={"note": "Counted", "figure": "31.50", "document": str(did)}
    )
    return pid


def read_zip(response):
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return zipfile.ZipFile(io.BytesIO(response.data))


def rows(archive, name):
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_zip_holds_index_csvs_documents_and_pack_json(app, people, youth):
    client = member_client(app)
    pid = full_project(app, client)
    archive = read_zip(client.get(f"{BASE}/{pid}/pack.zip"))
    names = set(archive.namelist())
    assert {"index.html", "pack.json", "contacts.csv", "skills.csv", "log.csv", "outcomes.csv"} <= names
    assert {"documents/001-scores.csv", "documents/002-photo.png", "documents/003-plan.pdf"} <= names
    assert archive.read("documents/001-scores.csv") == CSV and archive.read("documents/003-plan.pdf") == PDF
    index = archive.read("index.html").decode()
    assert 'href="documents/001-scores.csv"' in index and "http" not in index.split("<body>")[0].lower().replace(
        'charset="utf-8"', ""
    )  # nothing loaded from the network
    assert "Dummy panel" in index and "for pack" in index  # other plugins' sections, through the hook
    # formula neutralising in every CSV
    contacts = rows(archive, "contacts.csv")
    assert ["'@Private Pete", "", "", "'-07700 900999", "No"] in contacts
    assert rows(archive, "skills.csv")[1][1] == "'=1+1"
    outcomes = rows(archive, "outcomes.csv")
    assert outcomes[1][3] == "Counted" and outcomes[1][4] == "31.50" and outcomes[1][6] == "scores.csv"
    manifest = json.loads(archive.read("pack.json"))
    assert manifest["project"]["title"] == "=Evil title"  # JSON keeps the real text
    assert len(manifest["contacts"]) == 2


def test_the_shareable_pack_holds_only_consented_contacts(app, people, youth):
    client = member_client(app)
    pid = full_project(app, client)
    archive = read_zip(client.get(f"{BASE}/{pid}/pack.zip?share=1"))
    for name in ("index.html", "pack.json", "contacts.csv"):
        text = archive.read(name).decode("utf-8-sig")
        assert "Agreeing Alice" in text and "Private Pete" not in text and "900999" not in text, name


def test_only_members_export(app, people, youth):
    client = member_client(app)
    pid = full_project(app, client)
    assert app.test_client().get(f"{BASE}/{pid}/pack.zip").status_code == 302
    assert member_client(app, "outsider@example.org").get(f"{BASE}/{pid}/pack.zip").status_code == 403
    assert member_client(app, "citizen@example.org").get(f"{BASE}/{pid}/pack.pdf").status_code == 403


def snapshot(app, pid):
    with app.app_context():
        p = db.session.get(Project, pid)
        from coproduce_plugins.project_pack.pack import pack_data

        data = pack_data(p)
        data["documents"] = [{k: v for k, v in d.items()} for d in data["documents"]]
        return data


def test_export_then_import_gives_the_same_project_and_documents_byte_for_byte(app, people, youth):
    client = member_client(app)
    pid = full_project(app, client)
    pack = client.get(f"{BASE}/{pid}/pack.zip").data
    response = client.post(
        f"{BASE}/import", data={"file": (io.BytesIO(pack), "pack.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with app.app_context():
        new_id = db.session.execute(db.select(Project.id).order_by(Project.id.desc())).scalars().first()
    assert new_id != pid
    assert snapshot(app, new_id) == snapshot(app, pid)
    again = zipfile.ZipFile(io.BytesIO(client.get(f"{BASE}/{new_id}/pack.zip").data))
    original = zipfile.ZipFile(io.BytesIO(pack))
    for name in original.namelist():
        if name.startswith("documents/") or name.endswith(".csv") or name == "pack.json":
            assert again.read(name) == original.read(name), name
    with app.app_context():
        keys = db.session.execute(db.select(Document.key)).scalars().all()
        assert len(keys) == len(set(keys)) == 6


def test_the_cli_imports_a_pack_into_a_team(app, people, youth, tmp_path):
    client = member_client(app)
    pid = full_project(app, client)
    path = tmp_path / "pack.zip"
    path.write_bytes(client.get(f"{BASE}/{pid}/pack.zip").data)
    from coproduce.testing import build_cli

    runner = CliRunner()
    result = runner.invoke(build_cli(app), ["projects", "import", str(path), "--team", "parks"])
    assert result.exit_code == 0, result.output
    assert "Imported =Evil title" in result.output
    result = runner.invoke(build_cli(app), ["projects", "import", str(path), "--team", "nobody"])
    assert result.exit_code != 0 and "no team called nobody" in result.output


def zip_of(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = {"format": "coproduce-project-pack", "version": 1, "project": {"title": "T", "status": "idea"}}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not a zip", "not a project pack"),
        (zip_of({"hello.txt": "hi"}), "no pack.json"),
        (zip_of({"pack.json": "{broken"}), "could not be read"),
        (zip_of({"pack.json": json.dumps({"format": "other"})}), "cannot read"),
        (zip_of({"pack.json": json.dumps({**GOOD, "project": {"title": "T", "status": "dreaming"}})}), "status"),
        (zip_of({"pack.json": json.dumps({**GOOD, "documents": [{"file": "../../etc/passwd"}]})}), "missing"),
        (
            zip_of(
                {
                    "pack.json": json.dumps(
                        {**GOOD, "documents": [{"file": "documents/001-x.pdf", "name": "x.pdf", "sha256": "0" * 64}]}
                    ),
                    "documents/001-x.pdf": b"MZ evil",
                }
            ),
            "has changed",
        ),
        (
            zip_of({"pack.json": json.dumps({**GOOD, "log": [{"kind": "progress", "happened_on": "yesterday"}]})}),
            "must be a date",
        ),
    ],
)
def test_bad_packs_say_why_and_store_nothing(app, people, youth, data, message):
    client = member_client(app)
    response = client.post(
        f"{BASE}/import", data={"file": (io.BytesIO(data), "pack.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 0


def test_a_spoofed_document_inside_a_pack_is_refused(app, people, youth):
    import hashlib

    evil = b"<script>alert(1)</script>\x00"
    data = zip_of(
        {
            "pack.json": json.dumps(
                {
                    **GOOD,
                    "documents": [
                        {"file": "documents/001-x.pdf", "name": "x.pdf", "sha256": hashlib.sha256(evil).hexdigest()}
                    ],
                }
            ),
            "documents/001-x.pdf": evil,
        }
    )
    response = member_client(app).post(
        f"{BASE}/import", data={"file": (io.BytesIO(data), "p.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and "must be a PDF, CSV" in response.get_data(as_text=True)


def pdf_text(data: bytes) -> bytes:
    """The PDF's object streams, unpacked: enough to read its bookmarks (the headings) and language."""
    out = b""
    for match in re.finditer(rb"stream\n(.*?)\nendstream", data, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            pass
    return out


def test_the_pdf_is_the_whole_pack(app, people, youth):
    pytest.importorskip("weasyprint")
    client = member_client(app)
    pid = full_project(app, client)
    asked = client.get(f"{BASE}/{pid}/pack.pdf")
    assert asked.status_code == 200 and "Prepare it" in asked.get_data(as_text=True)
    response = job_file(client, client.post(f"{BASE}/{pid}/pack.pdf"))
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(response.data)
    assert response.data.startswith(b"%PDF-") and b"/Lang (en)" in text
    for heading in (
        b"=Evil title",
        b"Contacts",
        b"Progress and learning log",
        b"Outcomes and evidence",
        b"Dummy panel",
    ):
        assert b"/Title (" + heading + b")" in text, heading


def test_the_pdf_follows_the_page_language(app, people, youth):
    pytest.importorskip("weasyprint")
    client = member_client(app)
    pid = full_project(app, client)
    response = job_file(client, client.post(f"{BASE}/{pid}/pack.pdf?lang=cy"))
    assert b"/Lang (cy)" in pdf_text(response.data)
