"""Tables of the readiness plugin.

- Version: an exact, frozen questionnaire (the standard one snapshotted, or a team's adapted copy),
  with the wording the team wrote in every language.
- Assessment: a campaign for one initiative, on one version, open between two dates; its title and
  initiative in every language.
- Draft: answers in progress, found by a hashed private link token (no account, no personal data).
- Response + ResponseScore: a submitted answer set, tied to its version, with per-dimension scores
  computed at submission so SQL can aggregate them.
- Tally + DimensionTally: per assessment, day and group counts and score sums, kept up to date on
  every submission (aggregates.py), so a dashboard over a million responses reads a few thousand rows.
- Sort + SortAnswer: anonymous card-sort exercise results.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coproduce.plugins import Translatable, UTCDateTime, db, utcnow

P = "consultation_vs_coproduction_"


class Version(Translatable, db.Model):
    """The questions a team rewords or adds are kept in every language in `translations`, under
    wording.py's keys ("power-1.text", "power-1.b.easy_read"); `content_language` is the language of
    the wording in `data` (the standard's own wording is English, translated by the catalogs)."""

    __tablename__ = P + "version"
    # The version's name is for the team only; its questions' wording goes through wording.QuestionWording.
    translated_fields = ()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    is_standard: Mapped[bool] = mapped_column(Boolean, default=False)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey(P + "version.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an assessment first uses it: from then on it never changes.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Assessment(Translatable, db.Model):
    __tablename__ = P + "assessment"
    # other_groups: the names of the team's own groups (in `groups`), one on each line, in order.
    translated_fields = ("title", "initiative", "other_groups")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey(P + "version.id"))
    code: Mapped[str] = mapped_column(String(24), unique=True)  # the public link's part
    title: Mapped[str] = mapped_column(String(200))
    initiative: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    groups: Mapped[list] = mapped_column(JSON)  # [{"id": "resident", "label": "..."}]
    other_groups: Mapped[str | None] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[Version] = relationship()


class Draft(db.Model):
    __tablename__ = P + "draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey(P + "assessment.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    group: Mapped[str] = mapped_column(String(40))
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    response_id: Mapped[int | None] = mapped_column(ForeignKey(P + "response.id", ondelete="SET NULL"))


class Response(db.Model):
    __tablename__ = P + "response"
    __table_args__ = (
        Index("ix_cvc_response_assessment_created", "assessment_id", "created_at"),
        Index("ix_cvc_response_assessment_group", "assessment_id", "group"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey(P + "assessment.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey(P + "version.id"))
    group: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(8), default="web")  # web or paper
    easy_read: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[date] = mapped_column(Date)  # the UK date of created_at, for daily figures
    overall_score: Mapped[int | None] = mapped_column(Integer)
    overall_rung: Mapped[str | None] = mapped_column(String(20))  # None: not enough answers to place it
    # The scoring rules it was given under (questionnaire.RULES): an old result keeps its meaning.
    rules: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")

    scores: Mapped[list["ResponseScore"]] = relationship(cascade="all, delete-orphan")


class ResponseScore(db.Model):
    __tablename__ = P + "response_score"

    response_id: Mapped[int] = mapped_column(ForeignKey(P + "response.id", ondelete="CASCADE"), primary_key=True)
    dimension_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class Tally(db.Model):
    """Responses per assessment, UK day, group, source and overall rung ("" when it could not be placed:
    nothing answered, or under rules 2 too few answers; such responses are left out of every figure)."""

    __tablename__ = P + "tally"

    assessment_id: Mapped[int] = mapped_column(ForeignKey(P + "assessment.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    group: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(8), primary_key=True)
    rung: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)  # sum of overall scores


class DimensionTally(db.Model):
    """Per assessment, UK day and group: how many scored a dimension, and the sum of their scores."""

    __tablename__ = P + "dimension_tally"

    assessment_id: Mapped[int] = mapped_column(ForeignKey(P + "assessment.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    group: Mapped[str] = mapped_column(String(40), primary_key=True)
    dimension_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)


class Sort(db.Model):
    """One anonymous go at the card-sort exercise."""

    __tablename__ = P + "sort"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    right: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)


class SortAnswer(db.Model):
    __tablename__ = P + "sort_answer"
    __table_args__ = (Index("ix_cvc_sort_answer_card", "card_id", "choice"),)

    sort_id: Mapped[int] = mapped_column(ForeignKey(P + "sort.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    choice: Mapped[str] = mapped_column(String(20))
