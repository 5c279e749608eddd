"""Small request helpers shared by core views and plugins (re-exported by core.plugins)."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from core.extensions import db
from core.models import PluginState, Role, Team


def current_team() -> Team:
    """The team of the current request (set from the /t/<team>/ part of the URL)."""
    team = g.get("team")
    if team is None:
        abort(404)
    return team


def load_team(slug: str | None) -> Team | None:
    if not slug:
        return None
    return db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()


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
    state = db.session.execute(
        db.select(PluginState).where(PluginState.team_id == team.id, PluginState.plugin == plugin)
    ).scalar_one_or_none()
    if state and state.settings:
        settings.update(state.settings)
    return settings
