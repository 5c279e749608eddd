"""The dashboard widget and the project panel: small templates rendered for other pages."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from coproduce.plugins import Panel, Team, Widget, db
from coproduce_plugins.initiatives import _
from coproduce_plugins.initiatives.directory import similar_to
from coproduce_plugins.initiatives.models import Comment, Initiative, Volunteer


def dashboard_widget(team) -> Widget:
    counts = dict(
        db.session.execute(
            db.select(Initiative.status, db.func.count(Initiative.id))
            .where(Initiative.team_id == team.id)
            .group_by(Initiative.status)
        ).all()
    )
    comments = db.session.execute(
        db.select(db.func.count(Comment.id))
        .join(Initiative)
        .where(Initiative.team_id == team.id, Comment.status == "pending")
    ).scalar_one()
    volunteers = db.session.execute(
        db.select(db.func.count(Volunteer.id))
        .join(Initiative)
        .where(Initiative.team_id == team.id, Volunteer.handled.is_(False))
    ).scalar_one()
    body = render_template(
        "initiatives/widget.html",
        published=counts.get("published", 0),
        waiting=counts.get("pending", 0),
        comments=comments,
        volunteers=volunteers,
    )
    return Widget(title=_("Initiatives"), body=Markup(body), order=40)  # nosec B704


def project_panel(project, audience: str) -> list[Panel]:
    """Published initiatives of the project's team whose words are like the project's title and summary."""
    team = db.session.get(Team, getattr(project, "team_id", None) or 0)
    text = f"{getattr(project, 'title', '')} {getattr(project, 'summary', '')}"
    if team is None:
        return []
    related = similar_to(team, text, limit=5)
    if not related and audience == "pack":
        return []
    body = render_template("initiatives/panel.html", related=related, team=team, audience=audience)
    return [Panel(key="initiatives", title=_("Related initiatives"), body=Markup(body), order=40)]  # nosec B704
