"""`coproduce projects ...`: reminders for quiet projects, and importing a pack from a file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, url_for
from flask_babel import force_locale, format_date

from coproduce.plugins import Team, db, ngettext, send_mail, utcnow
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.remind import last_activity, quiet_projects, reminder_recipient, weeks_quiet


@click.group("projects")
def projects_group():
    """Project packs: reminders and imports."""


@projects_group.command("remind")
@click.option(
    "--weeks",
    default=4,
    show_default=True,
    type=click.IntRange(1, 520),
    help="Remind when there is no log entry for this many weeks.",
)
@click.option(
    "--send/--no-send", default=None, help="Email the leads (default: only when a mail server is configured)."
)
def remind(weeks: int, send: bool | None):
    """List (or email) the leads of active projects with no log entry for WEEKS weeks."""
    if send is None:
        send = bool(current_app.config.get("MAIL_SERVER"))
    _remind(weeks, send)


def scheduled_reminders() -> None:
    """The worker's weekly run (Mondays, 08:00 UTC): email the leads of projects quiet for 4 weeks."""
    _remind(4, True)


def _remind(weeks: int, send: bool) -> None:
    now = utcnow()
    projects = quiet_projects(now, weeks)
    if not projects:
        click.echo(_("No active project has gone %(weeks)d weeks without a log entry.", weeks=weeks))
        return
    for project in projects:
        team = db.session.get(Team, project.team_id)
        person = reminder_recipient(project)
        lead = project.lead_name or (project.lead_user.display_name if project.lead_user else _("no lead named"))
        last = project.last_log_at.date().isoformat() if project.last_log_at else _("never")
        line = f"{team.slug}\t{project.id}\t{project.title}\t{lead}\t{person.email if person else '-'}\t{last}"
        if send and person:
            _email_reminder(person, project, team, now)
            line += "\t" + _("emailed")
        click.echo(line)
    click.echo(ngettext("%(num)d project needs a log entry.", "%(num)d projects need a log entry.", len(projects)))


def _project_link(project, team) -> str:
    """The project's page, as a full address built from SITE_URL."""
    with current_app.test_request_context():
        path = url_for("project_pack.project", team=team.slug, project_id=project.id)
        base = (current_app.config.get("SITE_URL") or "").rstrip("/")
        return (
            base + path
            if base
            else url_for("project_pack.project", team=team.slug, project_id=project.id, _external=True)
        )


def _email_reminder(person, project, team, now) -> None:
    """One reminder, in the person's own language (their preferred one, else the site's default)."""
    weeks = weeks_quiet(project, now)
    with force_locale(person.preferred_locale or current_app.config["DEFAULT_LOCALE"]):
        subject = _("A log entry for %(title)s?", title=project.title)
        body = ngettext(
            'Hello %(name)s,\n\nThe project "%(title)s" has had no entry in its progress and learning log for '
            "%(num)d week, since %(date)s. What has happened, what was decided, and what did you learn about "
            "working together?\n\nAdd an entry here:\n%(link)s",
            'Hello %(name)s,\n\nThe project "%(title)s" has had no entry in its progress and learning log for '
            "%(num)d weeks, since %(date)s. What has happened, what was decided, and what did you learn about "
            "working together?\n\nAdd an entry here:\n%(link)s",
            weeks,
            name=person.display_name,
            title=project.title,
            date=format_date(last_activity(project), "d MMMM yyyy"),
            link=_project_link(project, team),
        )
    send_mail(person.email, subject, body)


@projects_group.command("import")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--team", "team_slug", required=True, help="The team that gets the project.")
def import_command(pack: Path, team_slug: str):
    """Import a project pack (a ZIP file exported from Coproduce) into a team."""
    from coproduce_plugins.project_pack.pack_import import PackError, import_pack

    team = db.session.execute(db.select(Team).where(Team.slug == team_slug)).scalar_one_or_none()
    if team is None:
        raise click.ClickException(_("There is no team called %(team)s", team=team_slug))
    try:
        project = import_pack(team, pack.read_bytes())
    except PackError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        _("Imported %(title)s as project %(id)d in %(team)s.", title=project.title, id=project.id, team=team.slug)
    )
