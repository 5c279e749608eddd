"""Links from commitments and needs to the team's projects (project packs, through the project_choices hook),
and the panel a project's page and pack show of them (the project_panels hook).

A project is another plugin's record, so a link is a plain id: offered from the team's own projects only,
checked against them when posted, and shown only while the project is still among them.
"""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from coproduce.plugins import Panel, Team, collect_for, db
from coproduce_plugins.procurement_social_value import _
from coproduce_plugins.procurement_social_value.models import Commitment, Contract, Need


def project_choices(team) -> list[tuple[int, str]]:
    """(id, title) of the team's projects, from whichever plugin of the team lists them."""
    pairs = collect_for(team, "project_choices", team=team)
    return [(int(pid), str(title)) for pid, title in pairs]


def offer_projects(form, team):
    """Fill the form's "Linked project" select with the team's projects, or take the select away when the team
    has none to offer (then a link already held is kept as it is)."""
    projects = project_choices(team)
    if not projects:
        del form.project
        return
    form.project.choices = [SelectChoice("", _("No project"))] + [SelectChoice(str(p), title) for p, title in projects]


def show_project(form, current: int | None) -> None:
    """Select the project already linked, while it is still one of the choices."""
    if form.project is not None and any(choice.value == str(current) for choice in form.project.choices):
        form.project.data = str(current)


def save_project(form, record) -> None:
    """Store the project the select holds (its own check has refused anything not offered); no select, no change."""
    if form.project is not None:
        value = form.project.data or ""
        record.project_id = int(value) if value.isdigit() else None


def _public_commitments(query):
    return query.where(Contract.published.is_(True), Contract.archived_at.is_(None))


def linked(project, audience: str) -> tuple[list[Commitment], list[Need]]:
    """The project's team's commitments and needs linked to it: the public (and the pack, which may be shared)
    see published contracts' commitments and needs on the register; the team sees every one."""
    team_id = getattr(project, "team_id", None)
    query = (
        db.select(Commitment)
        .join(Contract, Contract.id == Commitment.contract_id)
        .where(Commitment.team_id == team_id, Commitment.project_id == project.id)
        .order_by(Contract.reference, Commitment.due_date, Commitment.id)
    )
    needs = db.select(Need).where(Need.team_id == team_id, Need.project_id == project.id).order_by(Need.title)
    if audience != "team":
        query = _public_commitments(query)
        needs = needs.where(Need.state == "accepted")
    else:
        needs = needs.where(Need.state != "declined")
    return list(db.session.execute(query).scalars()), list(db.session.execute(needs).scalars())


def project_panel(project, audience: str) -> list[Panel]:
    from coproduce_plugins.procurement_social_value.store import assessment
    from coproduce_plugins.procurement_social_value.views import helpers, today

    team = db.session.get(Team, getattr(project, "team_id", None) or 0)
    if team is None or getattr(project, "id", None) is None:
        return []
    commitments, needs = linked(project, audience)
    if not commitments and not needs:
        return []
    day = today()
    body = render_template(
        "procurement_social_value/project_panel.html",
        rows=[(c, assessment(c, day)) for c in commitments],
        needs=needs,
        team=team,
        audience=audience,
        **helpers(),
    )
    return [Panel(key="social_value", title=_("Social value promised for this project"), body=Markup(body), order=60)]  # nosec B704
