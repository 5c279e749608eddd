"""Signed-in sessions, held on the server so they can be ended: sign-out, "sign out everywhere", timeouts.

The browser's cookie carries a random session key; only its SHA-256 is stored here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow


class UserSession(db.Model):
    __tablename__ = "user_session"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<UserSession user={self.user_id}>"


__all__ = ["UserSession"]
