"""Retention: private save-and-resume links are deleted once unused for the installation's period."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from coproduce.plugins import db

from .models import Draft


def expire_drafts(cutoff: datetime, dry_run: bool) -> int:
    """Delete drafts (answers in progress and result links) not touched since `cutoff`.
    Submitted responses are kept: they hold no personal data."""
    old = Draft.updated_at < cutoff
    count = db.session.execute(sa.select(sa.func.count()).select_from(Draft).where(old)).scalar()
    if not dry_run and count:
        db.session.execute(sa.delete(Draft).where(old))
        db.session.commit()
    return count
