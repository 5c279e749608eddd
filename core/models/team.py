"""Service teams' spaces and who belongs to them."""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coproduce.extensions import db
from coproduce.models.translatable import Translatable
from coproduce.models.types import UTCDateTime, utcnow
from coproduce.models.user import User

SLUG_PATTERN_TEXT = r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$"
SLUG_PATTERN = re.compile(SLUG_PATTERN_TEXT)


class Role(str, Enum):
    OWNER = "owner"
    MEMBER = "member"


class Team(Translatable, db.Model):
    __tablename__ = "team"
    translated_fields = ("name", "description")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # Team-written text in other locales: {"cy": {"name": ..., "description": ...}}
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="team", cascade="all, delete-orphan")

    @staticmethod
    def valid_slug(slug: str) -> bool:
        return bool(SLUG_PATTERN.match(slug or ""))

    def role_of(self, user: User | None) -> Role | None:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        for membership in self.memberships:
            if membership.user_id == user.id:
                return Role(membership.role)
        return None

    def __repr__(self) -> str:
        return f"<Team {self.slug}>"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default=Role.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
