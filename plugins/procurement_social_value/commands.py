"""`coproduce social-value ...`: the list of commitments due or overdue, per contract manager.

The list (and any email) is in the language given with --lang, else in the language the app
chooses outside a web request: the installation's default (the DEFAULT_LOCALE setting).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

import click
from flask_babel import force_locale

from coproduce.plugins import Team, db, ngettext, send_mail, utcnow
from coproduce_plugins.procurement_social_value import _
from coproduce_plugins.procurement_social_value.remind import WINDOW_DAYS, Reminder, reminders
from coproduce_plugins.procurement_social_value.status import STATUS_LABELS

#: English, plus every language the plugin's catalog is translated into.
LANGUAGES = ("en",) + tuple(
    sorted(p.name for p in (Path(__file__).parent / "translations").iterdir() if (p / "LC_MESSAGES").is_dir())
)


@click.group("social-value")
def social_value_group():
    """Social value in procurement."""


def reminder_line(r: Reminder, today: date) -> str:
    """One commitment of the list, in the current language."""
    values = {
        "contract": r.contract,
        "commitment": r.commitment,
        "measure": r.measure,
        "due": r.due.isoformat(),
        "reported": r.reported,
        "target": r.target,
        "status": _(STATUS_LABELS[r.status]),
    }
    if r.due < today:
        return ngettext(
            "%(contract)s %(commitment)s (%(measure)s): overdue by %(num)d day, due on %(due)s; "
            "reported %(reported)s of %(target)s [%(status)s]",
            "%(contract)s %(commitment)s (%(measure)s): overdue by %(num)d days, due on %(due)s; "
            "reported %(reported)s of %(target)s [%(status)s]",
            (today - r.due).days,
            **values,
        )
    if r.due == today:
        return _(
            "%(contract)s %(commitment)s (%(measure)s): due today, %(due)s; "
            "reported %(reported)s of %(target)s [%(status)s]",
            **values,
        )
    return ngettext(
        "%(contract)s %(commitment)s (%(measure)s): due in %(num)d day, on %(due)s; "
        "reported %(reported)s of %(target)s [%(status)s]",
        "%(contract)s %(commitment)s (%(measure)s): due in %(num)d days, on %(due)s; "
        "reported %(reported)s of %(target)s [%(status)s]",
        (r.due - today).days,
        **values,
    )


@social_value_group.command("remind")
@click.option("--team", "slug", help="Only this team (its slug).")
@click.option("--email", is_flag=True, help="Also email each contract manager their list.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Language of the list and the emails (default: the installation's default language).",
)
def remind(slug: str | None, email: bool, lang: str | None):
    """List commitments due within 30 days and overdue ones, per contract manager."""
    with force_locale(lang) if lang else nullcontext():
        _remind(slug, email)


def scheduled_reminders() -> None:
    """The worker's weekly run (Mondays, 08:00 UTC): email each contract manager their list."""
    _remind(None, True)


def _remind(slug: str | None, email: bool) -> None:
    team_ids = None
    if slug:
        team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()
        if team is None:
            raise click.ClickException(_("There is no team called %(team)s", team=slug))
        team_ids = [team.id]
    today = utcnow().date()
    grouped = reminders(today, team_ids)
    if not grouped:
        click.echo(_("Nothing is overdue or due within %(days)d days.", days=WINDOW_DAYS))
    for (name, address), items in grouped.items():
        who = f"{name} <{address}>" if address else (name or _("No contract manager named"))
        lines = [reminder_line(r, today) for r in items]
        click.echo(
            ngettext("%(manager)s: %(num)d commitment", "%(manager)s: %(num)d commitments", len(items), manager=who)
        )
        for line in lines:
            click.echo("  " + line)
        if email and address:
            send_mail(
                address,
                _("Social value commitments due or overdue"),
                _("These social value commitments are overdue or due within %(days)d days:", days=WINDOW_DAYS)
                + "\n\n"
                + "\n".join(lines)
                + "\n",
            )
