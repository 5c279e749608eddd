"""Uploaded files: type checked from the content, size capped, stored outside the web root.

Plugins use these through coproduce.plugins: check_upload() then store_upload(), and send_upload()
to serve a stored file after their own permission check. Only these kinds are accepted:
PDF, CSV, XLSX, DOCX, ODT, PNG and JPEG.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
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


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _path(key: str) -> Path:
    if not KEY_PATTERN.match(key or ""):
        raise FileNotFoundError(key)
    return upload_folder() / key[:2] / key


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


def store_bytes(data: bytes) -> str:
    """Write generated bytes (an export, a build, an import waiting for the worker) under a new random key."""
    key = secrets.token_urlsafe(24)
    path = _path(key)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(data)
    return key


def read_upload(key: str) -> bytes:
    return _path(key).read_bytes()


def delete_upload(key: str) -> None:
    _path(key).unlink(missing_ok=True)


def send_upload(key: str, name: str, mime: str):
    """Serve a stored file as a download that no browser will run as a page."""
    path = _path(key)
    if not path.exists():
        raise FileNotFoundError(key)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C") or "download"
    response = send_file(path, mimetype=mime, as_attachment=True, download_name=name, conditional=True)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
