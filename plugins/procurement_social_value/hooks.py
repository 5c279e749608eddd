"""Hook implementations: thin, delegating to the plugin's modules."""
from flask import url_for

from core.plugins import NavItem, PublicItem, hookimpl
from plugins.procurement_social_value import meta
from plugins.procurement_social_value.views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def nav_items(user, team):
    return [NavItem(label=meta.title, url=url_for("procurement_social_value.index"), order=40)]


@hookimpl
def public_items(team):
    return [PublicItem(title=meta.title, url=url_for("procurement_social_value.index", team=team.slug),
                       description=meta.description, order=40)]
