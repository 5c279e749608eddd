"""Signed, expiring links: password resets, invitations (optionally into a team) and email confirmations."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from coproduce.extensions import db
from coproduce.models import User

MAX_AGE = {"reset": 3600, "invite": 7 * 24 * 3600}
CONFIRM_MAX_AGE = 3 * 24 * 3600


def _serializer(salt: str = "coproduce-password-link") -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_password_token(user: User, purpose: str = "reset", team_id: int | None = None, role: str | None = None) -> str:
    """A link token that dies when the password changes (session_version), so it works once.

    An invitation may carry a team and role: the membership is granted when the person uses the link.
    """
    if purpose not in MAX_AGE:
        raise ValueError(purpose)
    data = {"u": user.id, "v": user.session_version, "p": purpose}
    if team_id is not None:
        data.update(t=team_id, r=role)
    return _serializer().dumps(data)


def read_password_link(token: str, now: datetime | None = None) -> tuple[User, dict] | None:
    """The account a password link is for, and what the link carries; None when it is not valid now."""
    try:
        data, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") not in MAX_AGE or not isinstance(data.get("u"), int):
        return None
    age = ((now or datetime.now(UTC)) - signed_at).total_seconds()
    if age > MAX_AGE[data["p"]]:
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.is_disabled or user.session_version != data.get("v"):
        return None
    return user, data


def read_password_token(token: str, now: datetime | None = None) -> User | None:
    found = read_password_link(token, now)
    return found[0] if found else None


def make_confirm_token(user: User) -> str:
    """A link proving the person can read mail sent to the account's address (that address only)."""
    return _serializer("coproduce-confirm-email").dumps({"u": user.id, "e": user.email})


def read_confirm_token(token: str, now: datetime | None = None) -> User | None:
    try:
        data, signed_at = _serializer("coproduce-confirm-email").loads(token, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    if ((now or datetime.now(UTC)) - signed_at).total_seconds() > CONFIRM_MAX_AGE:
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.is_disabled or user.email != data.get("e"):
        return None
    return user
