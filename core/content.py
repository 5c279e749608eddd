"""Team-written text on the page: the reader's language, marked when it is another language.

coproduce.models.translatable keeps a value per language; this module picks the page's language
in a request, and marks up what it gives: a passage in another language than the page's carries
lang= (WCAG 3.1.2), and every passage is isolated (bdi, or dir="auto" on a block) so that
right-to-left pages keep each passage's punctuation with its words.

Templates get local(obj, "field"), local_block(obj, "field", html) and untranslated_notice(obj, ...);
views and plugins get local_text() and local_html() through coproduce.plugins.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_babel import force_locale, get_locale, gettext as _
from markupsafe import Markup, escape

from coproduce.i18n import LANGUAGES, default_locale
from coproduce.models.translatable import CONTENT_LANGUAGES, LocalText, Translatable


def page_language() -> str:
    code = str(get_locale() or "")
    return code if code in LANGUAGES else site_language()


def site_language() -> str:
    """The site's default language: the site admin's choice (English outside the app)."""
    return default_locale() if has_app_context() else CONTENT_LANGUAGES[0]


def text_languages() -> tuple[str, str]:
    """The languages local_text looks for a field in, in order: the page's, then the site's default."""
    return page_language(), site_language()


def local_text(obj: Translatable, field: str) -> LocalText:
    """The field in the page's language, else the site's default, else as the team wrote it."""
    return obj.localised(field, *text_languages())


def _lang_attribute(text: LocalText) -> Markup:
    return Markup(' lang="%s"') % text.lang if text.lang != page_language() else Markup("")


def in_lang(text: LocalText | str) -> Markup:
    """Team-written text as inline HTML: isolated in bdi, and marked with its language when it is not the page's."""
    if not text:
        return Markup("")
    lang = _lang_attribute(text) if isinstance(text, LocalText) else Markup("")
    return Markup("<bdi%s>%s</bdi>") % (lang, text)


def local(obj: Translatable, field: str) -> Markup:
    """The field as inline HTML in the page's language (see in_lang)."""
    return in_lang(local_text(obj, field))


def local_html(text: LocalText, html: Markup) -> Markup:
    """HTML made from a LocalText (Markdown, line breaks) as a block marked with the text's language.

    `html` must be Markup already (a plain string would be escaped, as text)."""
    if not text:
        return Markup("")
    return Markup('<div class="coproduce-local"%s dir="auto">%s</div>') % (_lang_attribute(text), html)


def local_block(obj: Translatable, field: str, html: Markup | None = None) -> Markup:
    """A block of the field's text: `html` drawn from it, or the text itself, escaped, with line breaks."""
    text = local_text(obj, field)
    body = html if html is not None else Markup("<br>\n").join(escape(line) for line in text.splitlines())
    return local_html(text, body)


def untranslated(*objs) -> list[str]:
    """Languages the page falls back to because a team has not yet written these records in the page's.

    Each argument is a Translatable record or a list of them (a project's criteria, say)."""
    wanted = page_language()
    site = site_language()
    found: dict[str, None] = {}
    records = [item for obj in objs for item in (obj if isinstance(obj, (list, tuple)) else [obj])]
    for obj in records:
        if not isinstance(obj, Translatable):
            continue
        for field in obj.translated_fields:
            text = obj.localised(field, wanted, site)
            if text.fallback:
                found[text.lang] = None
    return list(found)


def untranslated_notice(*objs) -> Markup:
    """A line saying which parts of the page are not yet in the page's language, or nothing."""
    languages = untranslated(*objs)
    if not languages:
        return Markup("")
    names = ", ".join(LANGUAGES[code].native_name for code in languages)
    message = _(
        "Some of this page is not yet written in %(page)s. Those parts are shown in %(languages)s.",
        page=LANGUAGES[page_language()].native_name,
        languages=names,
    )
    return Markup('<div class="govuk-inset-text coproduce-untranslated">%s</div>') % message


def language_names(codes: list[str]) -> str:
    return ", ".join(LANGUAGES[code].native_name for code in codes if code in LANGUAGES)


Made = TypeVar("Made")
#: A bilingual site's languages, in the order printed matter and emails give them (Welsh first).
BILINGUAL = ("cy", "en")


def print_languages(lang: str | None = None) -> tuple[str, ...]:
    """The languages posters, paper forms and emails are in: Welsh then English when the site admin has
    made the site bilingual (WELSH_BILINGUAL) and the reader reads either; else the reader's alone."""
    from coproduce.site_settings import get_setting  # noqa: PLC0415 - the settings read the database

    lang = lang or page_language()
    if lang in BILINGUAL and get_setting("WELSH_BILINGUAL"):
        return BILINGUAL
    return (lang,)


def in_print_languages(render: Callable[[], Made], lang: str | None = None) -> list[tuple[str, Made]]:
    """render() in each of print_languages(), as [(language, what it gave)]: once, as it is, on most sites."""
    languages = print_languages(lang)
    if languages == (page_language(),):
        return [(languages[0], render())]
    made = []
    for code in languages:
        with force_locale(code):
            made.append((code, render()))
    return made


def add_translation_columns(op, table: str, translations: bool = True) -> None:
    """For a migration: the Translatable columns on a table, existing rows in the site's default language.

    translations=False when the table already has its `translations` JSON column (core's team).
    """
    with op.batch_alter_table(table) as batch:
        if translations:
            batch.add_column(sa.Column("translations", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("content_language", sa.String(8), nullable=True))
    language = migration_site_language(op.get_bind())
    op.execute(
        sa.text(f"UPDATE {table} SET content_language = :language").bindparams(language=language)  # nosec B608
    )


def migration_site_language(connection) -> str:
    """The site's default language while migrating: the site admin's choice, else the installation's."""
    row = connection.execute(sa.text("SELECT value FROM site_setting WHERE key = 'DEFAULT_LOCALE'")).first()
    if row is not None:
        value = row[0] if isinstance(row[0], dict) else json.loads(row[0] or "{}")
        if value.get("value") in CONTENT_LANGUAGES:
            return value["value"]
    configured = current_app.config.get("DEFAULT_LOCALE") if has_app_context() else None
    return configured if configured in CONTENT_LANGUAGES else CONTENT_LANGUAGES[0]


def reader_language() -> str:
    """The page's language (or the one force_locale chose for an email or a job); English without an app."""
    return page_language() if has_app_context() else CONTENT_LANGUAGES[0]


def init_content(app: Flask) -> None:
    Translatable.site_default = staticmethod(site_language)
    Translatable.reader_language = staticmethod(reader_language)
    app.jinja_env.globals.update(
        in_lang=in_lang,
        local=local,
        local_block=local_block,
        local_text=local_text,
        untranslated_notice=untranslated_notice,
        language_names=language_names,
        print_languages=print_languages,
    )
