"""People with an account: staff, site admins, and citizens who chose to sign up."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow

_hasher = PasswordHasher()


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    preferred_locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped when the password changes, so reset links and old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None until the person proves they own the address (a confirmation, invitation or reset link).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)

    @validates("email")
    def _email_changed(self, _key: str, value: str) -> str:
        """A new address has to be confirmed again."""
        if self.email is not None and value != self.email:
            self.email_confirmed_at = None
        return value

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def confirm_email(self) -> None:
        if self.email_confirmed_at is None:
            self.email_confirmed_at = utcnow()

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            dummy_password_check()  # an invited account without a password takes as long as any other
            return False
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled accounts cannot sign in
        return not self.is_disabled

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


def dummy_password_hash() -> None:
    """Spend the same time as hashing a new password (sign-up for an address that has an account)."""
    _hasher.hash("coproduce-dummy-password")


def dummy_password_check() -> None:
    """Spend the same time as a real check, so sign-in timing does not reveal accounts."""
    try:
        _hasher.verify(_DUMMY_HASH, "not the password")
    except VerificationError:
        pass


_DUMMY_HASH = _hasher.hash("coproduce-dummy-password")
