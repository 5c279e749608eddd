"""Team-written text in every language: one value per language, falling back to the site's default.

A model that teams write for the public mixes in Translatable and names its fields in
`translated_fields`. Each field's own column holds the text in `content_language` (the language the
team first wrote it in; existing rows were stamped with the site's default language when the column
came); `translations` holds the other languages: {"cy": {"title": "..."}, "ur": {...}}.

Reading picks the reader's language, then the site's default, then the column's own text, and says
which language it gave (LocalText.lang), so a page can mark a passage in another language with
lang= and say it is not yet translated. Nothing here needs Flask: coproduce.content adds the request.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

#: Every language the interface speaks, in the order forms show them.
CONTENT_LANGUAGES = ("en", "cy", "pl", "ur")


class LocalText(str):
    """Text with the language it is in (`lang`) and the language that was asked for (`wanted`)."""

    lang: str
    wanted: str

    def __new__(cls, text: str, lang: str, wanted: str) -> LocalText:
        made = super().__new__(cls, text)
        made.lang = lang
        made.wanted = wanted
        return made

    @property
    def fallback(self) -> bool:
        """True when the text is not in the language that was asked for."""
        return bool(self) and self.lang != self.wanted


def _english() -> str:
    return CONTENT_LANGUAGES[0]


def lines_of(text: LocalText) -> list[LocalText]:
    """A field written one item a line, as items that keep the text's language."""
    return [LocalText(line.strip(), text.lang, text.wanted) for line in text.splitlines() if line.strip()]


class Translatable:
    """Mixin for models whose text the public reads: per-language values with fallback.

    `default` arguments name the site's default language; left out, `site_default()` gives it (core
    sets that to the site admin's choice when the app starts).
    """

    #: The model's columns that teams write and the public reads, in every language.
    translated_fields: ClassVar[tuple[str, ...]] = ()
    #: Gives the site's default language (core points this at its setting).
    site_default: ClassVar = staticmethod(_english)
    #: Gives the reader's language when localised() is not told one (core: the page's language).
    reader_language: ClassVar = staticmethod(_english)

    translations: Mapped[dict | None] = mapped_column(JSON, nullable=True, default=dict)
    # The language of the field columns; empty means the site's default language (rows made by
    # imports and the demo). Forms stamp it when a team first writes the record.
    content_language: Mapped[str | None] = mapped_column(String(8), nullable=True)

    def base_language(self, default: str | None = None) -> str:
        """The language of the field columns themselves."""
        if self.content_language in CONTENT_LANGUAGES:
            return str(self.content_language)
        return default or Translatable.site_default()

    def text_in(self, field: str, lang: str, default: str | None = None) -> str:
        """The field's text written in exactly that language ("" when there is none)."""
        if field not in self.translated_fields:
            raise KeyError(field)
        if lang == self.base_language(default):
            return getattr(self, field) or ""
        value = ((self.translations or {}).get(lang) or {}).get(field)
        return value if isinstance(value, str) else ""

    def set_text(self, field: str, lang: str, value: str, default: str | None = None) -> None:
        """Store the field's text in a language; an empty value removes that language's text."""
        if field not in self.translated_fields:
            raise KeyError(field)
        if lang == self.base_language(default):
            setattr(self, field, value)
            return
        if lang not in CONTENT_LANGUAGES:
            raise KeyError(lang)
        # A new dict each time: the JSON column only notices a new value, not one changed in place.
        translations = {code: dict(fields) for code, fields in (self.translations or {}).items()}
        if value:
            translations.setdefault(lang, {})[field] = value
        else:
            translations.get(lang, {}).pop(field, None)
        self.translations = {code: fields for code, fields in translations.items() if fields}

    def localised(self, field: str, lang: str | None = None, default: str | None = None) -> LocalText:
        """The field in the reader's language, else the site's default language, else as written."""
        default = default or Translatable.site_default()
        wanted = lang or Translatable.reader_language() or default
        for candidate in dict.fromkeys((wanted, default, self.base_language(default))):
            text = self.text_in(field, candidate, default)
            if text:
                return LocalText(text, candidate, wanted)
        return LocalText("", wanted, wanted)

    def missing_languages(self, default: str | None = None, fields: tuple[str, ...] | None = None) -> list[str]:
        """Languages in which some field that has text is not yet written, in CONTENT_LANGUAGES order."""
        default = default or Translatable.site_default()
        written = [f for f in fields or self.translated_fields if getattr(self, f, None)]
        return [lang for lang in CONTENT_LANGUAGES if any(not self.text_in(f, lang, default) for f in written)]
