"""The plugin manager: discovery, loading and checks, set-up, and hook calls per team.

A PluginHost lives on each app (app.extensions["plugins"]); nothing here is global. Plugins never
import this module: their surface is coproduce.plugins.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from flask import Blueprint, Flask, abort, g, has_request_context, request
from markupsafe import Markup
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from coproduce import hookspecs
from coproduce.extensions import db
from coproduce.models import PluginState, Team, User, record
from coproduce.plugin_types import PluginMeta
from coproduce.version import __version__ as CORE_VERSION

ENTRY_POINT_GROUP = "coproduce.plugins"
log = logging.getLogger("coproduce.plugins")
_ENABLED_PLUGINS = db.select(PluginState.plugin).where(
    PluginState.team_id == db.bindparam("team_id"), PluginState.enabled
)


@dataclass
class LoadedPlugin:
    meta: PluginMeta
    module: ModuleType
    hooks: ModuleType
    source: str  # "entry point" or "explicit"

    def subfolder(self, name: str) -> Path | None:
        """A folder beside the plugin's module (templates, translations, migrations), if it has one."""
        module_file = getattr(self.module, "__file__", None)
        folder = Path(module_file).parent / name if module_file else None
        return folder if folder and folder.is_dir() else None

    @property
    def migrations(self) -> Path | None:
        return self.subfolder("migrations")


class PluginLoadError(Exception):
    pass


def _hooks_module(module: ModuleType) -> ModuleType:
    """A package's hooks live in its `hooks` submodule; a single-module plugin holds them itself."""
    if hasattr(module, "__path__"):
        try:
            return importlib.import_module(f"{module.__name__}.hooks")
        except ModuleNotFoundError as error:
            if error.name != f"{module.__name__}.hooks":
                raise
    return module


def _check_meta(module: ModuleType) -> PluginMeta:
    meta = getattr(module, "meta", None)
    if not isinstance(meta, PluginMeta):
        raise PluginLoadError("it has no `meta = PluginMeta(...)`")
    try:
        wanted = SpecifierSet(meta.requires_core)
    except InvalidSpecifier:
        raise PluginLoadError(f"requires_core {meta.requires_core!r} is not a version range") from None
    if not wanted.contains(Version(CORE_VERSION), prereleases=True):
        raise PluginLoadError(f"it needs core {meta.requires_core}, this is core {CORE_VERSION}")
    return meta


class TeamHooks:
    """Hook calls limited to one set of enabled plugins, with deterministic ordering."""

    def __init__(self, host: "PluginHost", enabled: frozenset[str]):
        self._host = host
        self.enabled = enabled

    def collect(self, hook_name: str, **kwargs) -> list:
        """Call the hook on each enabled plugin; flatten, tag with the plugin, sort by (order, plugin).

        A plugin that raises is logged and left out, so one faulty plugin cannot take a page down.
        """
        items = []
        for plugin_name, result in self.each(hook_name, **kwargs):
            if result is None:
                continue
            for item in result if isinstance(result, (list, tuple)) else [result]:
                items.append(replace(item, plugin=plugin_name) if hasattr(item, "plugin") else item)
        return sorted(items, key=lambda i: (getattr(i, "order", 100), getattr(i, "plugin", "")))

    def each(self, hook_name: str, **kwargs) -> Iterable[tuple[str, Any]]:
        """(plugin name, result) for each enabled plugin implementing the hook, by plugin name."""
        hook = getattr(self._host.pm.hook, hook_name)
        impls = sorted(
            (i for i in hook.get_hookimpls() if i.plugin_name in self.enabled),
            key=lambda i: i.plugin_name,
        )
        for impl in impls:
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception:  # noqa: BLE001 - isolate a faulty plugin
                log.exception("plugin %s failed in hook %s", impl.plugin_name, hook_name)
                if self._host.raise_hook_errors:
                    raise
                continue
            yield impl.plugin_name, result

    def slot(self, slot: str, context: dict) -> Markup:
        parts = [r for _, r in self.each("render_slot", slot=slot, context=context) if r]
        return Markup("").join(Markup(p) for p in parts)  # nosec B704

    def __getattr__(self, hook_name: str):
        """hooks_for(team).<hook>(**kwargs): pluggy's own call, limited to enabled plugins."""
        return self._host._subset_caller(hook_name, self.enabled)


class PluginHost:
    """Per-app plugin manager: discovery, checks, set-up, and per-team hook calls."""

    def __init__(self, app: Flask):
        self.app = app
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.loaded: dict[str, LoadedPlugin] = {}
        self.failed: dict[str, str] = {}
        self.installed: list[str] = []
        self.blueprint_plugins: dict[str, str] = {}
        self.raise_hook_errors = bool(app.config.get("PLUGINS_RAISE_HOOK_ERRORS"))
        self._subset_caller = lru_cache(maxsize=512)(self._make_subset_caller)
        self._team_hooks = lru_cache(maxsize=512)(lambda enabled: TeamHooks(self, enabled))

    # Discovery and loading

    def discover(self, allowed: list[str]) -> None:
        """Load plugins from the coproduce.plugins entry-point group, the only discovery path."""
        allow_all = "all" in allowed
        for entry_point in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if entry_point.name in self.installed:
                continue
            self.installed.append(entry_point.name)
            if not allow_all and entry_point.name not in allowed:
                continue
            self._load(entry_point.name, entry_point.load, "entry point")

    def load_explicit(self, modules: list[ModuleType | str]) -> None:
        """Load exactly these plugins (tests), as modules or dotted names."""
        for item in modules:
            name = item if isinstance(item, str) else item.__name__
            self.installed.append(name.rsplit(".", 1)[-1])
            loader = (lambda n=item: importlib.import_module(n)) if isinstance(item, str) else (lambda m=item: m)
            self._load(name.rsplit(".", 1)[-1], loader, "explicit")

    def _load(self, label: str, loader: Callable[[], ModuleType], source: str) -> None:
        try:
            module = loader()
            label = getattr(getattr(module, "meta", None), "name", label)
            meta = _check_meta(module)
            if meta.name in self.loaded:
                raise PluginLoadError(f"another plugin is already called {meta.name!r}")
            hooks = _hooks_module(module)
            self.pm.register(hooks, name=meta.name)
            try:
                self.pm.check_pending()
            except pluggy.PluginValidationError as error:
                self.pm.unregister(name=meta.name)
                raise PluginLoadError(str(error)) from None
        except Exception as error:  # noqa: BLE001 - a broken plugin must not stop the site
            reason = str(error) if isinstance(error, PluginLoadError) else _one_line(error)
            self.failed[label] = reason
            log.error("plugin %s not loaded: %s", label, reason)
            return
        self.loaded[meta.name] = LoadedPlugin(meta, module, hooks, source)

    def fail(self, name: str, reason: str) -> None:
        """Take a loaded plugin out after a set-up error."""
        if self.pm.has_plugin(name):
            self.pm.unregister(name=name)
        self.loaded.pop(name, None)
        self.failed[name] = reason
        self._subset_caller.cache_clear()
        log.error("plugin %s not loaded: %s", name, reason)

    # Set-up hooks

    def call_one(self, name: str, hook_name: str, **kwargs):
        return dict(TeamHooks(self, frozenset({name})).each(hook_name, **kwargs)).get(name)

    def set_up(self, app: Flask) -> None:
        for name in sorted(self.loaded):
            try:
                self._set_up_one(app, name)
            except Exception as error:  # noqa: BLE001
                self.fail(name, f"set-up failed: {_one_line(error)}")

    def _set_up_one(self, app: Flask, name: str) -> None:
        saved = self.raise_hook_errors
        self.raise_hook_errors = True
        try:
            self.call_one(name, "configure_app", app=app)
            blueprints = self.call_one(name, "register_blueprints", app=app) or []
        finally:
            self.raise_hook_errors = saved
        meta = self.loaded[name].meta
        for blueprint in blueprints:
            if not isinstance(blueprint, Blueprint):
                raise PluginLoadError("register_blueprints must return Blueprints")
            app.register_blueprint(blueprint, url_prefix=f"/t/<team>/{meta.prefix}")
            self.blueprint_plugins[blueprint.name] = name

    # Per-team state

    def enabled_for(self, team: Team | None) -> frozenset[str]:
        """Names of loaded plugins the team has switched on, read fresh from the database."""
        if team is None or team.id is None:
            return frozenset()
        cache = g.setdefault("_enabled_plugins", {}) if has_request_context() else {}
        if team.id not in cache:
            rows = db.session.execute(_ENABLED_PLUGINS, {"team_id": team.id}).scalars()
            cache[team.id] = frozenset(rows) & frozenset(self.loaded)
        return cache[team.id]

    def remember_enabled(self, team: Team, names: set[str]) -> None:
        """What the request just read for the team (coproduce.helpers.load_request_team), so enabled_for
        does not read it again in this request."""
        if has_request_context() and team.id is not None:
            g.setdefault("_enabled_plugins", {})[team.id] = frozenset(names) & frozenset(self.loaded)

    def hooks_for(self, team: Team | None) -> TeamHooks:
        return self._team_hooks(self.enabled_for(team))

    def all_hooks(self) -> TeamHooks:
        return self._team_hooks(frozenset(self.loaded))

    def set_enabled(self, team: Team, name: str, enabled: bool, actor: User | None = None) -> bool:
        """Switch a plugin on or off for a team. Returns False when nothing changed."""
        if name not in self.loaded:
            raise KeyError(name)
        state = db.session.execute(
            db.select(PluginState).where(PluginState.team_id == team.id, PluginState.plugin == name)
        ).scalar_one_or_none()
        if state is None:
            state = PluginState(team_id=team.id, plugin=name, enabled=False, settings={})
            db.session.add(state)
        if state.enabled == enabled:
            return False
        state.enabled = enabled
        record("plugin.enabled" if enabled else "plugin.disabled", actor=actor, team=team, target=name)
        db.session.commit()
        if has_request_context():
            g.pop("_enabled_plugins", None)
        self.call_one(name, "plugin_enabled" if enabled else "plugin_disabled", team=team)
        return True

    def _make_subset_caller(self, hook_name: str, enabled: frozenset[str]):
        others = [self.pm.get_plugin(n) for n in self.loaded if n not in enabled]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=[p for p in others if p is not None])

    # Requests to plugin blueprints

    def plugin_of_request(self) -> str | None:
        if not request.blueprint:
            return None
        return self.blueprint_plugins.get(request.blueprint.split(".")[0])

    def guard_request(self) -> None:
        """Before a plugin view: the team must exist and have the plugin switched on, else 404."""
        name = self.plugin_of_request()
        if name is None:
            return
        team = g.get("team")
        if team is None or team.archived_at is not None or name not in self.enabled_for(team):
            abort(404)
        g.plugin = name


def collect_for(team: Team, hook_name: str, /, **kwargs) -> list:
    """Call a per-request hook on the plugins this team enabled; items sorted by (order, plugin).

    The public way for a plugin to ask the others for something (e.g. project_panels). team and hook_name are
    positional, so a hook that takes a team is called collect_for(team, "search_results", team=team, ...).
    """
    from flask import current_app

    return current_app.extensions["plugins"].hooks_for(team).collect(hook_name, **kwargs)


def _one_line(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" ({Path(frame[0].filename).name}:{frame[0].lineno})" if frame else ""
    return f"{type(error).__name__}: {error}{where}".replace("\n", " ")
