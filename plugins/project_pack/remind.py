"""Which active projects have gone quiet: no log entry for a number of weeks."""

from __future__ import annotations

from datetime import datetime, timedelta

from coproduce.plugins import db
from coproduce_plugins.project_pack.models import Project


def quiet_projects(now: datetime, weeks: int) -> list[Project]:
    """Active projects whose last log entry (or, with none, whose creation) is older than `weeks` weeks."""
    cutoff = now - timedelta(weeks=weeks)
    last = db.func.coalesce(Project.last_log_at, Project.created_at)
    return list(
        db.session.execute(
            db.select(Project).where(Project.status == "active", last < cutoff).order_by(Project.team_id, Project.id)
        ).scalars()
    )
