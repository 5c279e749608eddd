"""The team dashboard's widget: open assessments, their responses and the perception gap with its trend.

The figures come from aggregates.figures, so the widget shows what the assessment's dashboard shows,
with the same small groups hidden (a raw count here could be set against the dashboard's to work
a hidden group out).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from markupsafe import Markup

from coproduce.plugins import Widget, db, gettext as _, utcnow

from .aggregates import figures
from .campaigns import uk_day
from .models import Assessment
from .perception import summary
from .versions import questionnaire_of


def open_assessments_widget(team) -> Widget | None:
    from .views_team import min_group_size

    today = uk_day(utcnow())
    found = (
        db.session.execute(
            sa.select(Assessment)
            .where(Assessment.team_id == team.id, Assessment.opens_on <= today, Assessment.closes_on >= today)
            .order_by(Assessment.closes_on, Assessment.id)
            .limit(5)
        )
        .scalars()
        .all()
    )
    size = min_group_size(team)
    rows = []
    for assessment in found:
        questionnaire = questionnaire_of(assessment.version)
        figs = figures(assessment, questionnaire, min_group=size)
        rows.append((assessment, questionnaire, figs, summary(figs)))
    body = render_template("consultation_vs_coproduction/widget.html", rows=rows)
    return Widget(title=_("Readiness assessments"), body=Markup(body), order=30)  # nosec B704
