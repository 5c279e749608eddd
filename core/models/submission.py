"""The one-time keys of public forms already received (see coproduce.once). No personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow


class FormSubmission(db.Model):
    __tablename__ = "form_submission"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str | None] = mapped_column(String(500), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
