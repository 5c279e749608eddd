"""`coproduce projects remind`: leads of active projects with no log entry for N weeks."""

from datetime import timedelta

from click.testing import CliRunner

from coproduce.plugins import db, utcnow
from coproduce.testing import build_cli
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
    assert "2 projects need a log entry" in result.output
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


def _quiet_project(app, people, *, lead_user=None, co_owner_user=None, days=40):
    with app.app_context():
        when = utcnow() - timedelta(days=days)
        project = Project(
            team_id=youth_id(app),
            title="Quiet garden",
            status="active",
            lead_name="Lee Lead",
            lead_user_id=people[lead_user] if lead_user else None,
            co_owner_name="Casey Coowner",
            co_owner_user_id=people[co_owner_user] if co_owner_user else None,
            created_at=when - timedelta(days=30),
            last_log_at=when,
        )
        project.refresh_search()
        db.session.add(project)
        db.session.commit()
        return project.id


def _send(app):
    result = CliRunner().invoke(build_cli(app), ["projects", "remind", "--weeks", "4", "--send"])
    assert result.exit_code == 0, result.output
    from coproduce.testing import outbox as messages

    return [f"To: {m['To']}\n" + m.get_payload(decode=True).decode() for m in messages(app)]


def test_the_reminder_greets_the_person_it_is_sent_to(app, people, youth):
    # The lead's name on the pack is free text; the email goes to the lead's account, so it greets that person.
    _quiet_project(app, people, lead_user="owner")
    (mail,) = _send(app)
    assert "To: owner@example.org" in mail
    assert "Hello Owner," in mail and "Hello Lee Lead" not in mail


def test_the_reminder_goes_to_the_co_owner_when_the_lead_cannot_get_it(app, people, youth):
    from coproduce.plugins import User

    _quiet_project(app, people, lead_user="owner", co_owner_user="member")
    with app.app_context():
        db.session.get(User, people["owner"]).is_disabled = True
        db.session.commit()
    (mail,) = _send(app)
    assert "To: member@example.org" in mail and "Hello Member," in mail


def test_the_reminder_counts_the_real_time_since_the_last_log_entry(app, people, youth):
    _quiet_project(app, people, lead_user="owner", days=40)
    (mail,) = _send(app)
    assert "for 5 weeks" in mail and "for 4 weeks" not in mail


def test_the_reminder_links_straight_to_the_project(make_app, people):
    app = make_app(
        plugins=["coproduce_plugins.project_pack", "tests.dummy_plugin"], SITE_URL="https://coproduce.example.gov.uk"
    )
    with app.app_context():
        from coproduce.testing.fixtures import get_team

        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    project_id = _quiet_project(app, people, lead_user="owner")
    (mail,) = _send(app)
    assert f"https://coproduce.example.gov.uk/t/youth/projects/{project_id}" in mail


def test_the_reminder_is_in_the_persons_own_language(app, people, youth):
    from coproduce.plugins import User

    _quiet_project(app, people, lead_user="owner", days=40)
    with app.app_context():
        db.session.get(User, people["owner"]).preferred_locale = "cy"
        db.session.commit()
    (mail,) = _send(app)
    assert "Helo Owner," in mail and "ers 5 wythnos" in mail
    assert "Hello" not in mail
