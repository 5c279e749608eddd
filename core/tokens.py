"""Signed, expiring, single-use links for password resets and invitations."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from coproduce.extensions import db
from coproduce.models import User

MAX_AGE = {"reset": 3600, "invite": 7 * 24 * 3600}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coproduce-password-link")


def make_password_token(user: User, purpose: str = "reset") -> str:
    """A link token that dies when the password changes (session_version), so it works once."""
    if purpose not in MAX_AGE:
        raise ValueError(purpose)
    return _serializer().dumps({"u": user.id, "v": user.session_version, "p": purpose})


def read_password_token(token: str, now: datetime | None = None) -> User | None:
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
    return user
