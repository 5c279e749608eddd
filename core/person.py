"""A person whose data is asked for or erased: an account, an email address, a phone number, or some of these.

Flask-free. Plugins receive a Person in the personal_data and erase_personal_data hooks and use
matches_email / matches_phone on the free text they hold (a "how to reach you" field, a comment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A run of characters that looks like a phone number: digits with spaces, dots, hyphens or brackets between.
_PHONE_RUN = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-]{5,}\d(?!\w)")


def normalise_email(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    return value or None


def normalise_phone(text: str | None) -> str | None:
    """Digits only, a leading + kept; a UK number written +44 or 0044 becomes its 0 form."""
    raw = (text or "").strip()
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return None
    if raw.startswith("+"):
        digits = "+" + digits
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+44"):
        rest = digits[3:]
        digits = rest if rest.startswith("0") else "0" + rest
    return digits


@dataclass(frozen=True)
class Person:
    """Who a subject access or erasure request is about. Any field may be None."""

    user: Any = None  # a coproduce.models.User, or None for someone without an account
    email: str | None = None
    phone: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "email", normalise_email(self.email))
        object.__setattr__(self, "phone", normalise_phone(self.phone))

    @classmethod
    def of_user(cls, user) -> Person:
        return cls(user=user, email=getattr(user, "email", None))

    def matches_email(self, text: str | None) -> bool:
        """True when the text holds the person's email address (any case), as a whole address."""
        if not self.email or not text:
            return False
        pattern = r"(?<![\w.+\-])" + re.escape(self.email) + r"(?![\w\-]|\.\w)"
        return re.search(pattern, text.lower()) is not None

    def matches_phone(self, text: str | None) -> bool:
        """True when the text holds the person's phone number, however it is spaced or prefixed."""
        if not self.phone or not text:
            return False
        return any(normalise_phone(run) == self.phone for run in _PHONE_RUN.findall(text))

    def matches(self, text: str | None) -> bool:
        return self.matches_email(text) or self.matches_phone(text)

    @property
    def is_empty(self) -> bool:
        return self.user is None and not self.email and not self.phone

    def describe(self) -> dict:
        """What the request was for, without anything else about the person."""
        return {"email": self.email, "phone": self.phone, "account": getattr(self.user, "id", None)}
