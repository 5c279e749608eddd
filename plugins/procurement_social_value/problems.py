"""Problems found in what people typed or uploaded, kept ready for translation.

The domain modules (money, framework, importer) do not know the reader's
language and must not touch Flask, so they never build a sentence. They return
a message id instead: a plain English template marked with ``N_`` so the
extractor puts it in the plugin's catalog, plus the values that go in its
``%(name)s`` placeholders. A page translates at display time with
``_(problem.message, **problem.params)`` (Jinja escapes the values); Python
code uses ``problem.render(gettext)``. ``str()`` gives the English text, for
logs and exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

#: The longest piece of a cell quoted back in a message; the rest becomes "…".
QUOTE_LIMIT = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def N_(text: str) -> str:
    """Mark text for translation without translating it here.

    The extractor knows ``_``, not ``N_``: modules write ``_ = N_`` and mark their
    messages with ``_("...")``, as status.py does.
    """
    return text


def shown(value: object) -> str:
    """A value from the user's file as quoted back in a message: control
    characters made visible (``\\n``) and long values cut short."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value))
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _english(message: str, **params) -> str:
    return message % params if params else message


@dataclass(frozen=True)
class Problem:
    """A message id (English template) and the values for its placeholders."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def render(self, gettext: Callable[..., str] | None = None) -> str:
        """The message with its values filled in, through ``gettext`` when given."""
        return (gettext or _english)(self.message, **self.params)

    def __str__(self) -> str:
        return self.render()


class ProblemError(ValueError):
    """A ValueError that carries its reason as a ``problem``, ready to translate."""

    def __init__(self, message: str, **params):
        self.problem = Problem(message, params)
        super().__init__(str(self.problem))
