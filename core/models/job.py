"""Work a person asked for that runs in the worker: PDF builds, large exports and imports (coproduce.jobs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow

WAITING, WORKING, READY, REFUSED, FAILED = "waiting", "working", "ready", "refused", "failed"
FINISHED = (READY, REFUSED, FAILED)


class BackgroundJob(db.Model):
    """One piece of work for one person. Only that person sees it, by its token; its file and its
    input go when it is deleted (the core.jobs retention rule, a week after it finished)."""

    __tablename__ = "background_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), nullable=True)
    locale: Mapped[str] = mapped_column(String(10), default="en")  # the page's language when it was asked for
    params: Mapped[str] = mapped_column(Text, default="{}")
    input_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default=WAITING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    file_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_mime: Mapped[str] = mapped_column(String(120), default="")
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    link: Mapped[str] = mapped_column(String(500), default="")
    link_text: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
