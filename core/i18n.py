"""Languages: which locale a request gets, and one gettext domain per plugin.

Each plugin keeps its own catalog (plugins/<name>/translations/<locale>/LC_MESSAGES/<name>.po);
the app's default Flask-Babel domain reads core's catalog and every loaded plugin's, so one
`_` works in every template and view.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

CORE_DOMAIN = "coproduce"
CORE_TRANSLATIONS = Path(__file__).parent / "translations"
LOCALE_COOKIE = "coproduce_lang"


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str
    direction: str = "ltr"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English"),
        Language("cy", "Cymraeg"),
        Language("pl", "Polski"),
        Language("ur", "اردو", "rtl"),
    )
}


def select_locale() -> str:
    """Query parameter, then the signed-in person's choice, then cookie, browser, default."""
    if not has_request_context():
        return default_locale()  # command-line output and emails sent from commands
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    if current_user and current_user.is_authenticated and current_user.preferred_locale in LANGUAGES:
        return current_user.preferred_locale
    cookie = request.cookies.get(LOCALE_COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    best = request.accept_languages.best_match(list(LANGUAGES))
    return best or default_locale()


def default_locale() -> str:
    """The installation's default: the site admin's choice, else the DEFAULT_LOCALE setting."""
    from core.site_settings import get_setting

    try:
        return get_setting("DEFAULT_LOCALE")
    except Exception:  # noqa: BLE001 - an unreachable database must not break language choice
        return current_app.config["DEFAULT_LOCALE"]


def current_language() -> Language:
    return LANGUAGES.get(str(get_locale()), LANGUAGES["en"])


def translation_config(plugin_dirs: dict[str, Path]) -> tuple[str, str]:
    """BABEL_TRANSLATION_DIRECTORIES and BABEL_DOMAIN for core plus the given plugins."""
    dirs = [str(CORE_TRANSLATIONS)] + [str(p) for p in plugin_dirs.values()]
    domains = [CORE_DOMAIN] + list(plugin_dirs)
    return ";".join(dirs), ";".join(domains)


def remember_locale(response):
    """Keep a language chosen by link in a strictly necessary cookie."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(LOCALE_COOKIE) != asked:
        response.set_cookie(
            LOCALE_COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=request.is_secure,
        )
    return response


def init_i18n(app: Flask) -> None:
    app.after_request(remember_locale)
    app.jinja_env.globals.update(get_locale=get_locale, current_language=current_language, LANGUAGES=LANGUAGES)
