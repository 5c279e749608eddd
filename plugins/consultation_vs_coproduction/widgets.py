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


def project_panel(project, user, audience: str):
    """The latest readiness result of a project, for its page ("team" or "public") and its pack.

    The link: an assessment of the project's team whose initiative is named exactly as the project
    (letter case and spaces at either end aside). The latest such assessment that has opened and has
    figures to show is used. The figures are the dashboard's, with the same small groups hidden.
    """
    from coproduce.plugins import Panel, current_team

    from .campaigns import uk_day as _day
    from .views_team import min_group_size

    team = getattr(project, "team", None) or current_team()
    title = (getattr(project, "title", "") or "").strip().casefold()
    if not title:
        return None
    today = _day(utcnow())
    candidates = (
        db.session.execute(
            sa.select(Assessment)
            .where(Assessment.team_id == team.id, Assessment.opens_on <= today)
            .order_by(Assessment.opens_on.desc(), Assessment.id.desc())
        )
        .scalars()
        .all()
    )
    size = min_group_size(team)
    for assessment in candidates:
        if assessment.initiative.strip().casefold() != title:
            continue
        questionnaire = questionnaire_of(assessment.version)
        figs = figures(assessment, questionnaire, min_group=size)
        if figs.hidden:
            continue
        top = max(figs.rungs.items(), key=lambda item: (item[1], -list(figs.rungs).index(item[0])))[0]
        body = render_template(
            "consultation_vs_coproduction/project_panel.html",
            assessment=assessment,
            questionnaire=questionnaire,
            figs=figs,
            gap=summary(figs),
            top=questionnaire.rung(top),
            team_view=audience == "team",
        )
        return Panel(key="readiness", title=_("Co-production readiness"), body=Markup(body), order=40)  # nosec B704
    return None
