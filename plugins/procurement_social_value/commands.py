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

from coproduce.plugins import Team, User, db, ngettext, send_mail, utcnow
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
    """One commitment of the list, in the current language (the team's measure too, where written in it)."""
    r = r.in_language()
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
    help=(
        "Language of the list, and of the emails to managers without an account language "
        "(default: the installation's default language)."
    ),
)
def remind(slug: str | None, email: bool, lang: str | None):
    """List commitments due within 30 days and overdue ones, per contract manager."""
    with force_locale(lang) if lang else nullcontext():
        _remind(slug, email)


def scheduled_reminders() -> None:
    """The worker's weekly run (Mondays, 08:00 UTC): email each contract manager their list."""
    _remind(None, True)


def manager_languages(addresses: list[str]) -> dict[str, str]:
    """{lowercased email: language} of the managers whose account chose a language, in one query."""
    if not addresses:
        return {}
    wanted = {address.lower() for address in addresses}
    rows = db.session.execute(
        db.select(User.email, User.preferred_locale).where(
            db.func.lower(User.email).in_(wanted), User.preferred_locale.is_not(None)
        )
    )
    return {email.lower(): lang for email, lang in rows if lang in LANGUAGES}


def _remind(slug: str | None, email: bool) -> None:
    team_ids = None
    if slug:
        team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()
        if team is None:
            raise click.ClickException(_("There is no team called %(team)s", team=slug))
        team_ids = [team.id]
    today = utcnow().date()
    grouped = reminders(today, team_ids)
    account_languages = manager_languages([address for _name, address in grouped if address])
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
            # In the manager's own language when they have an account that chose one.
            chosen = account_languages.get(address.lower())
            with force_locale(chosen) if chosen else nullcontext():
                send_mail(
                    address,
                    _("Social value commitments due or overdue"),
                    _("These social value commitments are overdue or due within %(days)d days:", days=WINDOW_DAYS)
                    + "\n\n"
                    + "\n".join(reminder_line(r, today) for r in items)
                    + "\n",
                )
