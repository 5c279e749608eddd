"""Uploaded files: type checked from the content, size capped, stored outside the web root.

Plugins use these through coproduce.plugins: check_upload() then store_upload(), and send_upload()
to serve a stored file after their own permission check. Only these kinds are accepted:
PDF, CSV, XLSX, DOCX, ODT, PNG and JPEG. Files are kept in the site's storage (STORAGE_URL,
coproduce.storage: the instance folder, a shared folder or an S3-compatible store), which every
server of the site shares; store_bytes() keeps generated files (exports) there too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l

MIME = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class UploadError(ValueError):
    """The file cannot be accepted; str(error) is a message for the person who sent it."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    data: bytes
    name: str

    @property
    def mime(self) -> str:
        return MIME[self.kind]


@dataclass(frozen=True)
class StoredFile:
    key: str
    kind: str
    mime: str
    size: int
    sha256: str
    name: str


def safe_name(filename: str | None, kind: str) -> str:
    """A display name without folders or control characters, ending in the real type's extension."""
    base = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().strip(".")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"\s+", " ", stem)[:120].strip() or "document"
    return f"{stem}.{'jpg' if kind == 'jpeg' else kind}"


def _office_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadError(_l("The file is damaged: it could not be opened")) from None
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > ZIP_MAX_ENTRIES or unpacked > ZIP_MAX_UNPACKED or unpacked > ZIP_MAX_RATIO * max(len(data), 1):
        raise UploadError(_l("The file unpacks to far more than its size, so it was refused"))
    names = {e.filename for e in entries}
    if "word/document.xml" in names and "[Content_Types].xml" in names:
        return "docx"
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return "xlsx"
    if "mimetype" in names and archive.read("mimetype").strip() == MIME["odt"].encode():
        return "odt"
    raise UploadError(_l("The file must be a PDF, CSV, XLSX, DOCX, ODT, PNG or JPEG"))


def _looks_like_csv(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if not text.strip() or any(ord(c) < 32 and c not in "\r\n\t" for c in text):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows)


def detect_kind(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    if _looks_like_csv(data):
        return "csv"
    raise UploadError(_l("The file must be a PDF, CSV, XLSX, DOCX, ODT, PNG or JPEG"))


def check_upload(file_storage, allowed: tuple[str, ...] = tuple(MIME)) -> CheckedFile:
    """Read and check an uploaded file (a werkzeug FileStorage). Raises UploadError with the reason."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise UploadError(_l("Choose a file"))
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.stream.read(limit + 1)
    if not data:
        raise UploadError(_l("The file is empty"))
    if len(data) > limit:
        raise UploadError(_l("The file must be smaller than %(size)s MB", size=f"{limit / 1024 / 1024:g}"))
    kind = detect_kind(data)
    if kind not in allowed:
        raise UploadError(_l("This kind of file is not accepted here"))
    return CheckedFile(kind=kind, data=data, name=safe_name(file_storage.filename, kind))


def init_storage(app) -> None:
    """Put the app's storage (STORAGE_URL) on it; a URL that is not allowed stops start-up (ConfigError)."""
    from coproduce.storage import build_storage

    app.extensions["storage"] = build_storage(app.config.get("STORAGE_URL") or "", Path(app.instance_path))


def storage():
    """The app's storage back end (coproduce.storage): a folder or an object store, shared by every server."""
    return current_app.extensions["storage"]


def upload_folder() -> Path:
    """The folder files are kept in when the storage is a folder (the instance's uploads/ by default)."""
    found = storage()
    return found.root if found.kind == "folder" else Path(current_app.instance_path) / "uploads"


def _name(key: str) -> str:
    """The file's name inside the storage: "<first two characters>/<key>"."""
    if not KEY_PATTERN.match(key or ""):
        raise FileNotFoundError(key)
    return f"{key[:2]}/{key}"


def _path(key: str) -> Path:
    """Where a key's file is in a folder storage (kept for callers that want a path; prefer the functions below)."""
    return upload_folder() / _name(key)


def store_bytes(data: bytes) -> str:
    """Write bytes (an upload, a generated export) under a new random key and return the key."""
    key = secrets.token_urlsafe(24)
    storage().write(_name(key), data)
    return key


def store_upload(checked: CheckedFile) -> StoredFile:
    """Write the file under a random key; the key, not the name, finds it again."""
    key = store_bytes(checked.data)
    return StoredFile(
        key=key,
        kind=checked.kind,
        mime=checked.mime,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        name=checked.name,
    )


def read_upload(key: str) -> bytes:
    return storage().read(_name(key))


def delete_upload(key: str) -> None:
    storage().delete(_name(key))


def send_upload(key: str, name: str, mime: str):
    """Serve a stored file as a download that no browser will run as a page."""
    found = storage()
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C") or "download"
    if found.kind == "folder":
        path = found.path(_name(key))
        if not path.is_file():
            raise FileNotFoundError(key)
        response = send_file(path, mimetype=mime, as_attachment=True, download_name=name, conditional=True)
    else:
        # A file never changes once written, so its key is a sound ETag; ranges and 304s work as for a folder.
        data = io.BytesIO(found.read(_name(key)))
        response = send_file(data, mimetype=mime, as_attachment=True, download_name=name, conditional=True, etag=key)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
