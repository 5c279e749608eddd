"""Alembic through Flask-Migrate: one environment, core on branch "core", a branch per plugin."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from coproduce.extensions import db, migrate
from coproduce.models.types import UTCDateTime

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def version_locations(app: Flask) -> list[str]:
    host = app.extensions["plugins"]
    folders = [MIGRATIONS_DIR / "versions"]
    folders += [p.migrations for _, p in sorted(host.loaded.items()) if p.migrations]
    return [str(f) for f in folders]


@migrate.configure
def _add_plugin_branches(config):
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", " ".join(version_locations(current_app)))
    return config


def _render_item(type_, obj, autogen_context):
    """Write core's column types as plain SQLAlchemy types, so revisions never import coproduce."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def is_search_index(name: str) -> bool:
    """A plugin's full-text index: a table `<plugin>_fts` (and SQLite's `<plugin>_fts_*` shadow tables) or an
    index `ix_<table>_search`. Migrations (and triggers) keep them, not models, so autogenerate leaves them alone."""
    return name.endswith(("_fts", "_search")) or "_fts_" in name


def include_name(name, type_, parent_names) -> bool:
    return not (type_ in ("table", "index") and name and is_search_index(name))


def init_migrations(app: Flask) -> None:
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_name=include_name,
    )


def upgrade_all(sql: bool = False) -> None:
    """Apply every branch's head (core and each plugin)."""
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS_DIR), revision="heads", sql=sql)
