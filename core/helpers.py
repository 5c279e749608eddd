"""Small request helpers shared by core views and plugins (re-exported by coproduce.plugins)."""

from __future__ import annotations

from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from coproduce.extensions import db
from coproduce.models import PluginState, Role, SiteSetting, Team
from coproduce.site_settings import REMEMBERED, remember_settings

# Built once: every request to a team's page runs it (SQLAlchemy caches the compiled form by shape,
# but building the statement itself is work too).
_TEAM_BY_SLUG = sa.select(Team).where(Team.slug == sa.bindparam("slug"))
_TEAM_PAGE = (
    sa.select(Team, PluginState.plugin, SiteSetting.key, SiteSetting.value)
    .outerjoin(PluginState, sa.and_(PluginState.team_id == Team.id, PluginState.enabled))
    .outerjoin(SiteSetting, SiteSetting.key.in_(REMEMBERED))  # the settings and the page version
    .where(Team.slug == sa.bindparam("slug"))
)
_PLUGIN_STATE = sa.select(PluginState).where(
    PluginState.team_id == sa.bindparam("team_id"), PluginState.plugin == sa.bindparam("plugin")
)


def current_team() -> Team:
    """The team of the current request (set from the /t/<team>/ part of the URL)."""
    team = g.get("team")
    if team is None:
        abort(404)
    return team


def load_team(slug: str | None) -> Team | None:
    if not slug:
        return None
    return db.session.execute(_TEAM_BY_SLUG, {"slug": slug}).scalar_one_or_none()


def loaded_slug(team: Team | None) -> str | None:
    """The team's slug without reloading the team: a commit expires it, and the slug in the URL
    (g.team_slug, kept beside g.team) is the one it was found by."""
    if team is None:
        return None
    state: Any = sa.inspect(team, raiseerr=False)
    if state is not None and "slug" in state.dict:
        return state.dict["slug"]
    if g.get("team") is team and g.get("team_slug"):
        return g.team_slug
    return team.slug


def load_request_team(slug: str | None) -> Team | None:
    """The team of a /t/<team>/ URL, read with its switched-on plugins and the site's settings in
    one query; PluginHost.enabled_for and get_setting then answer this request from what it read.
    Everything is still read fresh on every request, so each worker sees a change at once."""
    if not slug:
        return None
    rows = db.session.execute(_TEAM_PAGE, {"slug": slug}).all()
    if not rows:
        return None
    team = rows[0][0]
    current_app.extensions["plugins"].remember_enabled(team, {row[1] for row in rows if row[1]})
    # The settings as plain (key, value) rows: no ORM object to build for each (a team page's hot path).
    remember_settings({row.key: row for row in rows if row.key is not None})
    return team


def team_role(team: Team | None) -> Role | None:
    if team is None or not current_user.is_authenticated:
        return None
    return team.role_of(current_user)


def can_manage(team: Team) -> bool:
    return bool(current_user.is_authenticated and (current_user.is_site_admin or team_role(team) == Role.OWNER))


def is_member(team: Team) -> bool:
    return bool(current_user.is_authenticated and (current_user.is_site_admin or team_role(team) is not None))


def require_team_role(role: str = "member"):
    """Decorator for team views: members (or owners) only; site admins may always enter.

    Anonymous people are sent to sign in; signed-in people without the role get 403.
    """
    wanted = Role(role)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            team = current_team()
            if not current_user.is_authenticated:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            allowed = can_manage(team) if wanted == Role.OWNER else is_member(team)
            if not allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def plugin_settings(team: Team, plugin: str) -> dict:
    """The plugin's default settings (PluginMeta.settings) overlaid with the team's own."""
    host = current_app.extensions["plugins"]
    loaded = host.loaded.get(plugin)
    settings = dict(loaded.meta.settings) if loaded else {}
    state = db.session.execute(_PLUGIN_STATE, {"team_id": team.id, "plugin": plugin}).scalar_one_or_none()
    if state and state.settings:
        settings.update(state.settings)
    return settings


MAX_ID = 2**31 - 1  # the largest id every supported database stores in an INTEGER column


def team_object_or_404(model, object_id, *, owner=None, key: str = "team_id"):
    """The row of `model` with this id that belongs to `owner` (default: the request's team), or 404.

    The tenancy rule: another team's row is not found here, exactly as a missing one. For a row that
    belongs to another row (a project's document), pass owner=project, key="project_id".
    """
    owner = current_team() if owner is None else owner
    if isinstance(object_id, bool) or not isinstance(object_id, int) or not 0 < object_id <= MAX_ID:
        abort(404)
    found = db.session.get(model, object_id)
    if found is None or getattr(found, key) != owner.id:
        abort(404)
    return found
