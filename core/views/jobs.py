"""The files and imports a person asked the site to prepare (coproduce.jobs): each one's page and download."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required

from coproduce.extensions import db
from coproduce.jobs import jobs_of, role_of, still_allowed
from coproduce.models.job import BackgroundJob
from coproduce.uploads import send_upload

bp = Blueprint("jobs", __name__)


@bp.app_template_global("file_size")
def file_size(size: int) -> str:
    """A file's size as GOV.UK writes it beside a download link: "245 KB", "1.2 MB"."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024)), format="#,##0"))
    return _("%(size)s MB", size=format_decimal(size / 1024 / 1024, format="#,##0.0"))


def _own(token: str) -> BackgroundJob:
    """The signed-in person's job with this token; anyone else's, or none, is "not found"."""
    job = db.session.execute(db.select(BackgroundJob).where(BackgroundJob.token == token[:64])).scalar_one_or_none()
    if job is None or job.user_id != current_user.id or not still_allowed(job):
        abort(404)  # someone else's, or theirs from a team (or role) they no longer have
    return job


@bp.get("/account/files")
@login_required
def jobs():
    allowed: dict[tuple, bool] = {}  # one check per team and role, not per job
    shown = []
    for job in jobs_of(current_user):
        key = (job.team_id, role_of(job))
        if key not in allowed:
            allowed[key] = still_allowed(job)
        if allowed[key]:
            shown.append(job)
    return render_template("jobs/list.html", jobs=shown)


@bp.get("/account/files/<token>")
@login_required
def job(token: str):
    response = render_template("jobs/job.html", job=_own(token))
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.get("/account/files/<token>/download")
@login_required
def download(token: str):
    job = _own(token)
    if not job.file_key:
        abort(404)
    try:
        return send_upload(job.file_key, job.file_name, job.file_mime)
    except FileNotFoundError:
        abort(404)
