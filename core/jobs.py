"""Work a person asks for that is too slow for a page: PDF builds, large exports and large imports.

A page calls `start_job(kind, label, params, data)` and sends the person to the job's page; the worker
runs the kind's function (registered with `add_job_kind` in a plugin's configure_app) as that person,
in the language of the page that asked, and its team, and keeps its outcome: a file to download, or a message and a report (an
import's rows). The person is emailed a link to the job's page when it is done. Only they can see it.

A job is claimed before it runs (claimed_until), so a second copy of its queue entry never runs it twice;
a job lost with its worker is queued again by the sweep once its claim runs out, at most JOB_MAX_ATTEMPTS
times. Finished jobs and their files go a month after they finished (rule core.jobs); an import's
file goes as soon as it has been read.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import nh3
from flask import current_app, g, url_for
from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select, update

from coproduce.extensions import db
from coproduce.mail import send_mail_in_print_languages
from coproduce.models import Team, User
from coproduce.models.job import FAILED, FINISHED, READY, REFUSED, WAITING, WORKING, BackgroundJob
from coproduce.models.types import utcnow
from coproduce.uploads import delete_upload, read_upload, store_bytes

logger = logging.getLogger("coproduce.jobs")
TABLE = BackgroundJob.__table__
ROLE_KEY = "_role"  # in a job's params: the team role asking for it needed
DEFAULTS = {
    "JOB_LEASE_SECONDS": 900,  # how long a worker's claim on a job lasts
    "JOB_MAX_ATTEMPTS": 3,
    "BACKGROUND_IMPORT_BYTES": 256 * 1024,  # imports larger than this go to the worker (a setting)
    "BACKGROUND_EXPORT_ROWS": 2000,  # exports with more rows than this go to the worker (a setting)
    "BACKGROUND_EXPORT_BYTES": 5 * 1024 * 1024,  # exports bundling more bytes than this (pack ZIPs) too
}


@dataclass
class JobResult:
    """What a job made. ok=False: refused (e.g. an import with bad rows), with the reason in message.

    detail: HTML from the plugin's own (autoescaped) template, shown on the job's page: a row report.
    link, link_text: where to go next (the imported project, the contracts list).
    """

    message: str
    ok: bool = True
    file: bytes | None = None
    file_name: str = ""
    mime: str = "application/octet-stream"
    detail: str = ""
    link: str = ""
    link_text: str = ""


@dataclass
class JobInput:
    """What a job's function is given: what the page passed, and who asked, in which team."""

    params: dict[str, Any]
    user: User
    team: Team | None
    input_key: str | None = field(default=None, repr=False)

    def data(self) -> bytes:
        """The bytes the page passed (the uploaded file of an import)."""
        if not self.input_key:
            raise LookupError("this job was given no file")
        return read_upload(self.input_key)


def printable_line(text: str) -> str:
    """One line with no control characters: a label may hold a file's name, and it becomes an email's subject."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def import_in_background(size: int) -> bool:
    """Is an import of this many bytes one for the worker (BACKGROUND_IMPORT_BYTES; 0: every import)?"""
    limit = setting("BACKGROUND_IMPORT_BYTES")
    return limit == 0 or size > limit


def export_in_background(rows: int = 0, size: int = 0) -> bool:
    """Is an export of this many rows (or bundling this many bytes) one for the worker (BACKGROUND_EXPORT_ROWS)?"""
    limit = setting("BACKGROUND_EXPORT_ROWS")
    return limit == 0 or rows > limit or size > setting("BACKGROUND_EXPORT_BYTES")


def add_job_kind(app, kind: str, run: Callable[[JobInput], JobResult]) -> None:
    """Register a kind of job, "<plugin>.<what>", in configure_app. run(job_input) -> JobResult runs in
    the worker inside a request context: url_for, render_template, gettext, current_team() and
    current_user work as on the page that started it. Raise nothing for bad input: return ok=False."""
    app.extensions.setdefault("job_kinds", {})[kind] = run


def start_job(
    kind: str, label: str, params: dict | None = None, data: bytes | None = None, role: str = "member"
) -> BackgroundJob:
    """From a page: queue a job of `kind` for the signed-in person (and the request's team). Commits.

    label: what the person asked for, in their words ("Project pack PDF: Food for all"); data: a file
    the job needs (kept until the job is done); role: "owner" for work only owners may ask for. The job
    runs, and its outcome can be seen, only while the person still has that role in the team (or is a
    site admin). Send the person to job_url(job) afterwards."""
    if kind not in current_app.extensions.get("job_kinds", {}):
        raise KeyError(f"no job kind {kind!r}: add it with add_job_kind")
    team = g.get("team")
    job = BackgroundJob(
        token=secrets.token_urlsafe(32),
        kind=kind,
        label=printable_line(str(label))[:300],
        user_id=current_user.id,
        team_id=team.id if team is not None else None,
        locale=str(get_locale() or current_app.config["DEFAULT_LOCALE"]),
        params=json.dumps({**(params or {}), ROLE_KEY: role}),
        input_key=store_bytes(data) if data is not None else None,
        status=WAITING,
        attempts=0,
    )
    db.session.add(job)
    db.session.commit()
    enqueue(job.id)
    return job


def prepare_page(label: str, reason: str, action: str, back: str, note: str = ""):
    """The page a GET shows for work done in the background: what it is, why it takes a while, and one button
    that POSTs to `action` (a link alone never starts a job). The view starts the job on that POST."""
    from flask import render_template

    from coproduce.forms import ConfirmForm

    return render_template(
        "jobs/prepare.html", label=label, reason=reason, action=action, back=back, note=note, form=ConfirmForm()
    )


def role_of(job: BackgroundJob) -> str:
    """The team role asking for the job needed: "member" or "owner"."""
    return json.loads(job.params or "{}").get(ROLE_KEY, "member")


def still_allowed(job: BackgroundJob) -> bool:
    """Whether the signed-in person still has the role in the job's team that asking for it needed."""
    if job.team_id is None:
        return True
    from coproduce.helpers import can_manage, is_member

    team = db.session.get(Team, job.team_id)
    if team is None:
        return False
    return can_manage(team) if role_of(job) == "owner" else is_member(team)


def job_url(job: BackgroundJob, external: bool = False) -> str:
    return url_for("jobs.job", token=job.token, _external=external)


def enqueue(job_id: int) -> None:
    """Queue the job's run; when the queue cannot be reached the sweep queues it later."""
    try:
        current_app.extensions["tasks"].run_job(job_id)
    except Exception:  # noqa: BLE001 - the job is kept; the sweep queues it again
        logger.exception("job %s kept but not queued; the sweep will queue it", job_id)


def _claim(job_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(TABLE)
        .where(
            TABLE.c.id == job_id,
            TABLE.c.status.in_((WAITING, WORKING)),
            or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
        )
        .values(
            status=WORKING,
            claimed_until=now + timedelta(seconds=setting("JOB_LEASE_SECONDS")),
            attempts=TABLE.c.attempts + 1,
        )
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return claimed == 1


def run_job(job_id: int) -> str:
    """The worker's task: run one job unless it is done or another worker holds it."""
    if not _claim(job_id, utcnow()):
        return "skipped"
    job = db.session.get(BackgroundJob, job_id)
    user = db.session.get(User, job.user_id) if job else None
    if job is None or user is None:
        return "skipped"
    team = db.session.get(Team, job.team_id) if job.team_id else None
    run = current_app.extensions.get("job_kinds", {}).get(job.kind)
    with current_app.test_request_context(), force_locale(job.locale):
        g._login_user = user
        if team is not None:
            g.team, g.team_slug = team, team.slug
        try:
            if run is None:
                raise LookupError(f"no job kind {job.kind!r} on this site")
            if not still_allowed(job):
                result = JobResult(
                    _("It was not done: you no longer have the role in the team that it needs."), ok=False
                )
            else:
                params = {k: v for k, v in json.loads(job.params or "{}").items() if k != ROLE_KEY}
                result = run(JobInput(params, user, team, job.input_key))
        except Exception:  # noqa: BLE001 - kept, told to the person, tried no more
            db.session.rollback()
            logger.exception("job %s (%s) failed", job_id, job.kind)
            _finish(job, FAILED, _("Something went wrong, so it was not done. Please try again later."))
        else:
            _keep(job, result)
        _tell(job, user)
    return job.status


def _keep(job: BackgroundJob, result: JobResult) -> None:
    if result.file is not None:
        job.file_key = store_bytes(result.file)
        job.file_name = result.file_name[:200]
        job.file_mime = result.mime[:120]
        job.file_size = len(result.file)
    # The report was rendered by the plugin's own escaping template; cleaned again before it is kept.
    job.detail = nh3.clean(str(result.detail or ""), attributes={"*": {"class", "id", "scope", "lang", "dir"}})
    job.link, job.link_text = result.link[:500], str(result.link_text)[:200]
    _finish(job, READY if result.ok else REFUSED, str(result.message))


def _finish(job: BackgroundJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at, job.claimed_until = status, message, utcnow(), None
    if job.input_key:
        delete_upload(job.input_key)  # an import's file may hold personal data: it goes once it was read
        job.input_key = None
    db.session.commit()


def _tell(job: BackgroundJob, user: User) -> None:
    """Email the person a link to the job's page (in the language they chose)."""

    def compose() -> tuple[str, str]:
        subjects = {
            READY: _("Ready: %(what)s", what=job.label),
            REFUSED: _("Not done: %(what)s", what=job.label),
            FAILED: _("Not done: %(what)s", what=job.label),
        }
        body = (
            _("Hello %(name)s,", name=user.display_name)
            + "\n\n"
            + (job.message or "")
            + "\n\n"
            + _("See it here (you will need to sign in): %(link)s", link=job_url(job, external=True))
            + kept_for()
        )
        return subjects[job.status], body

    # The label and message were written once, in the person's language, when the job ran.
    send_mail_in_print_languages(user.email, compose)


def kept_for() -> str:
    """How long the outcome is kept (the core.jobs retention rule), as a sentence after a blank line."""
    from coproduce.retention import months_for

    months = months_for(retention_rule())
    if not months:
        return ""
    return "\n\n" + ngettext(
        "It is kept for %(num)d month, then deleted.", "It is kept for %(num)d months, then deleted.", months
    )


def sweep(now: datetime | None = None) -> int:
    """Queue again each job whose run seems lost (waiting unclaimed for longer than a claim lasts, or claimed by a
    worker whose claim ran out); a job that was tried JOB_MAX_ATTEMPTS times fails and its person is told."""
    now = now or utcnow()
    stale = now - timedelta(seconds=setting("JOB_LEASE_SECONDS"))
    lost = (
        db.session.execute(
            select(BackgroundJob).where(
                or_(
                    (TABLE.c.status == WAITING) & (TABLE.c.created_at < stale) & TABLE.c.claimed_until.is_(None),
                    (TABLE.c.status == WORKING) & (TABLE.c.claimed_until < now),
                )
            )
        )
        .scalars()
        .all()
    )
    queued = []
    for job in lost:
        if job.attempts >= setting("JOB_MAX_ATTEMPTS"):
            user = db.session.get(User, job.user_id)
            with current_app.test_request_context(), force_locale(job.locale):
                _finish(job, FAILED, _("Something went wrong, so it was not done. Please try again later."))
                if user is not None:
                    _tell(job, user)
        else:
            queued.append(job.id)
    db.session.rollback()
    for job_id in queued:
        enqueue(job_id)
    return len(queued)


def jobs_of(user: User, limit: int = 50) -> list[BackgroundJob]:
    return list(
        db.session.execute(
            select(BackgroundJob)
            .where(BackgroundJob.user_id == user.id)
            .order_by(BackgroundJob.created_at.desc(), BackgroundJob.id.desc())
            .limit(limit)
        ).scalars()
    )


def forget_prepared_files() -> int:
    """On erasing a person: delete every finished job's file and report, which may hold their details (a pack's
    contacts, an export's rows, an import's row report). They are copies: the person who asked can ask again.
    Jobs still running are left to finish. Returns how many jobs lost their file or report."""
    changed = 0
    for job in db.session.execute(
        select(BackgroundJob).where(
            TABLE.c.status.in_(FINISHED), or_(TABLE.c.file_key.is_not(None), TABLE.c.detail != "")
        )
    ).scalars():
        if job.file_key:
            delete_upload(job.file_key)
        job.file_key, job.detail = None, ""
        changed += 1
    return changed


def delete_jobs_of(user: User) -> None:
    """On erasing an account: its jobs go, with their files."""
    for job in db.session.execute(select(BackgroundJob).where(BackgroundJob.user_id == user.id)).scalars():
        for key in (job.file_key, job.input_key):
            if key:
                delete_upload(key)
        db.session.delete(job)


def data_of(user: User) -> list[dict]:
    """What a person asked the site to prepare, for their personal-data pack (not the files themselves)."""
    return [
        {"what": job.label, "status": job.status, "asked_at": job.created_at.isoformat()} for job in jobs_of(user, 1000)
    ]


def retention_rule():
    """Finished jobs go after a month, with their files."""
    from coproduce.retention import RetentionRule

    def apply(cutoff: datetime, dry_run: bool) -> int:
        old = select(BackgroundJob).where(TABLE.c.status.in_(FINISHED), TABLE.c.finished_at < cutoff)
        if dry_run:
            return db.session.execute(select(func.count()).select_from(old.subquery())).scalar_one()
        jobs = db.session.execute(old).scalars().all()
        for job in jobs:
            for key in (job.file_key, job.input_key):
                if key:
                    delete_upload(key)
            db.session.delete(job)
        return len(jobs)

    return RetentionRule(
        "core.jobs",
        _l("files staff asked the site to prepare (PDFs, large exports) and the reports of large imports"),
        1,
        apply,
        why=_l("so that the person who asked has time to download them; each holds what its page showed"),
    )


def job_counts() -> dict:
    counts: dict = dict(db.session.execute(select(TABLE.c.status, func.count()).group_by(TABLE.c.status)).all())
    return {"jobs_waiting": counts.get(WAITING, 0) + counts.get(WORKING, 0), "jobs_failed": counts.get(FAILED, 0)}
