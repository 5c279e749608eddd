"""Pages of the plugin. The Blueprint lives here; team and pack pages add their routes to it
(views_team.py, views_pack.py). This module holds the public pages anyone can use without an account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import (
    claim_once,
    collect_for,
    current_team,
    db,
    is_member,
    limiter,
    no_page_cache,
    settle_once,
    team_object_or_404,
    utcnow,
)
from coproduce_plugins.project_pack import _, consent, meta
from coproduce_plugins.project_pack.forms import STATUS_LABELS, OfferForm
from coproduce_plugins.project_pack.models import STATUSES, Offer, Project, SkillNeed
from coproduce_plugins.project_pack.public_view import shared_view
from coproduce_plugins.project_pack.render import local_markdown
from coproduce_plugins.project_pack.skills import SKILLS, skill_label, skills_from_activities

bp = Blueprint("project_pack", __name__)
PER_PAGE = 20
OFFER_LIMIT = "5 per minute;30 per hour"


@bp.app_template_global("project_pack_skill")
def _skill_label(key):
    return skill_label(key)


@bp.app_template_global("project_pack_status")
def _status_label(key):
    return str(STATUS_LABELS.get(key, key))


@bp.app_template_global("project_pack_figure")
def _figure(value):
    return format(value.normalize(), "f") if value is not None else ""


def get_project(project_id: int) -> Project:
    """The team's project, or 404 (another team's project is not found here)."""
    return team_object_or_404(Project, project_id)


def project_choices(team) -> list[tuple[int, str]]:
    """(id, title) of the team's projects, by title: what other plugins may link their records to."""
    rows = db.session.execute(
        db.select(Project.id, Project.title).where(Project.team_id == team.id).order_by(Project.title, Project.id)
    )
    return [(row.id, row.title) for row in rows]


def panels(project: Project, audience: str) -> list:
    """Sections other plugins add to the project's page or pack, through the project_panels hook."""
    user = current_user if current_user.is_authenticated else None
    return collect_for(project_team(project), "project_panels", project=project, user=user, audience=audience)


def project_team(project: Project):
    team = current_team()
    if team.id != project.team_id:
        abort(404)
    return team


def search_projects(team, text: str, status: str, skill: str, page: int):
    """(projects on this page, total) for the public list; the filters use the table's indexes."""
    query = db.select(Project).where(Project.team_id == team.id)
    if status in STATUSES:
        query = query.where(Project.status == status)
    if skill in SKILLS:
        query = query.where(
            db.select(SkillNeed.id).where(SkillNeed.project_id == Project.id, SkillNeed.skill == skill).exists()
        )
    if text:
        query = query.where(Project.search_text.contains(text.lower()[:100], autoescape=True))
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = (
        db.session.execute(
            query.order_by(Project.updated_at.desc(), Project.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    return rows, total


@bp.get("/")
def index():
    team = current_team()
    text = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    skill = request.args.get("skill", "")
    if text:
        no_page_cache()  # the page shows the words searched for
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, 100000))
    projects, total = search_projects(team, text, status, skill, page)
    pages = max(1, -(-total // PER_PAGE))
    filters = {k: v for k, v in (("q", text), ("status", status), ("skill", skill)) if v}
    return render_template(
        "project_pack/list.html",
        meta=meta,
        projects=projects,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        text=text,
        status=status,
        skill=skill,
        statuses=STATUSES,
        skills=SKILLS,
        member=is_member(team),
    )


@bp.get("/<int:project_id>")
def public_project(project_id: int):
    project = get_project(project_id)
    return render_template(
        "project_pack/public_project.html",
        project=project,
        view=shared_view(project),
        background=local_markdown(project, "background"),
        panels=panels(project, "public"),
        member=is_member(current_team()),
    )


def save_offer(form: OfferForm, team, project: Project | None, thanks: str) -> None:
    skills = list(dict.fromkeys(skills_from_activities(form.activities.data or []) + (form.skills.data or [])))
    db.session.add(
        Offer(
            team_id=team.id,
            project_id=project.id if project else None,
            name=form.name.data,
            organisation=form.organisation.data or "",
            reach=form.reach.data,
            skills=",".join(skills),
            activities=",".join(form.activities.data or []),
            message=form.message.data or "",
            consent_recorded_at=utcnow(),
            consent_wording=consent.OFFER,
        )
    )
    settle_once(form, thanks)
    db.session.commit()


def _thank(response):
    flash(_("Thank you. Your offer has gone to the team, who will contact you."), "success")
    return response


@bp.route("/<int:project_id>/offer-help", methods=["GET", "POST"])
@limiter.limit(OFFER_LIMIT, methods=["POST"])
def offer_help(project_id: int):
    project = get_project(project_id)
    form = OfferForm()
    if form.validate_on_submit():
        thanks = url_for("project_pack.public_project", project_id=project.id)
        if repeat := claim_once(form):
            return _thank(repeat.response(thanks))
        save_offer(form, current_team(), project, thanks)
        return _thank(redirect(thanks))
    return render_template(
        "project_pack/offer.html", form=form, project=project, heading=_("Offer help to %(title)s", title=project.title)
    )


@bp.route("/offer-skills", methods=["GET", "POST"])
@limiter.limit(OFFER_LIMIT, methods=["POST"])
def offer_skills():
    form = OfferForm()
    if form.validate_on_submit():
        thanks = url_for("project_pack.index")
        if repeat := claim_once(form):
            return _thank(repeat.response(thanks))
        save_offer(form, current_team(), None, thanks)
        return _thank(redirect(thanks))
    return render_template("project_pack/offer.html", form=form, project=None, heading=_("Offer your skills"))


from coproduce_plugins.project_pack import views_documents, views_pack, views_team  # noqa: E402,F401 - they add routes to bp
