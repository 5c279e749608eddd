"""The wording of a version's questions in every language: the catalogs' for the standard's own
text, the team's for what it rewords or adds.

A version's `data` holds each question's wording in the version's `content_language`; the other
languages are in the version's `translations`, under one key per text:

    {"cy": {"power-1.text": "...", "power-1.easy_read": "...", "power-1.b.text": "...", "power-1.b.easy_read": "..."}}

so copying a version copies them with it, and a locked version's wording in every language is as
frozen as the rest of it. QuestionWording shows one question to the toolkit's form and page
helpers as a Translatable record, with the fields of the question form (text, easy_read,
option_0, option_0_easy, ...). Text still as the standard questionnaire wrote it is a gettext
msgid: the catalogs translate it into every language, unless the team wrote its own.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from flask_babel import force_locale, get_locale
from markupsafe import Markup

from coproduce.plugins import LocalText, Translatable, gettext as _, local_text, text_languages

from .questionnaire import STANDARD_PATH, iter_messages, load_questionnaire

#: Every questionnaire file the plugin ships (the current standard and the first one).
SHIPPED = (STANDARD_PATH, Path(STANDARD_PATH).with_name("questionnaire_standard_1.toml"))


@functools.cache
def shipped_texts() -> frozenset[str]:
    """Every text of the shipped questionnaires: the catalogs translate each into every language."""
    return frozenset(message.text for path in SHIPPED for message in iter_messages(load_questionnaire(path)))


def question_keys(question: dict) -> dict[str, str]:
    """The question form's field names and their keys in the version's translations."""
    qid = question["id"]
    keys = {"text": f"{qid}.text", "easy_read": f"{qid}.easy_read"}
    for i, option in enumerate(question.get("options", ())):
        keys[f"option_{i}"] = f"{qid}.{option['id']}.text"
        keys[f"option_{i}_easy"] = f"{qid}.{option['id']}.easy_read"
    return keys


def question_values(question: dict) -> dict[str, str]:
    """The question's wording in the version's own language, by the question form's field names."""
    values = {"text": question.get("text", ""), "easy_read": question.get("easy_read", "")}
    for i, option in enumerate(question.get("options", ())):
        values[f"option_{i}"], values[f"option_{i}_easy"] = option.get("text", ""), option.get("easy_read", "")
    return values


class QuestionWording(Translatable):
    """One question of a version as a Translatable record (not stored itself: see store())."""

    def __init__(self, question: dict, translations: dict | None, content_language: str | None, version=None):
        self.version = version
        self.keys = question_keys(question)
        self.translated_fields = tuple(self.keys)  # type: ignore[misc]
        for field, value in question_values(question).items():
            setattr(self, field, value)
        self.content_language = content_language
        self.translations = {
            lang: {field: texts[key] for field, key in self.keys.items() if isinstance(texts.get(key), str)}
            for lang, texts in (translations or {}).items()
            if isinstance(texts, dict)
        }

    @classmethod
    def of(cls, version, question: dict) -> QuestionWording:
        """A question of a stored version, to edit (store() writes it back)."""
        return cls(question, version.translations, version.content_language, version)

    def localised(self, field: str, lang: str | None = None, default: str | None = None) -> LocalText:
        """The team's own text in the language; else the catalogs' for the standard's text; else fallback."""
        default = default or Translatable.site_default()
        wanted = lang or default
        if wanted != self.base_language(default) and (own := self.text_in(field, wanted, default)):
            return LocalText(own, wanted, wanted)
        written = getattr(self, field) or ""
        if written in shipped_texts():
            return LocalText(catalog_text(written, wanted), wanted, wanted)
        return super().localised(field, wanted, default)

    def missing_languages(self, default: str | None = None, fields: tuple[str, ...] | None = None) -> list[str]:
        """Languages the team has not yet written its own wording in (the standard's is in every language)."""
        own = tuple(f for f in fields or self.translated_fields if (getattr(self, f) or "") not in shipped_texts())
        return super().missing_languages(default, own) if own else []

    def store(self) -> None:
        """Put every language but the version's own back into the version's translations."""
        kept = {
            lang: dict(texts) for lang, texts in (self.version.translations or {}).items() if isinstance(texts, dict)
        }
        for lang, texts in kept.items():
            for key in self.keys.values():
                texts.pop(key, None)
        for lang, fields in (self.translations or {}).items():
            for field, value in fields.items():
                if value and field in self.keys:
                    kept.setdefault(lang, {})[self.keys[field]] = value
        self.version.content_language = self.content_language
        self.version.translations = {lang: texts for lang, texts in kept.items() if texts}


def forget_question(version, question: dict) -> None:
    """Drop a question's wording in every language from its version (the question is dropped)."""
    keys = set(question_keys(question).values())
    version.translations = {
        lang: kept
        for lang, texts in (version.translations or {}).items()
        if isinstance(texts, dict) and (kept := {k: v for k, v in texts.items() if k not in keys})
    }


def catalog_text(text: str, lang: str) -> str:
    """The catalogs' translation of a shipped text into the language."""
    if str(get_locale()) == lang:
        return _(text)
    with force_locale(lang):
        return _(text)


class Wording:
    """A version's questions for pages: their texts in the page's language, each a LocalText.

    Holds nothing of a request, so the wording of a locked version is kept with its questionnaire.
    """

    def __init__(self, questionnaire, translations: dict | None, content_language: str | None):
        self.translations = translations or {}
        self.content_language = content_language
        self._questions = {q.id: q for d in questionnaire.dimensions for q in d.questions}
        self._records: dict[str, QuestionWording] = {}
        self._texts: dict[tuple, tuple[LocalText, list[tuple[str, LocalText]]]] = {}

    def record(self, question_id: str) -> QuestionWording:
        if question_id not in self._records:
            question = dataclasses.asdict(self._questions[question_id])
            self._records[question_id] = QuestionWording(question, self.translations, self.content_language)
        return self._records[question_id]

    def records(self, dimension=None) -> list[QuestionWording]:
        """Every question's wording, or a dimension's (for untranslated_notice)."""
        ids = [q.id for q in dimension.questions] if dimension is not None else list(self._questions)
        return [self.record(qid) for qid in ids]

    def texts(self, question, easy: bool, audience: str = "staff") -> tuple[LocalText, list[tuple[str, LocalText]]]:
        """A question's label and its answers in the page's language, in the chosen version and for the
        audience ("resident" questions ask about what people saw; staff keep the council's own wording).
        Worked out once for each language the page may be in and the site's default (a locked version's
        wording is kept for the app's life, and every page and every answer sent asks for its questions)."""
        key = (question.id, easy, audience, *text_languages())
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = self._texts_now(question, easy, audience)
        return found[0], list(found[1])

    def _texts_now(self, question, easy: bool, audience: str) -> tuple[LocalText, list[tuple[str, LocalText]]]:
        wording = self.record(question.id)
        if not easy and audience == "resident" and question.resident_text:
            # The standard's wording for residents (a team that rewords a question loses it): the catalogs'.
            page = str(get_locale())
            label = LocalText(catalog_text(question.resident_text, page), page, page)
        else:
            label = local_text(wording, "easy_read" if easy else "text")
        suffix = "_easy" if easy else ""
        options = [(o.id, local_text(wording, f"option_{i}{suffix}")) for i, o in enumerate(question.options)]
        return label, options


def inline(text) -> Markup:
    """Inline HTML of a LocalText: isolated, and marked with its language when it is not the page's."""
    if not text:
        return Markup("")
    lang = getattr(text, "lang", None)
    if lang and lang != getattr(text, "wanted", lang):
        return Markup('<bdi lang="%s">%s</bdi>') % (lang, text)
    return Markup("<bdi>%s</bdi>") % text
