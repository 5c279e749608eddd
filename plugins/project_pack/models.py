"""The plugin's tables: projects and everything a project pack holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coproduce.plugins import LocalText, Translatable, UTCDateTime, db, lines_of, utcnow

STATUSES = ("idea", "forming", "active", "paused", "completed")
LOG_KINDS = ("progress", "decision", "learning")
#: The project's fields the public page shows in words: what the full-text search finds a project by.
PUBLIC_FIELDS = ("title", "summary", "background", "goals", "set_in_stone", "up_for_grabs")


class Project(Translatable, db.Model):
    __tablename__ = "project_pack_project"
    translated_fields = ("title", "summary", "background", "goals", "set_in_stone", "up_for_grabs")
    __table_args__ = (
        Index("ix_project_pack_project_team_status_updated", "team_id", "status", "updated_at"),
        Index("ix_project_pack_project_team_updated", "team_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    background: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="idea")
    goals: Mapped[str] = mapped_column(Text, default="")
    set_in_stone: Mapped[str] = mapped_column(Text, default="")
    up_for_grabs: Mapped[str] = mapped_column(Text, default="")
    lead_name: Mapped[str] = mapped_column(String(120), default="")
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    co_owner_name: Mapped[str] = mapped_column(String(120), default="")
    co_owner_role: Mapped[str] = mapped_column(String(120), default="")
    co_owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    owners_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the lead and co-owner agreed to their names on the public page, and to which words (consent.py).
    owners_public_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    owners_public_wording: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Lower-cased title and summary, so the public search is one indexed-table scan per team.
    search_text: Mapped[str] = mapped_column(String(720), default="")
    # What the public sees of the project in words, for the full-text index (search.py); never people's names.
    public_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_log_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lead_user = relationship("User", foreign_keys=[lead_user_id])
    co_owner_user = relationship("User", foreign_keys=[co_owner_user_id])
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Contact.id"
    )
    documents: Mapped[list["Document"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Document.id"
    )
    skills: Mapped[list["SkillNeed"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="SkillNeed.id"
    )
    log: Mapped[list["LogEntry"]] = relationship(
        back_populates="project",
        cascade="all, delete-orphan",
        order_by="(LogEntry.happened_on.desc(), LogEntry.id.desc())",
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Criterion.id"
    )

    def refresh_search(self) -> None:
        """What the search finds the project by: its words in every language it is written in."""
        self.search_text = f"{self.title} {self.summary}".lower()[:720]
        written = [getattr(self, name) or "" for name in PUBLIC_FIELDS]
        for fields in (self.translations or {}).values():
            written += [fields.get(name) or "" for name in PUBLIC_FIELDS]
        self.public_text = " ".join(text for text in written if text)

    # One item a line, in the reader's language.
    @property
    def goal_list(self) -> list[LocalText]:
        return lines_of(self.localised("goals"))

    @property
    def stone_list(self) -> list[LocalText]:
        return lines_of(self.localised("set_in_stone"))

    @property
    def grabs_list(self) -> list[LocalText]:
        return lines_of(self.localised("up_for_grabs"))


class Contact(db.Model):
    __tablename__ = "project_pack_contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project_pack_project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(160), default="")
    reach: Mapped[str] = mapped_column(String(300), default="")
    consent_to_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    consent_wording: Mapped[str | None] = mapped_column(String(40), nullable=True)  # a version in consent.py

    project: Mapped[Project] = relationship(back_populates="contacts")


class Document(Translatable, db.Model):
    __tablename__ = "project_pack_document"
    translated_fields = ("title",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project_pack_project.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10))
    mime: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    project: Mapped[Project] = relationship(back_populates="documents")


class SkillNeed(Translatable, db.Model):
    __tablename__ = "project_pack_skill_need"
    translated_fields = ("note",)
    __table_args__ = (Index("ix_project_pack_skill_need_skill_project", "skill", "project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project_pack_project.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(300), default="")

    project: Mapped[Project] = relationship(back_populates="skills")


class LogEntry(Translatable, db.Model):
    __tablename__ = "project_pack_log_entry"
    translated_fields = ("text", "working_together")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project_pack_project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    working_together: Mapped[str] = mapped_column(Text, default="")
    author_name: Mapped[str] = mapped_column(String(120))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="log")


class Criterion(Translatable, db.Model):
    __tablename__ = "project_pack_criterion"
    translated_fields = ("what", "measure", "target")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project_pack_project.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(String(300), default="")
    target: Mapped[str] = mapped_column(String(200), default="")

    project: Mapped[Project] = relationship(back_populates="criteria")
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="Evidence.id"
    )


class Evidence(Translatable, db.Model):
    __tablename__ = "project_pack_evidence"
    translated_fields = ("note",)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("project_pack_criterion.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    figure: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), nullable=True)
    observed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_pack_document.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    criterion: Mapped[Criterion] = relationship(back_populates="evidence")
    document = relationship("Document")


class Template(db.Model):
    __tablename__ = "project_pack_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    goals: Mapped[str] = mapped_column(Text, default="")
    set_in_stone: Mapped[str] = mapped_column(Text, default="")
    up_for_grabs: Mapped[str] = mapped_column(Text, default="")
    # One criterion a line: what | how measured | target
    criteria: Mapped[str] = mapped_column(Text, default="")


class Offer(db.Model):
    """An offer of help or skills from someone without an account: the team's inbox.

    project_id is set when the offer came from a project's page, empty for a general skills offer.
    """

    __tablename__ = "project_pack_offer"
    __table_args__ = (Index("ix_project_pack_offer_team_received", "team_id", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_pack_project.id", ondelete="SET NULL"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    reach: Mapped[str] = mapped_column(String(300))
    skills: Mapped[str] = mapped_column(String(800), default="")  # skill keys, comma separated
    activities: Mapped[str] = mapped_column(String(800), default="")  # guided-list activity keys
    message: Mapped[str] = mapped_column(Text, default="")
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_wording: Mapped[str | None] = mapped_column(String(40), nullable=True)  # a version in consent.py
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled: Mapped[bool] = mapped_column(Boolean, default=False)

    project = relationship("Project")

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]
