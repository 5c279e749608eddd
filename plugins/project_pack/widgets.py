"""The team dashboard's widget: how many projects there are at each stage, and the offers of help."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from coproduce.plugins import db
from coproduce_plugins.project_pack.forms import STATUS_LABELS
from coproduce_plugins.project_pack.models import STATUSES, Offer, Project


def widget_body(team) -> str:
    counts = dict(
        db.session.execute(
            sa.select(Project.status, sa.func.count(Project.id))
            .where(Project.team_id == team.id)
            .group_by(Project.status)
        ).all()
    )
    offers = db.session.execute(sa.select(sa.func.count(Offer.id)).where(Offer.team_id == team.id)).scalar_one()
    rows = [(STATUS_LABELS[s], counts.get(s, 0)) for s in STATUSES if counts.get(s)]
    return render_template("project_pack/widget.html", rows=rows, total=sum(counts.values()), offers=offers)
