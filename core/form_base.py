"""The base of every form: WTForms' own messages go through our catalogs, in every shipped language.

WTForms ships no Urdu, so its built-in messages are listed below for extraction into core's
catalog and translated with the rest of the interface.
"""

from __future__ import annotations

from flask import g, request
from flask_babel import get_translations, gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import FileStorage, ImmutableMultiDict
from wtforms import FileField

from coproduce.i18n import LANGUAGES, default_locale

WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Field must be equal to %(other_name)s."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF tokens do not match."),
)


class _Translations:
    def gettext(self, string):
        return gettext(string) if string else string

    def ngettext(self, singular, plural, n):
        # WTForms fills in %(value)s itself: flask_babel's ngettext would format the text already.
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """FlaskForm whose built-in messages are translated by Coproduce's catalogs.

    Fields made with translated() take one input per language: the form's `content_language` is
    the record's own language (or the site's default for a new record), the field's own input is
    the text in that language, and save_translations(obj) (populate_obj calls it) stores the rest.
    """

    content_language = "en"

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        own = getattr(obj, "content_language", None)
        self.content_language = own if own in LANGUAGES else default_locale()
        for field in self._translated_fields():
            field.primary_language = self.content_language
            if obj is not None and hasattr(obj, "text_in") and field.short_name in obj.translated_fields:
                field.translations = {
                    lang: obj.text_in(field.short_name, lang, self.content_language) for lang in field.other_languages()
                }
        super().process(formdata, obj, data, extra_filters, **kwargs)

    def _translated_fields(self) -> list:
        return [field for field in self if getattr(field, "translated", False)]

    def save_translations(self, obj) -> None:
        """Store the other languages a request sent for each translated field on obj (a Translatable record).

        A language whose input the request left out keeps the record's text."""
        if obj.content_language not in LANGUAGES:
            obj.content_language = self.content_language
        for field in self._translated_fields():
            for lang in sorted(getattr(field, "sent_languages", ())):
                obj.set_text(field.short_name, lang, field.translations.get(lang) or "", obj.content_language)

    def populate_obj(self, obj) -> None:
        super().populate_obj(obj)
        if hasattr(obj, "set_text"):
            self.save_translations(obj)

    def validate_on_submit(self, extra_validators=None) -> bool:
        """False while a rate limit holds this POST back: the page is drawn again from what was typed."""
        if g.get("coproduce_retry_after"):
            return False
        return super().validate_on_submit(extra_validators=extra_validators)

    class Meta:
        def get_translations(self, form):
            return _Translations()

        def wrap_formdata(self, form, formdata):
            """Only text reaches a field, and files only a file field: a file, or a JSON number, list or
            object, where text is expected is left out, as if the field were missing, instead of reaching
            validators that expect a string."""
            if formdata is _Auto and _is_submitted() and not request.files and not request.form and request.is_json:
                body = request.get_json(silent=True)
                formdata = ImmutableMultiDict(body if isinstance(body, dict) else {})
            formdata = super().wrap_formdata(form, formdata)
            if formdata is None or not hasattr(formdata, "items"):
                return formdata
            files = {field.name for field in form if isinstance(field, FileField)}
            return ImmutableMultiDict(
                [
                    (name, value)
                    for name, value in formdata.items(multi=True)
                    if isinstance(value, str) or (name in files and isinstance(value, FileStorage))
                ]
            )
