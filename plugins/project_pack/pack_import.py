"""Reading a pack ZIP back into a project. Every part is checked; a bad pack stores nothing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app
from werkzeug.datastructures import FileStorage

from coproduce.plugins import (
    CONTENT_LANGUAGES,
    UploadError,
    check_upload,
    db,
    delete_upload,
    store_upload,
    utcnow,
)
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.models import (
    LOG_KINDS,
    STATUSES,
    Contact,
    Criterion,
    Document,
    Evidence,
    LogEntry,
    Project,
    SkillNeed,
)
from coproduce_plugins.project_pack.pack import FORMAT
from coproduce_plugins.project_pack.skills import SKILLS

# Limits checked from the ZIP's directory before a byte is inflated, so a small hostile file cannot hold a
# worker: how many files, how much they unpack to in all and for each byte sent, and how many items
# pack.json may list (each becomes rows and, for documents, a hash and a content check).
MAX_ENTRIES = 500
MAX_UNPACKED = 200 * 1024 * 1024
#: Unpacked bytes for each byte of the ZIP (documents are mostly PDFs and pictures, which barely shrink);
#: below MIN_RATIO_CHECK unpacked the ratio is not looked at (a small pack.json shrinks a lot).
MAX_RATIO = 50
MIN_RATIO_CHECK = 16 * 1024 * 1024
MAX_JSON = 10 * 1024 * 1024
MAX_ITEMS = 2000
#: Figures are stored with 12 digits before the point and 2 after.
MAX_FIGURE = Decimal("1e12")


class PackError(ValueError):
    """The pack cannot be imported; str(error) says why, for the person importing it."""


def _text(value, limit: int, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PackError(_("pack.json is not valid: %(field)s must be text", field=field))
    return value[:limit]


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PackError(_("pack.json is not valid: %(field)s must be a date", field=field)) from None


def _list(value, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PackError(_("pack.json is not valid: %(field)s must be a list", field=field))
    return value


def _dict(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise PackError(_("pack.json is not valid: %(field)s must be an object", field=field))
    return value


def _languages(item: dict, record):
    """The record's own language and its other languages from pack.json (packs made before they had none).

    Languages this site does not speak, and fields it does not translate, are left out."""
    own = item.get("content_language")
    if isinstance(own, str) and own in CONTENT_LANGUAGES:
        record.content_language = own
    for code, fields in _dict(item.get("translations") or {}, "translations").items():
        for name, value in _dict(fields, "translations").items():
            if code in CONTENT_LANGUAGES and name in record.translated_fields:
                record.set_text(name, code, _text(value, 20000, name))
    return record


def open_pack(data: bytes) -> tuple[dict, dict[str, bytes]]:
    """(pack.json, {document path: bytes}) from ZIP bytes, with zip-bomb and path checks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PackError(_("The file is not a project pack: it must be a ZIP file exported from Coproduce")) from None
    unpacked = sum(e.file_size for e in entries)
    too_compressed = unpacked > MIN_RATIO_CHECK and unpacked > MAX_RATIO * len(data)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED or too_compressed:
        raise PackError(_("The pack unpacks to far more than its size, so it was refused"))
    names = {e.filename: e for e in entries}
    if "pack.json" not in names or names["pack.json"].file_size > MAX_JSON:
        raise PackError(_("The ZIP file has no pack.json, so it is not a project pack"))
    try:
        manifest = json.loads(archive.read("pack.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, RuntimeError):  # RecursionError: nested too deep
        raise PackError(_("pack.json could not be read")) from None
    manifest = _dict(manifest, "pack")
    if manifest.get("format") != FORMAT or manifest.get("version") != 1:
        raise PackError(_("This pack was made by a version of Coproduce this site cannot read"))
    seen: set[str] = set()
    for item in _list(manifest.get("documents"), "documents"):
        path = item.get("file") if isinstance(item, dict) else None
        if not isinstance(path, str):
            continue
        if path in seen:  # one large document listed thousands of times would be read and checked each time
            raise PackError(_("pack.json lists the same document more than once: %(name)s", name=path))
        seen.add(path)
    evidence = sum(
        len(item["evidence"])
        for item in _list(manifest.get("criteria"), "criteria")
        if isinstance(item, dict) and isinstance(item.get("evidence"), list)
    )
    sizes = [len(_list(manifest.get(section), section)) for section in ("documents", "contacts", "skills", "log")]
    if max(sizes + [len(_list(manifest.get("criteria"), "criteria")), evidence]) > MAX_ITEMS:
        raise PackError(_("The pack unpacks to far more than its size, so it was refused"))
    files = {}
    largest = current_app.config["UPLOAD_MAX_BYTES"]
    for item in _list(manifest.get("documents"), "documents"):
        path = _dict(item, "documents").get("file")
        if not isinstance(path, str) or not path.startswith("documents/") or ".." in path or path not in names:
            raise PackError(_("A document listed in pack.json is missing from the ZIP file"))
        if names[path].file_size > largest:
            raise PackError(_("The pack unpacks to far more than its size, so it was refused"))
        try:
            files[path] = archive.read(path)
        except (zipfile.BadZipFile, RuntimeError, ValueError, OSError):
            raise PackError(_("A document in the pack is damaged")) from None
    return manifest, files


def _check_documents(manifest: dict, files: dict[str, bytes]) -> dict[str, tuple]:
    """Each document's checked upload, its title and its pack.json entry, by path."""
    checked = {}
    for item in manifest.get("documents") or []:
        path = item["file"]
        data = files[path]
        if hashlib.sha256(data).hexdigest() != item.get("sha256"):
            raise PackError(_("A document in the pack has changed since it was exported: %(name)s", name=path))
        try:
            upload = check_upload(FileStorage(io.BytesIO(data), filename=_text(item.get("name"), 200, "name")))
        except UploadError as error:
            raise PackError(f"{path}: {error}") from None
        checked[path] = (upload, _text(item.get("title"), 200, "title"), item)
    return checked


def import_pack(team, data: bytes, actor=None) -> Project:
    """Create a new project in the team from pack bytes. Raises PackError (nothing stored) when it is wrong."""
    manifest, files = open_pack(data)
    info = _dict(manifest.get("project"), "project")
    status = info.get("status")
    if not isinstance(status, str) or status not in STATUSES:
        raise PackError(_("pack.json is not valid: the status is unknown"))
    title = _text(info.get("title"), 200, "title").strip()
    if not title:
        raise PackError(_("pack.json is not valid: the project has no title"))
    checked = _check_documents(manifest, files)
    project = Project(
        team_id=team.id,
        title=title,
        summary=_text(info.get("summary"), 500, "summary"),
        background=_text(info.get("background"), 20000, "background"),
        status=status,
        goals="\n".join(_text(g, 500, "goals") for g in _list(info.get("goals"), "goals")),
        set_in_stone="\n".join(_text(g, 500, "set_in_stone") for g in _list(info.get("set_in_stone"), "set_in_stone")),
        up_for_grabs="\n".join(_text(g, 500, "up_for_grabs") for g in _list(info.get("up_for_grabs"), "up_for_grabs")),
        lead_name=_text(info.get("lead_name"), 120, "lead_name"),
        co_owner_name=_text(info.get("co_owner_name"), 120, "co_owner_name"),
        co_owner_role=_text(info.get("co_owner_role"), 120, "co_owner_role"),
        owners_public=info.get("owners_public") is True,
    )
    _languages(info, project)
    project.refresh_search()
    for item in _list(manifest.get("contacts"), "contacts"):
        item = _dict(item, "contacts")
        consent = item.get("consent_to_publish") is True
        project.contacts.append(
            Contact(
                name=_text(item.get("name"), 120, "name") or "?",
                role=_text(item.get("role"), 120, "role"),
                organisation=_text(item.get("organisation"), 160, "organisation"),
                reach=_text(item.get("reach"), 300, "reach"),
                consent_to_publish=consent,
                consent_recorded_at=_datetime(item.get("consent_recorded_at"), "consent_recorded_at")
                if consent
                else None,
            )
        )
    for item in _list(manifest.get("skills"), "skills"):
        item = _dict(item, "skills")
        if isinstance(item.get("skill"), str) and item["skill"] in SKILLS:
            need = SkillNeed(skill=item["skill"], note=_text(item.get("note"), 300, "note"))
            project.skills.append(_languages(item, need))
    last = None
    for item in _list(manifest.get("log"), "log"):
        item = _dict(item, "log")
        if not isinstance(item.get("kind"), str) or item["kind"] not in LOG_KINDS:
            raise PackError(_("pack.json is not valid: a log entry has an unknown kind"))
        day = _date(item.get("happened_on"), "happened_on") or date.today()
        entry = LogEntry(
            kind=item["kind"],
            happened_on=day,
            text=_text(item.get("text"), 20000, "text"),
            working_together=_text(item.get("working_together"), 20000, "working_together"),
            author_name=_text(item.get("author_name"), 120, "author_name") or "?",
        )
        project.log.append(_languages(item, entry))
        last = utcnow()
    project.last_log_at = last
    stored = []
    try:
        documents = {}
        for path, (upload, title_text, item) in checked.items():
            saved = store_upload(upload)
            stored.append(saved.key)
            documents[path] = Document(
                key=saved.key,
                name=saved.name,
                title=title_text,
                kind=saved.kind,
                mime=saved.mime,
                size=saved.size,
                sha256=saved.sha256,
                uploaded_by_id=getattr(actor, "id", None),
            )
            project.documents.append(_languages(item, documents[path]))
        for item in _list(manifest.get("criteria"), "criteria"):
            item = _dict(item, "criteria")
            criterion = Criterion(
                what=_text(item.get("what"), 300, "what") or "?",
                measure=_text(item.get("measure"), 300, "measure"),
                target=_text(item.get("target"), 200, "target"),
            )
            _languages(item, criterion)
            for ev in _list(item.get("evidence"), "evidence"):
                ev = _dict(ev, "evidence")
                evidence = Evidence(
                    note=_text(ev.get("note"), 5000, "note"),
                    figure=_decimal(ev.get("figure")),
                    observed_on=_date(ev.get("observed_on"), "observed_on"),
                    document=documents.get(ev.get("document")) if isinstance(ev.get("document"), str) else None,
                    author_name=_text(ev.get("author_name"), 120, "author_name"),
                )
                criterion.evidence.append(_languages(ev, evidence))
            project.criteria.append(criterion)
        db.session.add(project)
        db.session.flush()
    except Exception:
        for key in stored:
            delete_upload(key)
        raise
    return project


def _decimal(value) -> Decimal | None:
    """A figure as the evidence form takes it: finite, and still within 12 digits once rounded to pence."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise PackError(_("pack.json is not valid: a figure is not a number"))
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise PackError(_("pack.json is not valid: a figure is not a number")) from None
    # copy_abs, not abs(): abs() rounds in the decimal context, and 1e9999999 overflows it.
    if not number.is_finite() or number.copy_abs() >= MAX_FIGURE:
        raise PackError(_("pack.json is not valid: a figure is not a number"))
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number.copy_abs() >= MAX_FIGURE:  # 999999999999.999 rounds up to 13 digits
        raise PackError(_("pack.json is not valid: a figure is not a number"))
    return number


def _datetime(value, field: str) -> datetime | None:
    """A time with its offset from UTC (as exports write them); a time without one is ambiguous."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        raise PackError(_("pack.json is not valid: %(field)s must be a date and time with a time zone", field=field))
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before the first day Python can hold
        raise PackError(
            _("pack.json is not valid: %(field)s must be a date and time with a time zone", field=field)
        ) from None
