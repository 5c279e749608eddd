"""Languages: which locale a request gets, and one gettext domain per plugin.

Each plugin keeps its own catalog (plugins/<name>/translations/<locale>/LC_MESSAGES/<name>.po);
the app's default Flask-Babel domain reads core's catalog and every loaded plugin's, so one
`_` works in every template and view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, get_translations, to_user_timezone
from flask_login import current_user

from coproduce import formats
from coproduce.formats import NAMED

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
    from coproduce.site_settings import get_setting

    try:
        return get_setting("DEFAULT_LOCALE")
    except Exception:  # noqa: BLE001 - an unreachable database must not break language choice
        return current_app.config["DEFAULT_LOCALE"]


def current_language() -> Language:
    return LANGUAGES.get(str(get_locale()), LANGUAGES["en"])


def text_direction() -> str:
    """ "rtl" when the page's language is written right to left (Urdu), else "ltr": for charts and layout."""
    return current_language().direction


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
            LOCALE_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def current_translations():
    """Flask-Babel's get_translations(), remembered for the request while its locale and domain stay.

    A page calls _() a few dozen times and each call would otherwise look the request's locale,
    domain and catalog up again through Flask's context proxies. force_locale() and refresh()
    replace or drop the locale Flask-Babel keeps, which makes the remembered one stale at once.
    """
    state = g.get("_flask_babel") if has_app_context() else None
    if state is not None:
        remembered = getattr(state, "coproduce_translations", None)
        if (
            remembered is not None
            and remembered[0] is getattr(state, "babel_locale", None)
            and remembered[1] is getattr(state, "babel_domain", None)
        ):
            return remembered[2]
    translations = get_translations()
    state = g.get("_flask_babel") if has_app_context() else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.coproduce_translations = (state.babel_locale, getattr(state, "babel_domain", None), translations)
    return translations


def _locale_name() -> str:
    return str(get_locale() or "en")


def format_day(value, length: str = "long") -> str:
    """A date in the request's language: "3 November 2026" in English (GOV.UK style); length "short" for tables."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return formats.day(value, _locale_name(), length)


def format_moment(value, length: str = "long") -> str:
    """A UTC date and time in the site's time zone and the request's language: "3 November 2026 at 9:25pm"."""
    if value is None:
        return ""
    return formats.moment(to_user_timezone(value), _locale_name(), length)


def _date_filter(value, format=None):  # noqa: A002 - Flask-Babel's filter's argument name
    """`|dateformat`: named lengths in each language's style (GOV.UK in English); a CLDR pattern as given."""
    if format is None or format in NAMED:
        return format_day(value, "short" if format == "short" else "long")
    return format_date(value, format)


def _datetime_filter(value, format=None):  # noqa: A002
    if format is None or format in NAMED:
        return format_moment(value, "short" if format == "short" else "long")
    return format_datetime(value, format)


def init_i18n(app: Flask) -> None:
    app.after_request(remember_locale)
    # Dates as GOV.UK writes them in English, and in each language's own long form (coproduce/formats.py).
    app.jinja_env.filters.update(dateformat=_date_filter, datetimeformat=_datetime_filter)
    # The same callables Flask-Babel installs, through current_translations().
    # jinja2.ext.i18n adds install_gettext_callables to the environment at run time.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        get_locale=get_locale, current_language=current_language, text_direction=text_direction, LANGUAGES=LANGUAGES
    )
