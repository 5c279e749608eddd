"""Where templates come from: theme > parent theme > plugins > core, then GOV.UK Frontend.

A template named "core:<name>" skips the themes, so a theme can extend the original
it overrides ({% extends "core:base.html" %}).
"""

from __future__ import annotations

from collections import ChainMap
from pathlib import Path

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from coproduce.component_cache import ComponentCache

CORE_TEMPLATES = Path(__file__).parent / "templates"


class _Globals(ChainMap):
    """A template's globals whose keys() is a set.

    Jinja works out `context globals - template globals` on every {% from ... import %} (and the
    GOV.UK macros import one another on every call); with a plain ChainMap that is a Python loop
    over every global, with a set it is one C operation. Same keys, same values.
    """

    def keys(self):
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with _Globals for each template (create_app sets it on the app)."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def build_loader(theme_dirs: list[Path], plugin_dirs: list[Path]) -> ChoiceLoader:
    originals = ChoiceLoader([FileSystemLoader(str(d)) for d in plugin_dirs] + [FileSystemLoader(str(CORE_TEMPLATES))])
    return ChoiceLoader(
        [FileSystemLoader([str(d) for d in theme_dirs if d.is_dir()])]
        + [originals]
        + [
            PrefixLoader({"core": originals}, delimiter=":"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )


def init_templating(app: Flask, theme_dirs: list[Path], plugin_dirs: list[Path]) -> None:
    app.jinja_loader = build_loader(theme_dirs, [d for d in plugin_dirs if d.is_dir()])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    components = ComponentCache()
    app.extensions["component_cache"] = components
    app.jinja_env.globals["govuk_cached"] = components.render
    from coproduce.content import init_content

    init_content(app)  # local(), local_text()...: every template may show team-written text
