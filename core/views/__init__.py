"""Core's pages, and the request plumbing every page shares (team from the URL, navigation, errors)."""
from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_login import current_user

from core.helpers import can_manage, is_member, load_team
from core.observability import init_observability, log_exception


def _pull_team(endpoint, values):
    """Any route with <team> in its URL gets the Team in g.team (404 later if missing)."""
    if values and "team" in values:
        g.team = load_team(values.pop("team"))


def _inject_team(endpoint, values):
    team = g.get("team")
    if team is not None and "team" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "team"):
        values["team"] = team.slug


def _guard():
    host = current_app.extensions["plugins"]
    if host.plugin_of_request() is not None:
        host.guard_request()


def _layout_context():
    team = g.get("team")
    context = {"team": team, "team_nav": [], "manage_nav": [], "can_manage_team": False}
    if team is None or team.archived_at is not None:
        context["team"] = None
        return context
    hooks = current_app.extensions["plugins"].hooks_for(team)
    user = current_user if current_user.is_authenticated else None
    context["team_nav"] = hooks.collect("nav_items", user=user, team=team)
    if is_member(team):
        context["manage_nav"] = hooks.collect("manage_nav_items", user=user, team=team)
    context["can_manage_team"] = can_manage(team)
    context["slot"] = lambda name, **extra: hooks.slot(name, {"team": team, "user": user, **extra})
    return context


def _error_page(status: int):
    def handler(error):
        request_id = log_exception(getattr(error, "original_exception", None) or error) if status == 500 else None
        if request.path.startswith("/healthz"):
            return {"status": "error", "code": status}, status
        return render_template("errors/error.html", status=status, error=error, request_id=request_id), status

    return handler


def register_core_views(app: Flask) -> None:
    from core.views import auth, health, public, site_admin, team_admin

    init_observability(app)
    app.url_value_preprocessor(_pull_team)
    app.url_defaults(_inject_team)
    app.before_request(_guard)
    app.context_processor(_layout_context)
    for status in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, _error_page(status))
    for blueprint in (public.bp, auth.bp, team_admin.bp, site_admin.bp, health.bp):
        app.register_blueprint(blueprint)
