"""Hook implementations: thin, delegating to the plugin's modules."""
from flask import url_for

from core.plugins import NavItem, PublicItem, hookimpl
from plugins.consultation_vs_coproduction import meta
from plugins.consultation_vs_coproduction.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("consultation_vs_coproduction.index"), order=30)]


@hookimpl
def public_items(team):
    return [PublicItem(title=meta.title, url=url_for("consultation_vs_coproduction.index", team=team.slug),
                       description=meta.description, order=30)]
