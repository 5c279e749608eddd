"""Pack work the worker does for the person who asked: PDF builds, large ZIPs and large pack imports."""

from __future__ import annotations

from flask import url_for

from coproduce.plugins import JobInput, JobResult, add_job_kind, db, read_upload, record
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.pack_import import PackError, import_pack


def configure(app) -> None:
    add_job_kind(app, "project_pack.pack_pdf", build_pdf)
    add_job_kind(app, "project_pack.pack_zip", build_zip)
    add_job_kind(app, "project_pack.pack_import", run_import)


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _project(job: JobInput):
    from coproduce_plugins.project_pack.views import get_project

    return get_project(int(job.params["project_id"]))


def build_pdf(job: JobInput) -> JobResult:
    from weasyprint import HTML

    from coproduce_plugins.project_pack.views_pack import file_stem, pack_html

    project = _project(job)
    consented_only = bool(job.params.get("share"))
    body = HTML(string=pack_html(project, consented_only, True)).write_pdf()
    return JobResult(
        _("The PDF of the project pack is ready."),
        file=body,
        file_name=f"{file_stem(project)}-pack.pdf",
        mime="application/pdf",
    )


def build_zip(job: JobInput) -> JobResult:
    from coproduce_plugins.project_pack.pack import write_zip
    from coproduce_plugins.project_pack.views_pack import file_stem, pack_html

    project = _project(job)
    consented_only = bool(job.params.get("share"))
    body = write_zip(project, pack_html(project, consented_only, False), read_upload, consented_only)
    return JobResult(
        _("The project pack is ready."), file=body, file_name=f"{file_stem(project)}-pack.zip", mime="application/zip"
    )


def run_import(job: JobInput) -> JobResult:
    try:
        project = import_pack(job.team, job.data(), actor=job.user)
    except PackError as error:
        db.session.rollback()
        return JobResult(
            _("Nothing was imported: %(reason)s", reason=str(error)),
            ok=False,
            link=url_for("project_pack.import_form"),
            link_text=_("Try another file"),
        )
    record("project_pack.pack_imported", actor=job.user, team=job.team, target=f"project:{project.id}")
    db.session.commit()
    return JobResult(
        _("Project imported: %(title)s.", title=project.title),
        link=url_for("project_pack.project", project_id=project.id),
        link_text=_("Go to the project"),
    )
