"""Filters and checks that every plugin's forms share (re-exported by coproduce.plugins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from markupsafe import Markup
from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from coproduce.i18n import LANGUAGES
from coproduce.models.translatable import CONTENT_LANGUAGES


def strip_text(value):
    """A form filter: text without its leading and trailing spaces (other values as they are)."""
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """A validator: no hidden control characters (tabs and line breaks allowed when allow_newlines)."""

    def __init__(self, allow_newlines: bool = True):
        self.allow = {"\n", "\r", "\t"} if allow_newlines else set()

    def __call__(self, form, field):
        if any((ord(c) < 32 or ord(c) == 127) and c not in self.allow for c in field.data or ""):
            raise ValidationError(_l("Remove the hidden control characters from this answer"))


def one_line(form, field):
    """A validator: the answer is on one line."""
    if any(c in "\r\n\t" for c in field.data or ""):
        raise ValidationError(_l("Write this answer on one line"))


def text_field(label, max_length, required=None, hint=None, single_line=False):
    """A GOV.UK text input: stripped, at most max_length characters, no control characters.

    required: the message when it is left empty (None: optional). single_line: refuse line breaks too.
    """
    checks: list = [InputRequired(message=required)] if required else [Optional()]
    checks += [Length(max=max_length, message=_l("Answer in %(max)d characters or fewer", max=max_length))]
    checks += [NoControlCharacters(allow_newlines=True)] + ([one_line] if single_line else [])
    return StringField(label, widget=GovTextInput(), description=hint, filters=[strip_text], validators=checks)


def long_text_field(label, required=None, hint=None, max_length=5000):
    """A GOV.UK textarea: stripped, at most max_length characters, no control characters but line breaks."""
    checks: list = [InputRequired(message=required)] if required else [Optional()]
    checks += [Length(max=max_length, message=_l("Answer in %(max)d characters or fewer", max=max_length))]
    checks += [NoControlCharacters(allow_newlines=True)]
    return TextAreaField(label, widget=GovTextArea(), description=hint, filters=[strip_text], validators=checks)


class TranslatedText:
    """A text field that teams write for the public, with one more input for each other language.

    The field itself is the text in the form's primary language (the record's own language, or the
    site's default for a new one), so its validators and `data` work as for any text field.
    `translations` holds the other languages' inputs ({"cy": "...", "ur": ""}); each is checked by
    the field's own checks except "required", and its errors are shown beside its input. Inputs that
    a request leaves out keep the record's text. Form.save_translations(obj) stores them.
    """

    translated = True
    name: str
    id: str

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.primary_language = CONTENT_LANGUAGES[0]
        self.translations: dict[str, str] = {}
        self.translation_errors: dict[str, list[str]] = {}

    def other_languages(self) -> list[str]:
        return [code for code in CONTENT_LANGUAGES if code != self.primary_language]

    def input_name(self, lang: str) -> str:
        return f"{self.name}-{lang}"

    def input_id(self, lang: str) -> str:
        return f"{self.id}-{lang}"

    def missing_languages(self) -> list[str]:
        return [lang for lang in self.other_languages() if not self.translations.get(lang)]

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.translations = {lang: self.translations.get(lang, "") for lang in self.other_languages()}
        self.sent_languages: set[str] = set()
        if formdata is None:
            return
        for lang in self.other_languages():
            if self.input_name(lang) in formdata:
                self.sent_languages.add(lang)
                value = formdata.get(self.input_name(lang))
                for keep in self.filters:
                    value = keep(value)
                self.translations[lang] = value if isinstance(value, str) else ""

    def post_validate(self, form, validation_stopped):
        super().post_validate(form, validation_stopped)
        self.translation_errors = {}
        checks = [v for v in self.validators if not isinstance(v, (InputRequired, DataRequired, Optional))]
        own_data = self.data
        try:
            for lang, value in self.translations.items():
                if not value:
                    continue
                self.data = value
                for check in checks:
                    try:
                        check(form, self)
                    except (ValidationError, StopValidation) as refused:
                        message = str(refused.args[0]) if refused.args else ""
                        if message:
                            self.translation_errors.setdefault(lang, []).append(message)
                            name = LANGUAGES[lang].native_name
                            self.errors.append(_l("%(language)s: %(message)s", language=name, message=message))
                        break
        finally:
            self.data = own_data

    def __call__(self, **kwargs):
        from flask import render_template  # noqa: PLC0415 - drawn inside a request only

        params = dict(kwargs.pop("params", None) or {})
        params["attributes"] = {"lang": self.primary_language, "dir": "auto", **(params.get("attributes") or {})}
        primary = super().__call__(params=params, **kwargs)
        return Markup(render_template("forms/translated_field.html", field=self, primary=primary))  # nosec B704


_translated_classes: dict[type, type] = {}


def translated(unbound):
    """The same field (from text_field, long_text_field or any StringField/TextAreaField), in every language."""
    base = unbound.field_class
    if base not in _translated_classes:
        _translated_classes[base] = type(f"Translated{base.__name__}", (TranslatedText, base), {})
    return UnboundField(_translated_classes[base], *unbound.args, name=unbound.name, **unbound.kwargs)
