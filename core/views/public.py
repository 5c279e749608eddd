"""Pages anyone can see: home, a team's public page, and the statements every site needs."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, send_from_directory
from flask_babel import get_locale

from coproduce.extensions import db
from coproduce.models import Team

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    teams = db.session.execute(db.select(Team).where(Team.archived_at.is_(None)).order_by(Team.name)).scalars().all()
    return render_template("public/home.html", teams=teams)


@bp.get("/t/<team>/")
def team_home():
    team = g.get("team")
    if team is None or team.archived_at is not None:
        abort(404)
    items = current_app.extensions["plugins"].hooks_for(team).collect("public_items", team=team)
    return render_template("public/team_home.html", items=items, locale=str(get_locale()))


@bp.get("/static/plugins/<plugin>/<path:filename>")
def plugin_static(plugin: str, filename: str):
    """A loaded plugin's own static files (plugins/<name>/static/), for every team alike."""
    loaded = current_app.extensions["plugins"].loaded.get(plugin)
    folder = loaded.subfolder("static") if loaded else None
    if folder is None:
        abort(404)
    return send_from_directory(folder, filename, max_age=3600)


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy():
    host = current_app.extensions["plugins"]
    plugin_privacy = [
        (p.meta.title, list(p.meta.stores), name) for name, p in sorted(host.loaded.items()) if p.meta.stores
    ]
    return render_template("pages/privacy.html", plugin_privacy=plugin_privacy)


@bp.get("/cookies")
def cookies():
    return render_template("pages/cookies.html")


from coproduce.views import privacy as _privacy_pages  # noqa: E402,F401 - the retention and module notices
