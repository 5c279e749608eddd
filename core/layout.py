"""Jinja helpers the base layout uses (registered by coproduce.theming.init_theming, so nothing else to call).

- has_endpoint(name): is there a route for this endpoint? Guards url_for in shared templates.
- language_url(code): the current page's URL with ?lang=<code>, keeping the other query arguments.
- html_lang_attributes(): the value for the govuk template's htmlLang, carrying dir="rtl" when needed.
- is_current_url(url): does a navigation item point at this page?
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request
from markupsafe import Markup, escape


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def language_url(code: str) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    args.append(("lang", code))
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def html_lang_attributes() -> Markup:
    """`ur" dir="rtl` for right-to-left languages, else just the code.

    govuk_frontend_jinja/template.html writes <html lang="{{ htmlLang }}"> and has no way to add
    other attributes to <html>; a Markup value adds dir without copying the whole template.
    """
    from coproduce.i18n import current_language

    language = current_language()
    code = escape(language.code)
    if language.direction == "rtl":
        return Markup(f'{code}" dir="rtl')  # nosec B704
    return Markup(code)  # nosec B704


def is_current_url(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path in (request.path, request.script_root + request.path)


def init_layout(app: Flask) -> None:
    app.jinja_env.globals.update(
        has_endpoint=has_endpoint,
        language_url=language_url,
        html_lang_attributes=html_lang_attributes,
        is_current_url=is_current_url,
    )
