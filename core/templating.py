"""Where templates come from: theme > parent theme > plugins > core, then GOV.UK Frontend.

A template named "core:<name>" skips the themes, so a theme can extend the original
it overrides ({% extends "core:base.html" %}).
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

CORE_TEMPLATES = Path(__file__).parent / "templates"


def build_loader(theme_dirs: list[Path], plugin_dirs: list[Path]) -> ChoiceLoader:
    originals = ChoiceLoader(
        [FileSystemLoader(str(d)) for d in plugin_dirs] + [FileSystemLoader(str(CORE_TEMPLATES))]
    )
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
