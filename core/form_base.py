"""The base of every form: WTForms' own messages go through our catalogs, in every shipped language.

WTForms ships no Urdu, so its built-in messages are listed below for extraction into core's
catalog and translated with the rest of the interface.
"""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm

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
        return ngettext(singular, plural, n)


class Form(FlaskForm):
    """FlaskForm whose built-in messages are translated by Coproduce's catalogs."""

    class Meta:
        def get_translations(self, form):
            return _Translations()
