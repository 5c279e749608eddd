"""Which active projects have gone quiet (no log entry for a number of weeks), and who is reminded."""

from __future__ import annotations

from datetime import datetime, timedelta

from coproduce.plugins import Membership, User, db
from coproduce_plugins.project_pack.models import Project


def quiet_projects(now: datetime, weeks: int, team_id: int | None = None) -> list[Project]:
    """Active projects whose last log entry (or, with none, whose creation) is older than `weeks` weeks."""
    cutoff = now - timedelta(weeks=weeks)
    last = db.func.coalesce(Project.last_log_at, Project.created_at)
    query = db.select(Project).where(Project.status == "active", last < cutoff)
    if team_id is not None:
        query = query.where(Project.team_id == team_id)
    return list(db.session.execute(query.order_by(Project.team_id, Project.id)).scalars())


def last_activity(project: Project) -> datetime:
    """When the project's log last had an entry; a project with none counts from its creation."""
    return project.last_log_at or project.created_at


def weeks_quiet(project: Project, now: datetime) -> int:
    """Whole weeks from the last log entry to now."""
    return (now - last_activity(project)).days // 7


def reminder_recipient(project: Project) -> User | None:
    """Who is reminded: the lead's account, else the co-owner's, if it can sign in and is in the project's team."""
    for user in (project.lead_user, project.co_owner_user):
        if user is None or user.is_disabled or not user.email:
            continue
        in_team = db.session.execute(
            db.select(Membership.id).where(Membership.team_id == project.team_id, Membership.user_id == user.id)
        ).first()
        if in_team:
            return user
    return None
