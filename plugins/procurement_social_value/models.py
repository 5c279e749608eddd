"""Tables of the social-value plugin.

Money is whole pence (BigInteger). Quantities are whole thousandths of a unit
(BigInteger, ``*_milli``): exact on every engine, summed exactly in SQL, and
shown as Decimal through the properties below (three decimal places, as
``money.QUANTITY_PLACES``). Nothing is ever a float.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coproduce.plugins import Translatable, UTCDateTime, db, utcnow

P = "procurement_social_value_"
MILLI = 1000


def to_milli(quantity: Decimal) -> int:
    return int(Decimal(quantity) * MILLI)


def from_milli(milli: int | None) -> Decimal:
    return Decimal(milli or 0).scaleb(-3)


class Measure(Translatable, db.Model):
    """One measure of a team's framework, with its theme and outcome.

    Its title and unit are kept in every language (the theme and outcome names come from the framework
    file, in the team's language)."""

    __tablename__ = P + "measure"
    translated_fields = ("title", "unit")
    __table_args__ = (UniqueConstraint("team_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    theme_code: Mapped[str] = mapped_column(String(32))
    theme: Mapped[str] = mapped_column(String(300))
    outcome_code: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(300))
    proxy_pence: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProxyValue(db.Model):
    """A proxy value of a measure, where it comes from and the day it applies from; the history is kept.

    A commitment's target is valued at the proxy in force on its start date, each delivery report at the
    proxy in force on the last day of its period (``store.refresh_sums``). ``pence`` is None when, from
    that day, the measure has no money value. ``Measure.proxy_pence`` mirrors the latest one.
    """

    __tablename__ = P + "proxy"
    __table_args__ = (Index(P + "proxy_measure_from", "measure_id", "applies_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey(P + "measure.id", ondelete="CASCADE"))
    pence: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    source: Mapped[str] = mapped_column(String(300), default="")
    applies_from: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)


class Supplier(db.Model):
    __tablename__ = P + "supplier"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    company_number: Mapped[str | None] = mapped_column(String(8), nullable=True)


class Contract(Translatable, db.Model):
    __tablename__ = P + "contract"
    translated_fields = ("title",)
    __table_args__ = (UniqueConstraint("team_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    supplier_id: Mapped[int] = mapped_column(ForeignKey(P + "supplier.id"), index=True)
    value_pence: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(120), default="")
    area: Mapped[str] = mapped_column(String(120), default="")
    manager_name: Mapped[str] = mapped_column(String(120), default="")
    manager_email: Mapped[str] = mapped_column(String(254), default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the team archives the contract: it leaves the public pages, the exports and the dashboard,
    # and keeps all its history (a contract with checked reports can be archived, never deleted).
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    supplier: Mapped[Supplier] = relationship(lazy="joined")
    commitments: Mapped[list["Commitment"]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Commitment.due_date"
    )


class Need(Translatable, db.Model):
    """A local need named by residents or a community group, curated by the team.

    Written in the resident's language (content_language: the page's language when they sent it); the
    team may add the other languages once the need is on the register."""

    __tablename__ = P + "need"
    translated_fields = ("title", "description")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(120), default="")
    group_name: Mapped[str] = mapped_column(String(200), default="")
    # new (waiting for the team), accepted (on the register), declined
    state: Mapped[str] = mapped_column(String(20), default="new")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The team's project (from the project_choices hook) this need belongs to: a plain id, since projects are
    # another plugin's; checked against the team's own projects when chosen, and shown only while it exists.
    project_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class Commitment(Translatable, db.Model):
    __tablename__ = P + "commitment"
    translated_fields = ("description",)
    __table_args__ = (UniqueConstraint("contract_id", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey(P + "contract.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(32))
    measure_id: Mapped[int] = mapped_column(ForeignKey(P + "measure.id"), index=True)
    target_milli: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey(P + "need.id", ondelete="SET NULL"), nullable=True, index=True
    )
    project_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # as Need.project_id
    # Running sums of the delivery reports, kept by store.refresh_sums() whenever a report is added or
    # checked, so the dashboard adds up commitments rather than every report (see dashboard.py).
    verified_milli: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pending_milli: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    disputed_milli: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    disputes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Social value in pence, kept by store.refresh_sums with the sums above: the target at the proxy in force
    # on the start date (proxy_id), and the sums of the values of the verified / verified-or-waiting reports.
    committed_pence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    counted_pence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    verified_pence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey(P + "proxy.id", ondelete="SET NULL"), nullable=True)

    contract: Mapped[Contract] = relationship(back_populates="commitments")
    measure: Mapped[Measure] = relationship(lazy="joined")
    need: Mapped[Need | None] = relationship()
    reports: Mapped[list["DeliveryReport"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="DeliveryReport.id"
    )

    @property
    def target(self) -> Decimal:
        return from_milli(self.target_milli)

    @property
    def starts(self) -> date:
        return self.start_date or self.contract.start_date

    @property
    def public_need(self) -> Need | None:
        """The need this answers, for the public: only once the team accepted it onto the register."""
        return self.need if self.need is not None and self.need.state == "accepted" else None


class DeliveryReport(db.Model):
    __tablename__ = P + "report"
    # Covers store.refresh_sums: a commitment's sums come from the index alone.
    __table_args__ = (Index(P + "report_commitment_state", "commitment_id", "verification", "quantity_milli"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey(P + "commitment.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    evidence_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    evidence_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    evidence_mime: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # "supplier" (through a private link) or "officer"
    source: Mapped[str] = mapped_column(String(20), default="officer")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    # pending, verified or disputed (the latest decision)
    verification: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The report's social value at the proxy in force on period_end (proxy_id), kept by store.refresh_sums.
    value_pence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey(P + "proxy.id", ondelete="SET NULL"), nullable=True)

    commitment: Mapped[Commitment] = relationship(back_populates="reports")
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Decision.id"
    )

    @property
    def quantity(self) -> Decimal:
        return from_milli(self.quantity_milli)


class Decision(db.Model):
    """An officer's verification or dispute of a delivery report, with the reason."""

    __tablename__ = P + "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey(P + "report.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[DeliveryReport] = relationship(back_populates="decisions")


class SupplierLink(db.Model):
    """A private link for a supplier to report on one contract. Only the token's hash is kept."""

    __tablename__ = P + "link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey(P + "contract.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CommunityCheck(db.Model):
    """Someone's word on whether a delivery happened and met a need; shown once approved."""

    __tablename__ = P + "check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey(P + "commitment.id", ondelete="CASCADE"), index=True)
    happened: Mapped[str] = mapped_column(String(10))  # yes, no, unsure
    met_need: Mapped[str] = mapped_column(String(10))  # yes, no, unsure
    comment: Mapped[str] = mapped_column(Text, default="")
    # held (waiting for moderation), shown, rejected
    state: Mapped[str] = mapped_column(String(20), default="held")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    commitment: Mapped[Commitment] = relationship()
