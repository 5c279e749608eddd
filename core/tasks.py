"""The task queue: one Huey instance per app, with core's tasks and schedules.

Storage is a SQLite file in the instance folder (`tasks.db`), or Redis when REDIS_URL is set. `coproduce
worker` runs the consumer. Tests set TASKS_IMMEDIATE, which runs each task at once, in the caller.
Every task runs in an app context of its own, so it has its own database session.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab

from coproduce.extensions import db

logger = logging.getLogger("coproduce.tasks")
QUEUE_NAME = "coproduce"


def build_huey(app: Flask):
    immediate = bool(app.config.get("TASKS_IMMEDIATE"))
    if app.config.get("REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=app.config["REDIS_URL"], results=False, immediate=immediate)
    return SqliteHuey(
        QUEUE_NAME, filename=str(Path(app.instance_path) / "tasks.db"), results=False, immediate=immediate
    )


def in_app(app: Flask, fn: Callable) -> Callable:
    """fn, run in an app context of its own whose database session is closed afterwards."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with app.app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def _apply_retention() -> None:
    from coproduce.retention import apply_all

    for result in apply_all(False):
        if result.count:
            logger.info("retention %s: %d removed", result.rule.name, result.count)
    db.session.commit()


def init_tasks(app: Flask) -> None:
    """Build the app's queue and register core's tasks on it (app.extensions["tasks"] names them)."""
    from coproduce import mail

    huey = build_huey(app)
    app.extensions["huey"] = huey
    tasks = SimpleNamespace(huey=huey)
    tasks.deliver_mail = huey.task(name="coproduce.deliver_mail")(in_app(app, mail.deliver))
    # Every minute: emails whose job was lost (a worker killed mid-send, a queue that could not be reached).
    tasks.sweep_mail = huey.periodic_task(crontab(minute="*"), name="coproduce.sweep_mail")(in_app(app, mail.sweep))
    # Every night at 03:15 UTC: retention (coproduce retention apply, without a cron job).
    tasks.retention = huey.periodic_task(crontab(hour="3", minute="15"), name="coproduce.retention")(
        in_app(app, _apply_retention)
    )
    from coproduce import jobs, notify

    # PDF builds, large exports and imports a person asked for (coproduce.jobs), and every minute those whose run was lost.
    tasks.run_job = huey.task(name="coproduce.run_job")(in_app(app, jobs.run_job))
    tasks.sweep_jobs = huey.periodic_task(crontab(minute="*"), name="coproduce.sweep_jobs")(in_app(app, jobs.sweep))

    # Every minute: tell the people who chose "at once" about new work waiting; at 07:00 UTC, the daily digests.
    tasks.notify_at_once = huey.periodic_task(crontab(minute="*"), name="coproduce.notify_at_once")(
        in_app(app, notify.notify_at_once)
    )
    tasks.daily_digest = huey.periodic_task(crontab(hour="7", minute="0"), name="coproduce.daily_digest")(
        in_app(app, notify.daily_digest)
    )
    app.extensions["tasks"] = tasks


def queue_status(app: Flask) -> dict:
    """Jobs waiting in the queue, jobs scheduled for later, and the oldest email still waiting to go."""
    from coproduce.jobs import job_counts
    from coproduce.mail import mail_counts

    huey = app.extensions["huey"]
    status: dict = {}
    try:
        status["waiting"] = huey.pending_count()
        status["scheduled"] = huey.scheduled_count()
    except Exception as error:  # noqa: BLE001 - report, never raise
        status["error"] = f"unreachable: {type(error).__name__}"
    status.update(mail_counts())
    status.update(job_counts())
    return status


def schedule_task(app: Flask, name: str, when: Callable, fn: Callable) -> None:
    """Run fn() in the worker whenever `when` (a huey crontab, UTC) matches: for plugins, in configure_app.

    name: "<plugin>.<what>". fn runs in an app context of its own, and should commit what it changes.
    """
    tasks = app.extensions["tasks"]
    setattr(tasks, name, tasks.huey.periodic_task(when, name=name)(in_app(app, fn)))
