"""Hook implementations: thin, delegating to the plugin's modules."""

from flask import url_for
from markupsafe import Markup

from coproduce.plugins import NavItem, PublicItem, Widget, hookimpl
from coproduce_plugins.project_pack import _l, meta
from coproduce_plugins.project_pack.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def configure_app(app):
    from coproduce.plugins import crontab, schedule_task
    from coproduce_plugins.project_pack.commands import scheduled_reminders

    schedule_task(app, "project_pack.reminders", crontab(day_of_week="1", hour="8", minute="0"), scheduled_reminders)
    from coproduce_plugins.project_pack.jobs import configure

    configure(app)


@hookimpl
def register_cli_commands(cli):
    from coproduce_plugins.project_pack.commands import projects_group

    cli.add_command(projects_group)


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("project_pack.index"), order=20)]


@hookimpl
def manage_nav_items(user, team):
    return [NavItem(label=_l("Manage projects"), url=url_for("project_pack.manage"), order=20)]


@hookimpl
def dashboard_widgets(user, team):
    from coproduce_plugins.project_pack.widgets import widget_body

    return [Widget(title=meta.title, body=Markup(widget_body(team)), order=20)]  # nosec B704


@hookimpl
def public_items(team):
    return [
        PublicItem(
            title=meta.title, url=url_for("project_pack.index", team=team.slug), description=meta.description, order=20
        )
    ]


@hookimpl
def waiting_items(team):
    from coproduce_plugins.project_pack.waiting import waiting_items as items

    return items(team)


@hookimpl
def demo_data(team):
    from coproduce_plugins.project_pack.demo import create_demo

    create_demo(team)


@hookimpl
def personal_data(user, person):
    from coproduce_plugins.project_pack.personal_data import personal_data_of

    return personal_data_of(person)


@hookimpl
def erase_personal_data(user, person):
    from coproduce_plugins.project_pack.personal_data import erase_personal_data_of

    erase_personal_data_of(person)


@hookimpl
def project_choices(team):
    from coproduce_plugins.project_pack.views import project_choices as choices

    return choices(team)


@hookimpl
def search_results(team, query, limit):
    from coproduce_plugins.project_pack.search import search_hits

    return search_hits(team, query, limit)
