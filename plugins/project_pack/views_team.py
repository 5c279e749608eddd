"""The team's own pages: projects, contacts, documents, skills, log, outcomes, templates and the inbox."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import current_team, db, record, require_team_role, team_object_or_404, utcnow
from coproduce_plugins.project_pack import _, consent
from coproduce_plugins.project_pack.forms import (
    ConfirmForm,
    ContactForm,
    CriterionForm,
    EvidenceForm,
    LogForm,
    ProjectForm,
    SkillNeedForm,
    TemplateForm,
    parse_criteria,
)
from coproduce_plugins.project_pack.models import (
    Contact,
    Criterion,
    Document,
    Evidence,
    LogEntry,
    Offer,
    Project,
    SkillNeed,
    Template,
)
from coproduce_plugins.project_pack.render import local_markdown
from coproduce_plugins.project_pack.views import bp, get_project, panels


def _audit(what: str, target) -> None:
    record(f"project_pack.{what}", actor=current_user, team=current_team(), target=target)


def _to_project(form: ProjectForm, project: Project) -> None:
    for name in (
        "title",
        "summary",
        "background",
        "status",
        "goals",
        "set_in_stone",
        "up_for_grabs",
        "lead_name",
        "co_owner_name",
        "co_owner_role",
    ):
        setattr(project, name, getattr(form, name).data or "")
    form.save_translations(project)
    agreed = bool(form.owners_public.data)
    if agreed and not project.owners_public:
        project.owners_public_at, project.owners_public_wording = utcnow(), consent.OWNERS
    elif not agreed:
        project.owners_public_at = project.owners_public_wording = None
    project.owners_public = agreed
    project.lead_user_id = int(form.lead_user.data) if form.lead_user.data else None
    project.co_owner_user_id = int(form.co_owner_user.data) if form.co_owner_user.data else None
    project.updated_at = utcnow()
    project.refresh_search()


def _form_page(form, heading, back, **extra):
    return render_template("project_pack/form.html", form=form, heading=heading, back=back, **extra)


@bp.get("/manage")
@require_team_role("member")
def manage():
    team = current_team()
    projects = (
        db.session.execute(
            db.select(Project).where(Project.team_id == team.id).order_by(Project.updated_at.desc()).limit(500)
        )
        .scalars()
        .all()
    )
    waiting = db.session.execute(
        db.select(db.func.count(Offer.id)).where(Offer.team_id == team.id, Offer.handled.is_(False))
    ).scalar_one()
    return render_template("project_pack/manage.html", projects=projects, waiting=waiting)


@bp.route("/new", methods=["GET", "POST"])
@require_team_role("member")
def new():
    team = current_team()
    template = None
    if request.args.get("template"):
        template = db.session.get(Template, request.args.get("template", type=int) or 0)
        if template is None or template.team_id != team.id:
            abort(404)
    form = ProjectForm(team, with_criteria=True)
    if request.method == "GET" and template is not None:
        form.goals.data, form.set_in_stone.data = template.goals, template.set_in_stone
        form.up_for_grabs.data, form.criteria.data = template.up_for_grabs, template.criteria
    if form.validate_on_submit():
        project = Project(team_id=team.id)
        _to_project(form, project)
        for what, measure, target in parse_criteria(form.criteria.data):
            project.criteria.append(Criterion(what=what, measure=measure, target=target))
        db.session.add(project)
        db.session.flush()
        _audit("project_created", f"project:{project.id}")
        db.session.commit()
        flash(_("Project created."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id))
    templates = (
        db.session.execute(db.select(Template).where(Template.team_id == team.id).order_by(Template.name))
        .scalars()
        .all()
    )
    return render_template("project_pack/new.html", form=form, templates=templates, template=template)


@bp.get("/<int:project_id>/manage")
@require_team_role("member")
def project(project_id: int):
    project = get_project(project_id)
    offers = (
        db.session.execute(
            db.select(Offer)
            .where(Offer.team_id == project.team_id, Offer.handled.is_(False))
            .order_by(Offer.received_at.desc())
        )
        .scalars()
        .all()
    )
    needed = [s.skill for s in project.skills]
    matches = {need: [o for o in offers if need in o.skill_list] for need in needed}
    return render_template(
        "project_pack/project.html",
        project=project,
        matches=matches,
        background=local_markdown(project, "background"),
        panels=panels(project, "team"),
        confirm=ConfirmForm(),
        log_prompt=not any(e.working_together for e in project.log),
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def edit(project_id: int):
    project = get_project(project_id)
    form = ProjectForm(current_team(), obj=project)
    if request.method == "GET":
        form.lead_user.data = str(project.lead_user_id or "")
        form.co_owner_user.data = str(project.co_owner_user_id or "")
    if form.validate_on_submit():
        _to_project(form, project)
        _audit("project_changed", f"project:{project.id}")
        db.session.commit()
        flash(_("Project saved."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id))
    return _form_page(
        form, _("Change %(title)s", title=project.title), url_for("project_pack.project", project_id=project.id)
    )


@bp.route("/<int:project_id>/contacts/new", methods=["GET", "POST"])
@require_team_role("member")
def add_contact(project_id: int):
    project = get_project(project_id)
    form = ContactForm()
    if form.validate_on_submit():
        project.contacts.append(
            Contact(
                name=form.name.data,
                role=form.role.data or "",
                organisation=form.organisation.data or "",
                reach=form.reach.data or "",
                consent_to_publish=bool(form.consent.data),
                consent_recorded_at=utcnow() if form.consent.data else None,
                consent_wording=consent.CONTACT if form.consent.data else None,
            )
        )
        _audit("contact_added", f"project:{project.id}")
        db.session.commit()
        flash(_("Contact added."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id, _anchor="contacts"))
    return _form_page(
        form,
        _("Add a contact"),
        url_for("project_pack.project", project_id=project.id),
        intro=_(
            "Contacts are personal data. Team members see all of them; the public page "
            "shows a contact only if they agreed."
        ),
    )


@bp.post("/<int:project_id>/contacts/<int:contact_id>/delete")
@require_team_role("member")
def delete_contact(project_id: int, contact_id: int):
    project = get_project(project_id)
    db.session.delete(team_object_or_404(Contact, contact_id, owner=project, key="project_id"))
    _audit("contact_removed", f"project:{project.id}")
    db.session.commit()
    flash(_("Contact removed."), "success")
    return redirect(url_for("project_pack.project", project_id=project.id, _anchor="contacts"))


@bp.route("/<int:project_id>/skills/new", methods=["GET", "POST"])
@require_team_role("member")
def add_skill(project_id: int):
    project = get_project(project_id)
    form = SkillNeedForm()
    if form.validate_on_submit():
        need = SkillNeed(skill=form.skill.data, note=form.note.data or "")
        form.save_translations(need)
        project.skills.append(need)
        _audit("skill_added", f"project:{project.id}")
        db.session.commit()
        flash(_("Skill added."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id, _anchor="skills"))
    return _form_page(form, _("Add a skill the project needs"), url_for("project_pack.project", project_id=project.id))


@bp.post("/<int:project_id>/skills/<int:skill_id>/delete")
@require_team_role("member")
def delete_skill(project_id: int, skill_id: int):
    project = get_project(project_id)
    db.session.delete(team_object_or_404(SkillNeed, skill_id, owner=project, key="project_id"))
    _audit("skill_removed", f"project:{project.id}")
    db.session.commit()
    return redirect(url_for("project_pack.project", project_id=project.id, _anchor="skills"))


@bp.route("/<int:project_id>/log/new", methods=["GET", "POST"])
@require_team_role("member")
def add_log(project_id: int):
    project = get_project(project_id)
    form = LogForm()
    if form.validate_on_submit():
        entry = LogEntry(
            kind=form.kind.data,
            happened_on=form.happened_on.data,
            text=form.text.data,
            working_together=form.working_together.data or "",
            author_name=current_user.display_name,
            author_id=current_user.id,
        )
        form.save_translations(entry)
        project.log.append(entry)
        project.last_log_at = project.updated_at = utcnow()
        _audit("log_added", f"project:{project.id}")
        db.session.commit()
        flash(_("Log entry added."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id, _anchor="log"))
    return _form_page(
        form, _("Add to the progress and learning log"), url_for("project_pack.project", project_id=project.id)
    )


@bp.route("/<int:project_id>/criteria/new", methods=["GET", "POST"])
@require_team_role("member")
def add_criterion(project_id: int):
    project = get_project(project_id)
    form = CriterionForm()
    if form.validate_on_submit():
        criterion = Criterion(what=form.what.data, measure=form.measure.data or "", target=form.target.data or "")
        form.save_translations(criterion)
        project.criteria.append(criterion)
        _audit("criterion_added", f"project:{project.id}")
        db.session.commit()
        flash(_("Criterion added."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id, _anchor="outcomes"))
    return _form_page(form, _("Add an outcome criterion"), url_for("project_pack.project", project_id=project.id))


@bp.route("/<int:project_id>/criteria/<int:criterion_id>/evidence/new", methods=["GET", "POST"])
@require_team_role("member")
def add_evidence(project_id: int, criterion_id: int):
    project = get_project(project_id)
    criterion = team_object_or_404(Criterion, criterion_id, owner=project, key="project_id")
    form = EvidenceForm(project.documents)
    if form.validate_on_submit():
        doc = (
            team_object_or_404(Document, int(form.document.data), owner=project, key="project_id")
            if form.document.data
            else None
        )
        evidence = Evidence(
            note=form.note.data or "",
            figure=form.figure.number,
            observed_on=form.observed_on.data,
            document=doc,
            author_name=current_user.display_name,
        )
        form.save_translations(evidence)
        criterion.evidence.append(evidence)
        _audit("evidence_added", f"project:{project.id}")
        db.session.commit()
        flash(_("Evidence added."), "success")
        return redirect(url_for("project_pack.project", project_id=project.id, _anchor="outcomes"))
    return _form_page(
        form,
        _("Add evidence for: %(what)s", what=criterion.what),
        url_for("project_pack.project", project_id=project.id),
    )


@bp.get("/inbox")
@require_team_role("member")
def inbox():
    team = current_team()
    offers = (
        db.session.execute(
            db.select(Offer)
            .where(Offer.team_id == team.id)
            .order_by(Offer.handled, Offer.received_at.desc())
            .limit(200)
        )
        .scalars()
        .all()
    )
    return render_template("project_pack/inbox.html", offers=offers, confirm=ConfirmForm())


@bp.post("/inbox/<int:offer_id>/handled")
@require_team_role("member")
def offer_handled(offer_id: int):
    offer = team_object_or_404(Offer, offer_id)
    offer.handled = True
    _audit("offer_handled", f"offer:{offer.id}")
    db.session.commit()
    flash(_("Offer marked as dealt with."), "success")
    return redirect(url_for("project_pack.inbox"))


@bp.get("/templates")
@require_team_role("member")
def templates():
    rows = (
        db.session.execute(db.select(Template).where(Template.team_id == current_team().id).order_by(Template.name))
        .scalars()
        .all()
    )
    return render_template("project_pack/templates.html", templates=rows)


@bp.route("/templates/new", methods=["GET", "POST"])
@require_team_role("member")
def new_template():
    form = TemplateForm()
    if form.validate_on_submit():
        template = Template(team_id=current_team().id)
        form.populate_obj(template)
        db.session.add(template)
        db.session.flush()
        _audit("template_created", f"template:{template.id}")
        db.session.commit()
        flash(_("Template saved."), "success")
        return redirect(url_for("project_pack.templates"))
    return _form_page(form, _("New project template"), url_for("project_pack.templates"))
