"""What the plugin holds about people with an account, for subject access and erasure requests."""

from __future__ import annotations

from coproduce.plugins import db
from coproduce_plugins.project_pack.models import Document, LogEntry, Project


def personal_data_of(user) -> dict:
    led = db.session.execute(
        db.select(Project).where((Project.lead_user_id == user.id) | (Project.co_owner_user_id == user.id))
    ).scalars()
    entries = db.session.execute(db.select(LogEntry).where(LogEntry.author_id == user.id)).scalars()
    return {
        "projects_led_or_co_owned": [
            {"id": p.id, "title": p.title, "lead_name": p.lead_name, "co_owner_name": p.co_owner_name} for p in led
        ],
        "log_entries": [
            {
                "project_id": e.project_id,
                "date": e.happened_on.isoformat(),
                "text": e.text,
                "working_together": e.working_together,
            }
            for e in entries
        ],
    }


def erase_personal_data_of(user) -> None:
    """Unlink the account and remove the name; the projects and their log stay."""
    for project in db.session.execute(db.select(Project).where(Project.lead_user_id == user.id)).scalars():
        project.lead_user_id, project.lead_name = None, "[removed]"
    for project in db.session.execute(db.select(Project).where(Project.co_owner_user_id == user.id)).scalars():
        project.co_owner_user_id, project.co_owner_name = None, "[removed]"
    for entry in db.session.execute(db.select(LogEntry).where(LogEntry.author_id == user.id)).scalars():
        entry.author_id, entry.author_name = None, "[removed]"
    for doc in db.session.execute(db.select(Document).where(Document.uploaded_by_id == user.id)).scalars():
        doc.uploaded_by_id = None
