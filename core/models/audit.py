"""The append-only record of every change staff make."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from coproduce.extensions import db
from coproduce.models.types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit events are never changed or deleted")


def record(action: str, *, actor=None, team=None, target: str = "", **details) -> AuditEvent:
    """Add an audit event to the current session (committed with the change it records)."""
    actor_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None
    audit = AuditEvent(
        action=action,
        actor_id=actor_id,
        team_id=getattr(team, "id", None),
        target=str(target)[:200],
        details=details,
    )
    db.session.add(audit)
    return audit
