"""The theme on the app: its static files, brand.css, and the layout's Jinja helpers.

Loading and checking a theme folder is in core/theme_files.py (no Flask).
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, request, send_file
from flask_babel import get_locale

from coproduce.layout import init_layout
from coproduce.theme_files import THEMES_ROOT, Theme, load_theme

__all__ = ["THEMES_ROOT", "Theme", "init_theming", "load_theme"]

bp = Blueprint("theme", __name__, url_prefix="/theme")
BRAND_CSS_MAX_AGE = 3600
VERSIONED_MAX_AGE = 365 * 24 * 3600


@bp.get("/static/<path:filename>")
def static(filename: str):
    path = current_app.extensions["theme"].find_static(filename)
    if path is None:
        abort(404)
    return send_file(path, conditional=True)


@bp.get("/brand.css")
def brand_css():
    theme: Theme = current_app.extensions["theme"]
    response = current_app.response_class(theme.brand_css, mimetype="text/css")
    response.set_etag(theme.brand_css_version)
    response.cache_control.public = True
    if request.args.get("v") == theme.brand_css_version:
        response.cache_control.max_age = VERSIONED_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = BRAND_CSS_MAX_AGE
    return response.make_conditional(request)


def theme_text(key: str) -> str:
    """A theme setting in the current request's language (Jinja global)."""
    return current_app.extensions["theme"].text(key, str(get_locale() or ""))


def init_theming(app: Flask) -> Theme:
    """Load app.config["THEME"], check it, serve its files and give templates `theme` and helpers."""
    theme = load_theme(app.config["THEME"])
    app.extensions["theme"] = theme
    app.register_blueprint(bp)
    app.jinja_env.globals.update(theme=theme, theme_text=theme_text)
    init_layout(app)
    return theme
