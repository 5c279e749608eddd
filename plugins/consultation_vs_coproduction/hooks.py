"""Hook implementations: thin, delegating to the plugin's modules."""

import click
from flask import url_for

from coproduce.plugins import NavItem, PublicItem, gettext as _, hookimpl, lazy_gettext as _l
from coproduce_plugins.consultation_vs_coproduction import meta
from coproduce_plugins.consultation_vs_coproduction.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def configure_app(app):
    from coproduce_plugins.consultation_vs_coproduction.jobs import configure
    from coproduce_plugins.consultation_vs_coproduction.wording import inline

    configure(app)
    app.jinja_env.globals["readiness_inline"] = inline  # a question's text, marked when in another language


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("consultation_vs_coproduction.index"), order=30)]


@hookimpl
def manage_nav_items(user, team):
    return [
        NavItem(label=_("Readiness assessments"), url=url_for("consultation_vs_coproduction.assessments"), order=30)
    ]


@hookimpl
def public_items(team):
    return [
        PublicItem(
            title=meta.title,
            url=url_for("consultation_vs_coproduction.index", team=team.slug),
            description=meta.description,
            order=30,
        )
    ]


@hookimpl
def retention_rules():
    from coproduce.plugins import RetentionRule
    from coproduce_plugins.consultation_vs_coproduction.retention import expire_drafts

    return [
        RetentionRule(
            "consultation_vs_coproduction.drafts",
            _l("readiness answers in progress and private result links, counted from their last change"),
            6,
            expire_drafts,
            why=_l("an unfinished answer is useful only while the person may come back to finish it"),
        )
    ]


@hookimpl
def dashboard_widgets(user, team):
    from coproduce_plugins.consultation_vs_coproduction.widgets import open_assessments_widget

    widget = open_assessments_widget(team)
    return [widget] if widget else []


@hookimpl
def demo_data(team):
    from coproduce_plugins.consultation_vs_coproduction.demo import create_demo

    create_demo(team, echo=click.echo)


@hookimpl
def personal_data(user, person):
    from coproduce_plugins.consultation_vs_coproduction.personal_data import personal_data_of

    return personal_data_of(person)


@hookimpl
def erase_personal_data(user, person):
    from coproduce_plugins.consultation_vs_coproduction.personal_data import erase_personal_data_of

    erase_personal_data_of(person)


@hookimpl
def project_panels(project, user, audience):
    from coproduce_plugins.consultation_vs_coproduction.widgets import project_panel

    panel = project_panel(project, user, audience)
    return [panel] if panel else []
