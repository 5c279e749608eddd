"""Core's pages, and the request plumbing every page shares (team from the URL, navigation, errors)."""

from __future__ import annotations

import logging

from flask import (
    Flask,
    before_render_template,
    current_app,
    g,
    make_response,
    render_template,
    request,
    template_rendered,
)
from flask_login import current_user
from markupsafe import escape

from coproduce.extensions import db
from coproduce.helpers import can_manage, is_member, load_request_team, loaded_slug
from coproduce.observability import init_observability, log_exception
from coproduce.security import _security_headers as security_headers

log = logging.getLogger("coproduce.errors")


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


#: The page sent when the error page itself cannot be drawn (the database or a template is broken):
#: no template, no database, no translations, so nothing that failed can fail again.
MINIMAL_ERROR_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem</title>'
    "</head><body><h1>Sorry, there is a problem</h1><p>Try again later.</p>{reference}</body></html>"
)


def _rollback() -> None:
    """A failed statement leaves the session unusable until it is rolled back; the error page (the
    signed-in user, the site's settings) reads the database, so roll back before drawing it."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection itself may be gone; the page must still be sent
        log.warning("rollback failed while answering an error", exc_info=True)


def _error_page(status: int):
    def handler(error):
        request_id = None
        if status == 500:
            _rollback()
            request_id = log_exception(getattr(error, "original_exception", None) or error)
        try:
            if request.path.startswith("/healthz"):
                response = make_response({"status": "error", "code": status}, status)
            else:
                response = make_response(
                    render_template("errors/error.html", status=status, error=error, request_id=request_id), status
                )
        except Exception:  # noqa: BLE001 - drawing the error page failed: send the plain one
            log.exception("the error page for %s could not be drawn", status)
            _rollback()
            reference = f"<p>Reference: {escape(request_id)}</p>" if request_id else ""
            response = make_response(MINIMAL_ERROR_PAGE.format(reference=reference), status)
            response.mimetype = "text/html"
        # Set here too: the after-request functions that normally add them may be what failed.
        return security_headers(response)

    return handler


def register_core_views(app: Flask) -> None:
    from coproduce.views import auth, health, jobs, mail_admin, notifications, public, site_admin, team_admin, waiting

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
        jobs.bp,
        health.bp,
    ):
        app.register_blueprint(blueprint)
