"""What is waiting for a team in its project packs: offers of help not yet answered, projects gone quiet."""

from __future__ import annotations

from flask import url_for

from coproduce.plugins import WaitingItem, db, utcnow
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.models import Offer, Project
from coproduce_plugins.project_pack.remind import quiet_projects

QUIET_WEEKS = 4


def waiting_items(team) -> list[WaitingItem]:
    items = []
    offers = db.session.execute(
        db.select(Offer, Project.title)
        .outerjoin(Project, Offer.project_id == Project.id)
        .where(Offer.team_id == team.id, Offer.handled.is_(False))
        .order_by(Offer.received_at)
    ).all()
    for offer, project_title in offers:
        items.append(
            WaitingItem(
                kind=_("Offers of help not yet answered"),
                title=_("%(name)s offered to help with %(project)s", name=offer.name, project=project_title)
                if project_title
                else _("%(name)s offered their skills", name=offer.name),
                url=url_for("project_pack.inbox", team=team.slug, _anchor=f"offer-{offer.id}"),
                since=offer.received_at,
                order=20,
            )
        )
    for project in quiet_projects(utcnow(), QUIET_WEEKS, team_id=team.id):
        items.append(
            WaitingItem(
                kind=_("Projects gone quiet: no log entry for %(weeks)d weeks", weeks=QUIET_WEEKS),
                title=project.title,
                url=url_for("project_pack.add_log", team=team.slug, project_id=project.id),
                since=project.last_log_at or project.created_at,
                order=21,
            )
        )
    return items
