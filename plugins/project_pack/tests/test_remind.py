"""`coproduce projects remind`: leads of active projects with no log entry for N weeks."""

from datetime import timedelta

from click.testing import CliRunner

from coproduce.cli import build_cli
from coproduce.plugins import db, utcnow
from coproduce_plugins.project_pack.models import Project
from coproduce_plugins.project_pack.tests.helpers import youth_id


def add(app, title, status, days_quiet, lead_user_id=None, logged=True):
    with app.app_context():
        when = utcnow() - timedelta(days=days_quiet)
        project = Project(
            team_id=youth_id(app),
            title=title,
            status=status,
            lead_name=f"Lead of {title}",
            lead_user_id=lead_user_id,
            created_at=when,
            last_log_at=when if logged else None,
        )
        project.refresh_search()
        db.session.add(project)
        db.session.commit()


def outbox(app):
    from pathlib import Path

    folder = Path(app.instance_path) / "outbox"
    return [p.read_text() for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def seed(app, people):
    add(app, "Quiet garden", "active", 40, lead_user_id=people["owner"])
    add(app, "Busy club", "active", 3)
    add(app, "Never logged", "active", 30, logged=False)
    add(app, "Paused thing", "paused", 100)
    add(app, "Done thing", "completed", 100)


def test_remind_lists_quiet_active_projects_only(app, people, youth):
    seed(app, people)
    result = CliRunner().invoke(build_cli(app), ["projects", "remind", "--weeks", "4"])
    assert result.exit_code == 0, result.output
    assert "Quiet garden" in result.output and "Never logged" in result.output
    assert "owner@example.org" in result.output
    for other in ("Busy club", "Paused thing", "Done thing"):
        assert other not in result.output
    assert "2 project(s) need a log entry" in result.output
    assert outbox(app) == []  # no mail server configured: list only


def test_the_number_of_weeks_is_an_option(app, people, youth):
    seed(app, people)
    result = CliRunner().invoke(build_cli(app), ["projects", "remind", "--weeks", "5"])
    assert "Quiet garden" in result.output and "Never logged" not in result.output
    result = CliRunner().invoke(build_cli(app), ["projects", "remind", "--weeks", "10"])
    assert "No active project has gone 10 weeks" in result.output
    assert CliRunner().invoke(build_cli(app), ["projects", "remind", "--weeks", "0"]).exit_code != 0


def test_remind_emails_leads_with_an_account_when_asked(app, people, youth):
    seed(app, people)
    result = CliRunner().invoke(build_cli(app), ["projects", "remind", "--send"])
    assert result.exit_code == 0
    mails = outbox(app)
    assert len(mails) == 1  # the lead without an account is listed, not emailed
    assert "To: owner@example.org" in mails[0] and "Quiet garden" in mails[0]
    assert "working" in mails[0] and "emailed" in result.output


def test_the_worker_emails_the_leads_every_monday_morning_without_a_cron_job(app, people, youth):
    from datetime import datetime

    seed(app, people)
    huey = app.extensions["huey"]
    assert "project_pack.reminders" not in [t.name for t in huey.read_periodic(datetime(2026, 12, 8, 8, 0))]
    (task,) = [t for t in huey.read_periodic(datetime(2026, 12, 7, 8, 0)) if t.name == "project_pack.reminders"]
    huey.enqueue(task)  # the tests' queue runs each job at once
    mails = outbox(app)
    assert len(mails) == 1
    assert "To: owner@example.org" in mails[0] and "Quiet garden" in mails[0]
