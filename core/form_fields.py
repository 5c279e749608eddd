"""Filters and checks that every plugin's forms share (re-exported by coproduce.plugins)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


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
