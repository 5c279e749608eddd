"""Pack downloads (ZIP and PDF) and the pack import form."""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from coproduce.plugins import (
    current_team,
    db,
    export_in_background,
    import_in_background,
    job_url,
    prepare_page,
    read_upload,
    record,
    require_team_role,
    start_job,
)
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.forms import ConfirmForm, ImportForm
from coproduce_plugins.project_pack.jobs import pdf_available
from coproduce_plugins.project_pack.pack import document_path, write_zip
from coproduce_plugins.project_pack.pack_import import PackError, import_pack
from coproduce_plugins.project_pack.public_view import view_for
from coproduce_plugins.project_pack.render import local_markdown
from coproduce_plugins.project_pack.views import bp, get_project, panels


def import_max_bytes() -> int:
    """The largest pack: the site's upload limit, which the server's request limit (MAX_CONTENT_LENGTH) is
    built from, so a pack the form would take is never cut off by the server first."""
    return current_app.config["UPLOAD_MAX_BYTES"]


def file_stem(project) -> str:
    return re.sub(r"[^a-z0-9]+", "-", project.title.lower()).strip("-")[:60] or "project"


def pack_html(project, consented_only: bool, for_print: bool) -> str:
    view = view_for(project, consented_only)
    paths = {doc.id: document_path(n, doc.name) for n, doc in enumerate(project.documents, start=1)}
    return render_template(
        "project_pack/pack.html",
        project=project,
        view=view,
        paths=paths,
        background=local_markdown(project, "background"),
        panels=panels(project, "pack"),
        consented_only=consented_only,
        for_print=for_print,
        lang=str(get_locale()),
    )


def _download(body: bytes, mime: str, name: str):
    response = current_app.response_class(body, mimetype=mime)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _audit_export(project, consented_only: bool, file_format: str) -> None:
    """Every download of a pack is recorded: a full pack holds every contact's details."""
    record(
        "project_pack.pack_exported",
        actor=current_user,
        team=current_team(),
        target=f"project:{project.id}",
        kind="share" if consented_only else "full",
        format=file_format,
    )
    db.session.commit()


def _kind_label(project, file_format: str, consented_only: bool) -> str:
    labels = {
        ("pdf", False): _("Project pack PDF: %(title)s", title=project.title),
        ("pdf", True): _("Project pack PDF to share: %(title)s", title=project.title),
        ("zip", False): _("Project pack ZIP: %(title)s", title=project.title),
        ("zip", True): _("Project pack ZIP to share: %(title)s", title=project.title),
    }
    return labels[(file_format, consented_only)]


def _prepare_page(project, file_format: str, consented_only: bool):
    """The page for a pack built in the background: one button starts it (a GET never does)."""
    reasons = {
        "pdf": _("A PDF takes a little while to make, so the site prepares it in the background."),
        "zip": _("This pack holds many documents, so the site prepares it in the background."),
    }
    notes = {
        True: _("It will hold only the contacts who agreed to publication."),
        False: _(
            "It will hold every contact's details: keep it safe. Your download is recorded in the team's audit log."
        ),
    }
    return prepare_page(
        _kind_label(project, file_format, consented_only),
        reasons[file_format],
        url_for(f"project_pack.pack_{file_format}", project_id=project.id, share="1" if consented_only else None),
        url_for("project_pack.project", project_id=project.id),
        notes[consented_only],
    )


def _start(project, file_format: str, consented_only: bool):
    job = start_job(
        f"project_pack.pack_{file_format}",
        _kind_label(project, file_format, consented_only),
        {"project_id": project.id, "share": consented_only},
    )
    _audit_export(project, consented_only, file_format)
    return redirect(job_url(job))


def _zip_in_background(project) -> bool:
    return export_in_background(size=sum(doc.size for doc in project.documents))


@bp.route("/<int:project_id>/pack.zip", methods=["GET", "POST"])
@require_team_role("member")
def pack_zip(project_id: int):
    """A pack's ZIP: at once when it is small; a large one (many megabytes of documents) in the background."""
    project = get_project(project_id)
    consented_only = request.values.get("share") == "1"
    if _zip_in_background(project):
        if request.method == "POST" and ConfirmForm().validate_on_submit():
            return _start(project, "zip", consented_only)
        return _prepare_page(project, "zip", consented_only)
    body = write_zip(project, pack_html(project, consented_only, False), read_upload, consented_only)
    _audit_export(project, consented_only, "zip")
    return _download(body, "application/zip", f"{file_stem(project)}-pack.zip")


@bp.route("/<int:project_id>/pack.pdf", methods=["GET", "POST"])
@require_team_role("member")
def pack_pdf(project_id: int):
    """A pack's PDF, always built in the background (a PDF takes seconds): the person is emailed a link."""
    project = get_project(project_id)
    consented_only = request.values.get("share") == "1"
    if not pdf_available():
        return render_template("project_pack/no_pdf.html", project=project), 503
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        return _start(project, "pdf", consented_only)
    return _prepare_page(project, "pdf", consented_only)


@bp.route("/import", methods=["GET", "POST"])
@require_team_role("member")
def import_form():
    form = ImportForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        limit = import_max_bytes()
        data = upload.stream.read(limit + 1) if upload and upload.filename else b""
        if not data:
            form.file.errors = [_("Choose a project pack (ZIP file)")]
        elif len(data) > limit:
            form.file.errors = [_("The pack must be smaller than %(size)s MB", size=f"{limit / 1024 / 1024:g}")]
        elif import_in_background(len(data)):
            job = start_job(
                "project_pack.pack_import", _("Project pack import: %(name)s", name=upload.filename), data=data
            )
            return redirect(job_url(job))
        else:
            try:
                project = import_pack(current_team(), data, actor=current_user)
            except PackError as error:
                db.session.rollback()
                form.file.errors = [str(error)]
            else:
                record(
                    "project_pack.pack_imported",
                    actor=current_user,
                    team=current_team(),
                    target=f"project:{project.id}",
                )
                db.session.commit()
                flash(_("Project imported."), "success")
                return redirect(url_for("project_pack.project", project_id=project.id))
    return render_template(
        "project_pack/upload.html",
        form=form,
        heading=_("Import a project pack"),
        back=url_for("project_pack.manage"),
        intro=_("Choose a ZIP file exported from this or another Coproduce site."),
    )
