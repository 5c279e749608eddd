"""Hook implementations: thin, delegating to the plugin's modules."""

import click
from flask import render_template, url_for
from markupsafe import Markup

from coproduce.plugins import NavItem, PublicItem, Widget, add_deploy_check, hookimpl, utcnow
from coproduce_plugins.procurement_social_value import _, meta
from coproduce_plugins.procurement_social_value.views import bp, helpers


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def waiting_items(team):
    from coproduce_plugins.procurement_social_value.waiting import waiting_items as items

    return items(team)


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("procurement_social_value.index"), order=40)]


@hookimpl
def manage_nav_items(user, team):
    return [NavItem(label=_("Social value dashboard"), url=url_for("procurement_social_value.dashboard"), order=40)]


@hookimpl
def public_items(team):
    return [
        PublicItem(
            title=meta.title,
            url=url_for("procurement_social_value.index", team=team.slug),
            description=meta.description,
            order=40,
        )
    ]


@hookimpl
def dashboard_widgets(user, team):
    from coproduce_plugins.procurement_social_value.dashboard import build_dashboard

    board = build_dashboard(team.id, utcnow().date())
    body = render_template("procurement_social_value/widget.html", board=board, **helpers())
    return [Widget(title=_("Social value"), body=Markup(body), order=40)]  # nosec B704


@hookimpl
def plugin_enabled(team):
    from coproduce_plugins.procurement_social_value.store import ensure_framework

    ensure_framework(team)


@hookimpl
def demo_data(team):
    from coproduce_plugins.procurement_social_value.demo import create_demo

    click.echo("  social value: framework, suppliers, contracts, commitments, needs")
    create_demo(team, utcnow().date())


@hookimpl
def configure_app(app):
    from coproduce.plugins import crontab, schedule_task
    from coproduce_plugins.procurement_social_value.commands import scheduled_reminders
    from coproduce_plugins.procurement_social_value.store import long_lived_links

    add_deploy_check(app, long_lived_links)
    schedule_task(
        app, "procurement_social_value.reminders", crontab(day_of_week="1", hour="8", minute="0"), scheduled_reminders
    )
    from coproduce_plugins.procurement_social_value.jobs import configure

    configure(app)


@hookimpl
def register_cli_commands(cli):
    from coproduce_plugins.procurement_social_value.commands import social_value_group

    cli.add_command(social_value_group)


@hookimpl
def personal_data(user, person):
    from coproduce_plugins.procurement_social_value.personal_data import personal_data_of

    return personal_data_of(person)


@hookimpl
def erase_personal_data(user, person):
    from coproduce_plugins.procurement_social_value.personal_data import erase_personal_data_of

    erase_personal_data_of(person)


@hookimpl
def project_panels(project, user, audience):
    from coproduce_plugins.procurement_social_value.projects import project_panel

    return project_panel(project, audience)
