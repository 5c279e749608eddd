"""Hook implementations: thin, delegating to the plugin's modules."""
import click
from flask import render_template, url_for
from markupsafe import Markup

from core.plugins import NavItem, PublicItem, Team, Widget, db, hookimpl, send_mail, utcnow
from plugins.procurement_social_value import _, meta
from plugins.procurement_social_value.views import bp, helpers


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("procurement_social_value.index"), order=40)]


@hookimpl
def manage_nav_items(user, team):
    return [NavItem(label=_("Social value dashboard"), url=url_for("procurement_social_value.dashboard"), order=40)]


@hookimpl
def public_items(team):
    return [PublicItem(title=meta.title, url=url_for("procurement_social_value.index", team=team.slug),
                       description=meta.description, order=40)]


@hookimpl
def dashboard_widgets(user, team):
    from plugins.procurement_social_value.dashboard import build_dashboard

    board = build_dashboard(team.id, utcnow().date())
    body = render_template("procurement_social_value/widget.html", board=board, **helpers())
    return [Widget(title=_("Social value"), body=Markup(body), order=40)]


@hookimpl
def plugin_enabled(team):
    from plugins.procurement_social_value.store import ensure_framework

    ensure_framework(team)


@hookimpl
def demo_data(team):
    from plugins.procurement_social_value.demo import create_demo

    click.echo("  social value: framework, suppliers, contracts, commitments, needs")
    create_demo(team, utcnow().date())


@hookimpl
def register_cli_commands(cli):
    @cli.group("social-value")
    def social_value():
        """Social value in procurement."""

    @social_value.command("remind")
    @click.option("--team", "slug", help="Only this team (its slug).")
    @click.option("--email", is_flag=True, help="Also email each contract manager their list.")
    def remind(slug, email):
        """List commitments due within 30 days and overdue ones, per contract manager."""
        from plugins.procurement_social_value.remind import WINDOW_DAYS, reminder_lines, reminders

        team_ids = None
        if slug:
            team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()
            if team is None:
                raise click.ClickException(f"no team {slug!r}")
            team_ids = [team.id]
        today = utcnow().date()
        grouped = reminders(today, team_ids)
        if not grouped:
            click.echo(f"Nothing overdue or due within {WINDOW_DAYS} days.")
        for (name, address), items in grouped.items():
            who = f"{name} <{address}>" if address else (name or "No contract manager named")
            lines = reminder_lines(items, today)
            click.echo(f"{who}: {len(items)} commitment(s)")
            for line in lines:
                click.echo(line)
            if email and address:
                send_mail(address, "Social value commitments due or overdue",
                          "These social-value commitments are overdue or due within "
                          f"{WINDOW_DAYS} days:\n\n" + "\n".join(lines) + "\n")


@hookimpl
def personal_data(user):
    from plugins.procurement_social_value.privacy import personal_data_of

    return personal_data_of(user)


@hookimpl
def erase_personal_data(user):
    from plugins.procurement_social_value.privacy import erase_personal_data_of

    erase_personal_data_of(user)
