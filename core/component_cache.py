"""Rendered GOV.UK Frontend components, kept per process by their params.

A govuk-frontend-jinja component macro (govukRadios, govukServiceNavigation, ...) reads nothing
but its params: no request, no session, no translations. The same params always give the same
HTML, so rendering one (the most expensive part of a page) once per distinct params is enough.
Templates call `govuk_cached(govukRadios, params)` instead of `govukRadios(params)`; core's copies
of govuk_frontend_wtf's widget templates do so for every form field.

The key keeps what the HTML depends on and nothing looser: each value's type (Markup, a lazy
string and str escape differently; True is not 1) and each dict's order (attributes are written
in that order). Params holding anything else (a date, an Undefined, a custom object) are not
cached but rendered as usual, and neither is a field holding what someone typed (a text box's or a
date's value): what people write is not kept in the server's memory beyond their own request.
Such a field, or one showing an error, also tells `on_personal` (coproduce.page_cache: the page is
this person's alone, never stored whole). The cache is bounded; when full it starts again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

MAX_ENTRIES = 2048


class _Uncacheable(Exception):
    pass


def _lazy_string_type() -> type | None:
    try:
        from flask_babel.speaklater import LazyString
    except ImportError:  # pragma: no cover - flask_babel is a dependency
        return None
    return LazyString


_LAZY = _lazy_string_type()
_SCALARS = (bool, int, float, type(None))


def params_key(value: Any) -> Any:
    """A hashable stand-in for `value` that differs whenever the rendered HTML could."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Markup:
        return ("markup", str(value))
    if kind in _SCALARS:
        return (kind.__name__, value)
    if kind is dict:
        return ("dict", tuple((params_key(k), params_key(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind.__name__, tuple(params_key(v) for v in value))
    if _LAZY is not None and kind is _LAZY:
        return ("lazy", str(value))
    raise _Uncacheable(kind.__name__)


def holds_typed_text(params: Any) -> bool:
    """A text box, text area or password with a value, or a date input with any part filled in.
    (A button's value is the form's own: a submit button is not typed text.)"""
    if not isinstance(params, dict):
        return False
    if params.get("element") == "button" or params.get("type") == "submit":
        return False
    if isinstance(params.get("value"), str) and params["value"]:
        return True
    items = params.get("items")
    return isinstance(items, (list, tuple)) and any(
        isinstance(item, dict) and "name" in item and item.get("value") for item in items
    )


def shows_error(params: Any) -> bool:
    """A field's error message or an error summary: the page answers what someone sent."""
    return isinstance(params, dict) and bool(params.get("errorMessage") or params.get("errorList"))


class ComponentCache:
    """One app's rendered components: (macro, params key) -> Markup."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self.on_personal: Callable[[], None] | None = None
        self._rendered: dict[tuple, Markup] = {}
        self._lock = threading.Lock()

    def render(self, macro: Callable[..., Any], params: Any = None) -> Markup:
        typed = holds_typed_text(params)
        if self.on_personal is not None and (typed or shows_error(params)):
            self.on_personal()
        if typed:
            return macro(params)
        try:
            key = (macro, params_key(params))
        except _Uncacheable:
            return macro(params)
        found = self._rendered.get(key)
        if found is None:
            found = macro(params)
            with self._lock:
                if len(self._rendered) >= self.max_entries:
                    self._rendered.clear()
                self._rendered[key] = found
        return found

    def clear(self) -> None:
        with self._lock:
            self._rendered.clear()
