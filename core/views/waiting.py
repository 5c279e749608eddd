"""A team's "Waiting for you" page: the work its modules say is waiting (hook waiting_items), grouped."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, current_app, render_template

from coproduce.helpers import current_team, require_team_role

bp = Blueprint("waiting", __name__, url_prefix="/t/<team>")


def waiting_for(team) -> list:
    """The team's waiting items, grouped by kind: [(kind, [items])], the groups in the order plugins gave."""
    items = current_app.extensions["plugins"].hooks_for(team).collect("waiting_items", team=team)
    return [(kind, list(group)) for kind, group in groupby(items, key=lambda i: i.kind)]


def waiting_total(groups: list) -> int:
    return sum(item.count for _, items in groups for item in items)


@bp.get("/waiting")
@require_team_role("member")
def waiting():
    team = current_team()
    if team.archived_at is not None:
        abort(404)
    groups = waiting_for(team)
    return render_template("team/waiting.html", groups=groups, total=waiting_total(groups))
