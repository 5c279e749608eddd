"""Core's pages, and the request plumbing every page shares (team from the URL, navigation, errors)."""

from __future__ import annotations

from flask import Flask, before_render_template, current_app, g, render_template, request, template_rendered
from flask_login import current_user

from coproduce.helpers import can_manage, is_member, load_request_team, loaded_slug
from coproduce.observability import init_observability, log_exception


def _pull_team(endpoint, values):
    """Any route with <team> in its URL gets the Team in g.team (404 later if missing)."""
    if values and "team" in values:
        g.team_slug = values.pop("team")
        g.team = load_request_team(g.team_slug)


def _inject_team(endpoint, values):
    team = g.get("team")
    if team is not None and "team" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "team"):
        values["team"] = loaded_slug(team)


def _guard():
    host = current_app.extensions["plugins"]
    if host.plugin_of_request() is not None:
        host.guard_request()


def _layout_context():
    """The layout's team navigation; a render inside another (each govuk_frontend_wtf form
    field is a render_template of its own) reuses the page's instead of asking the plugins again."""
    cached = g.get("_layout_context")
    if cached is not None and g.get("_rendering", 0) > 0:
        return cached
    g._layout_context = _work_out_layout_context(g.get("team"))
    return g._layout_context


def _forget_layout_context():
    """A new request starts with no page being rendered (tests may keep one app context, and so
    one `g`, across requests)."""
    g.pop("_layout_context", None)
    g._rendering = 0


def _render_started(_app, **_extra):
    g._rendering = g.get("_rendering", 0) + 1


def _render_ended(_app, **_extra):
    g._rendering = g.get("_rendering", 1) - 1


def _work_out_layout_context(team):
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
    from coproduce.views import auth, health, mail_admin, notifications, public, site_admin, team_admin, waiting

    init_observability(app)
    app.url_value_preprocessor(_pull_team)
    app.url_defaults(_inject_team)
    app.before_request(_forget_layout_context)
    app.before_request(_guard)
    app.context_processor(_layout_context)
    before_render_template.connect(_render_started, app)
    template_rendered.connect(_render_ended, app)
    for status in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, _error_page(status))
    for blueprint in (
        public.bp,
        auth.bp,
        team_admin.bp,
        site_admin.bp,
        mail_admin.bp,
        waiting.bp,
        notifications.bp,
        health.bp,
    ):
        app.register_blueprint(blueprint)
