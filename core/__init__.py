"""Coproduce core: the app factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask
from flask.globals import _cv_request

from coproduce.config import ConfigError, keep_instance_private, load_settings
from coproduce.version import __version__

__all__ = ["ConfigError", "__version__", "create_app"]


def default_instance_path() -> Path:
    """COPRODUCE_INSTANCE_PATH, else ./instance under the working directory: never inside the package."""
    return Path(os.environ.get("COPRODUCE_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


class Coproduce(Flask):
    """Flask, with every absolute link built from SITE_URL (never from the request's Host header)."""

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        site = self.config.get("SITE_URL_ORIGIN")
        request_context = _cv_request.get(None)
        refused_host = request_context is not None and request_context.url_adapter is None
        no_binding = request_context is None and not self.config.get("SERVER_NAME")
        if not (refused_host or no_binding or (site and _external)):
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        if refused_host or no_binding:
            # The Host was refused, or a command is running: bind the URL map to SITE_URL's host ourselves.
            parts = urlsplit(site or "http://localhost")
            adapter = self.url_map.bind(parts.netloc, url_scheme=parts.scheme)
            self.inject_url_defaults(endpoint, values)
            path = adapter.build(endpoint, values, method=_method)
            path += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@") if _anchor else ""
        else:
            path = super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        if not _external:
            return path
        return (site or "http://localhost") + path

    def dispatch_request(self):  # type: ignore[override]
        """The view, or for a signed-out visitor the page the worker already has (coproduce.page_cache)."""
        from coproduce.page_cache import dispatch

        return dispatch(super().dispatch_request)

    def wsgi_app(self, environ, start_response):  # type: ignore[override]
        """Flask, or for a signed-out visitor a page it sent before, from before Flask (coproduce.page_front)."""
        front = self.extensions.get("page_front")
        if front is None:
            return super().wsgi_app(environ, start_response)
        answer = front.answer(environ, start_response)
        if answer is not None:
            return answer
        return front.watch(environ, start_response, super().wsgi_app)


def create_app(config: dict[str, Any] | None = None, plugins: list[ModuleType | str] | None = None) -> Flask:
    """Build the app. `config` overrides settings; `plugins` replaces discovery with an explicit list.

    Raises ConfigError (one line, names the setting) when a setting is not allowed.
    """
    config = dict(config or {})
    instance_path = Path(config.pop("INSTANCE_PATH", None) or default_instance_path()).resolve()
    try:
        instance_path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"COPRODUCE_INSTANCE_PATH={str(instance_path)!r} cannot be created: {error.strerror}")
    keep_instance_private(instance_path)
    settings = load_settings(instance_path, config)

    app = Coproduce("coproduce", instance_path=str(instance_path), instance_relative_config=True)
    from coproduce.input_guard import init_input_guard

    init_input_guard(app)  # before any route is added, and before any other request hook
    from coproduce.templating import Environment

    app.jinja_environment = Environment  # before anything asks for app.jinja_env
    _apply_settings(app, settings)
    _configure_logging(app)

    from coproduce import extensions, i18n, plugin_host, security, templating, theming, views
    from coproduce.models import User  # noqa: F401 - registers core tables

    extensions.db.init_app(app)
    _configure_engine(app)
    from coproduce.uploads import init_storage

    init_storage(app)

    host = plugin_host.PluginHost(app)
    app.extensions["plugins"] = host
    if plugins is None:
        host.discover(app.config["PLUGINS_ALLOWED"])
    else:
        host.load_explicit(plugins)

    from coproduce.migrations_config import init_migrations

    init_migrations(app)

    theme = theming.init_theming(app)
    plugin_template_dirs = [p.subfolder("templates") for _, p in sorted(host.loaded.items())]
    templating.init_templating(app, theme.template_dirs(), [d for d in plugin_template_dirs if d])

    translation_dirs, domains = i18n.translation_config(
        {name: folder for name, p in sorted(host.loaded.items()) if (folder := p.subfolder("translations"))}
    )
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_dirs
    app.config["BABEL_DOMAIN"] = domains
    # A Babel instance per app: Flask-Babel caches translations on the instance, and apps with
    # different plugins (and so different catalogs) must not share that cache.
    from flask_babel import Babel

    Babel(app, locale_selector=i18n.select_locale)
    i18n.init_i18n(app)
    extensions.csrf.init_app(app)
    security.init_security(app)
    from coproduce.tasks import init_tasks

    init_tasks(app)
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)
    views.register_core_views(app)
    host.set_up(app)
    from coproduce.assets import init_assets

    init_assets(app, theme, {name: folder for name, p in host.loaded.items() if (folder := p.subfolder("static"))})
    from coproduce.follow_redirects import FollowRedirects

    app.wsgi_app = FollowRedirects(app.wsgi_app)  # type: ignore[method-assign]
    from coproduce.page_cache import init_page_cache

    init_page_cache(app)  # last: its after-request function runs first, on the view's own response
    return app


def _apply_settings(app: Flask, settings: dict[str, Any]) -> None:
    app.config.update(settings)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS=settings.get("SQLALCHEMY_ENGINE_OPTIONS", engine_options(settings)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="coproduce_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=settings["UPLOAD_MAX_BYTES"] + 64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=settings["DEFAULT_LOCALE"],
        BABEL_DEFAULT_TIMEZONE="Europe/London",
    )
    _site_url_hosts(app, settings.get("SITE_URL", ""))
    if settings.get("SITE_URL", "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def engine_options(settings: dict[str, Any]) -> dict[str, Any]:
    """Each worker process's connection pool. On PostgreSQL, no server-side prepared statements
    (prepare_threshold=None): nothing lives in a database session beyond one transaction, so the site
    works through PgBouncer in transaction mode."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if str(settings.get("DATABASE_URL", "")).startswith("postgresql"):
        options.update(
            pool_size=settings.get("DATABASE_POOL_SIZE", 5),
            max_overflow=settings.get("DATABASE_MAX_OVERFLOW", 5),
            connect_args={"prepare_threshold": None},
        )
    return options


def _site_url_hosts(app: Flask, site_url: str) -> None:
    """SITE_URL names the one host the site answers for, and the origin of every absolute link."""
    parts = urlsplit(site_url.strip())
    if parts.scheme in ("http", "https") and parts.hostname:
        app.config["SITE_URL_ORIGIN"] = f"{parts.scheme}://{parts.netloc}"
        app.config["PREFERRED_URL_SCHEME"] = parts.scheme
        if app.config.get("TRUSTED_HOSTS") is None:
            app.config["TRUSTED_HOSTS"] = [parts.hostname]
    elif app.config.get("SERVER_NAME") and app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [app.config["SERVER_NAME"].split(":")[0]]


def _configure_logging(app: Flask) -> None:
    """Log lines to standard error; with LOG_FORMAT=json, request lines are bare JSON objects."""
    logger = logging.getLogger("coproduce")
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler())
        logger.setLevel(logging.INFO)
    layout = "%(message)s" if app.config["LOG_FORMAT"] == "json" else "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logger.handlers[0].setFormatter(logging.Formatter(layout))


def _configure_engine(app: Flask) -> None:
    """SQLite: WAL journal and foreign keys on every connection."""
    from coproduce.extensions import db, on_each_sqlite_connection

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine
    on_each_sqlite_connection(engine, "PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=5000")
