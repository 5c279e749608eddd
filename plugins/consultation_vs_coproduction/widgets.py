"""The team dashboard's widget: open assessments and their response counts (from the tallies)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup

from coproduce.plugins import Widget, db, gettext as _, utcnow

from .campaigns import uk_day
from .models import Assessment, Tally


def open_assessments_widget(team) -> Widget | None:
    today = uk_day(utcnow())
    rows = db.session.execute(
        sa.select(Assessment.id, Assessment.title, sa.func.coalesce(sa.func.sum(Tally.n), 0))
        .outerjoin(Tally, Tally.assessment_id == Assessment.id)
        .where(Assessment.team_id == team.id, Assessment.opens_on <= today, Assessment.closes_on >= today)
        .group_by(Assessment.id, Assessment.title)
        .order_by(Assessment.closes_on)
        .limit(5)
    ).all()
    body = render_template("consultation_vs_coproduction/widget.html", rows=rows)
    return Widget(title=_("Readiness assessments"), body=Markup(body), order=30)  # nosec B704
