"""The plugin's tables: initiatives, their themes, and the ways people take part."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coproduce.plugins import Translatable, UTCDateTime, db, utcnow

RUNNERS = ("council", "community", "social_enterprise", "coop", "charity", "informal")
STATUSES = ("pending", "published", "rejected")
COMMENT_KINDS = ("comment", "pledge")
#: The wording a person agrees to; its version is stored beside the time they agreed.
CONSENT_VERSION = "2026-12-01"
#: A comment reported this many times is hidden until a moderator looks again.
REPORTS_TO_HIDE = 3


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Theme(Translatable, db.Model):
    __tablename__ = "initiatives_theme"
    translated_fields = ("name",)
    __table_args__ = (UniqueConstraint("team_id", "name", name="uq_initiatives_theme_team_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))


class InitiativeTheme(db.Model):
    __tablename__ = "initiatives_initiative_theme"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives_initiative.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("initiatives_theme.id", ondelete="CASCADE"), primary_key=True)


class Initiative(Translatable, db.Model):
    """An initiative in the directory. Staff write it in every language; a resident writes it in one, the
    page's language when they sent it (content_language), and staff may add the others."""

    __tablename__ = "initiatives_initiative"
    translated_fields = ("name", "summary", "get_involved", "times")
    __table_args__ = (
        Index("ix_initiatives_initiative_team_status_updated", "team_id", "status", "updated_at"),
        Index("ix_initiatives_initiative_team_status_ward", "team_id", "status", "ward"),
        Index("ix_initiatives_initiative_team_status_runner", "team_id", "status", "runner"),
        # Covers the map's grouping of points, so it reads the index alone.
        Index("ix_initiatives_initiative_team_status_point", "team_id", "status", "lon", "lat"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    runner: Mapped[str] = mapped_column(String(30), default="community")
    runner_name: Mapped[str] = mapped_column(String(200), default="")
    ward: Mapped[str] = mapped_column(String(60), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    get_involved: Mapped[str] = mapped_column(Text, default="")
    times: Mapped[str] = mapped_column(String(300), default="")
    creche: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    languages: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_public: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_version: Mapped[str] = mapped_column(String(20), default="")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    project_links: Mapped[str] = mapped_column(Text, default="")  # URLs or ids, one a line, entered by staff
    need_links: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    locale: Mapped[str] = mapped_column(String(10), default="en")
    edit_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    source_id: Mapped[str] = mapped_column(String(100), default="")  # the id in an imported Open Referral feed
    appreciations: Mapped[int] = mapped_column(Integer, default=0)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    themes: Mapped[list[Theme]] = relationship(secondary="initiatives_initiative_theme", order_by="Theme.name")

    def refresh_search(self) -> None:
        """What the search finds the initiative by: its words, and its themes', in every language written."""
        words = [self.name or "", self.summary or "", self.runner_name or "", self.get_involved or ""]
        for fields in (self.translations or {}).values():
            words += [fields.get(name) or "" for name in ("name", "summary", "get_involved")]
        for theme in self.themes:
            words += [theme.name] + [(fields or {}).get("name") or "" for fields in (theme.translations or {}).values()]
        self.search_text = " ".join(word for word in words if word).lower()

    @property
    def project_list(self) -> list[str]:
        return lines(self.project_links)

    @property
    def need_list(self) -> list[str]:
        return lines(self.need_links)


class Appreciation(db.Model):
    """One per person and initiative: the hash of a random token kept in the person's session; nothing else."""

    __tablename__ = "initiatives_appreciation"
    __table_args__ = (UniqueConstraint("initiative_id", "voter", name="uq_initiatives_appreciation_voter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives_initiative.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(String(64))


class Comment(db.Model):
    __tablename__ = "initiatives_comment"
    __table_args__ = (Index("ix_initiatives_comment_initiative_status", "initiative_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives_initiative.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default="comment")
    name: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reports: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    initiative: Mapped[Initiative] = relationship()


class Volunteer(db.Model):
    __tablename__ = "initiatives_volunteer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives_initiative.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled: Mapped[bool] = mapped_column(Boolean, default=False)

    initiative: Mapped[Initiative] = relationship()


class SkillOffer(db.Model):
    """An offer of skills, in one pool for the whole site: every team's initiatives may draw on it."""

    __tablename__ = "initiatives_skill_offer"
    __table_args__ = (Index("ix_initiatives_skill_offer_ward", "ward"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    ward: Mapped[str] = mapped_column(String(60), default="")
    skills: Mapped[str] = mapped_column(String(800), default="")  # skill keys, comma separated
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]


class MapSettings(db.Model):
    """The team's map: which GeoJSON files (in the instance folder) and which tile URL, if any."""

    __tablename__ = "initiatives_map_settings"

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    boundary_file: Mapped[str] = mapped_column(String(200), default="")
    wards_file: Mapped[str] = mapped_column(String(200), default="")
    tile_url: Mapped[str] = mapped_column(String(500), default="")
