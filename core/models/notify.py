"""What each person wants to hear about the work waiting for their teams, and what they were told."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow

AT_ONCE, DAILY, NONE = "now", "daily", "none"
CHOICES = (AT_ONCE, DAILY, NONE)
DEFAULT_CHOICE = DAILY


class NotificationChoice(db.Model):
    """A person's choice: an email at once for each new thing waiting, a daily digest, or none."""

    __tablename__ = "notification_choice"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    choice: Mapped[str] = mapped_column(String(10), default=DEFAULT_CHOICE)


class WaitingNotice(db.Model):
    """A waiting item (by its address) a person was already emailed about at once."""

    __tablename__ = "waiting_notice"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    item_url: Mapped[str] = mapped_column(String(500), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
