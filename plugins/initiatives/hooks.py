"""Hook implementations: thin, delegating to the plugin's modules."""

from flask import url_for

from coproduce.plugins import NavItem, PublicItem, hookimpl
from coproduce_plugins.initiatives import _l, meta
from coproduce_plugins.initiatives.views import bp


@hookimpl
def configure_app(app):
    from coproduce_plugins.initiatives.jobs import configure

    configure(app)


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("initiatives.index"), order=40)]


@hookimpl
def manage_nav_items(user, team):
    return [NavItem(label=_l("Manage initiatives"), url=url_for("initiatives.manage"), order=40)]


@hookimpl
def public_items(team):
    return [
        PublicItem(
            title=meta.title, url=url_for("initiatives.index", team=team.slug), description=meta.description, order=40
        )
    ]


@hookimpl
def demo_data(team):
    from coproduce_plugins.initiatives.demo import create_demo

    create_demo(team)


@hookimpl
def personal_data(person):
    from coproduce_plugins.initiatives.personal_data import personal_data_of

    return personal_data_of(person)


@hookimpl
def erase_personal_data(person):
    from coproduce_plugins.initiatives.personal_data import erase_personal_data_of

    erase_personal_data_of(person)


@hookimpl
def dashboard_widgets(user, team):
    from coproduce_plugins.initiatives.widgets import dashboard_widget

    return [dashboard_widget(team)]


@hookimpl
def project_panels(project, user, audience):
    from coproduce_plugins.initiatives.widgets import project_panel

    return project_panel(project, audience)


@hookimpl
def search_results(team, query, limit):
    from coproduce_plugins.initiatives.directory import search_hits

    return search_hits(team, query, limit)


@hookimpl
def retention_rules():
    from coproduce_plugins.initiatives.retention import rules

    return rules()
