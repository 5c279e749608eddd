"""Hook implementations: thin, delegating to the plugin's modules."""
from flask import url_for

from core.plugins import NavItem, PublicItem, hookimpl
from plugins.project_pack import meta
from plugins.project_pack.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("project_pack.index"), order=20)]


@hookimpl
def public_items(team):
    return [PublicItem(title=meta.title, url=url_for("project_pack.index", team=team.slug),
                       description=meta.description, order=20)]
