"""Filters and checks that every plugin's forms share (re-exported by coproduce.plugins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError


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
