"""The team's curation pages: CSV import, moderation of community checks, needs, the measures framework."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import (
    UploadError,
    check_upload,
    current_team,
    db,
    import_in_background,
    job_url,
    local_text,
    ngettext,
    record,
    require_team_role,
    start_job,
    team_object_or_404,
    utcnow,
)
from coproduce_plugins.procurement_social_value import _
from coproduce_plugins.procurement_social_value.exports import BOM
from coproduce_plugins.procurement_social_value.forms import (
    ConfirmForm,
    ImportForm,
    MeasureForm,
    NeedProjectForm,
    NeedTextForm,
)
from coproduce_plugins.procurement_social_value.framework import check_framework_csv, framework_to_csv
from coproduce_plugins.procurement_social_value.importer import IMPORT_COLUMNS, template_csv
from coproduce_plugins.procurement_social_value.jobs import NOTHING_IMPORTED, import_contracts_file, imported_message
from coproduce_plugins.procurement_social_value.models import Commitment, CommunityCheck, Measure, Need
from coproduce_plugins.procurement_social_value.money import format_pence_plain
from coproduce_plugins.procurement_social_value.projects import (
    offer_projects,
    project_choices,
    save_project,
    show_project,
)
from coproduce_plugins.procurement_social_value.store import (
    apply_framework,
    ensure_framework,
    set_proxy,
    team_framework,
    team_measures,
)
from coproduce_plugins.procurement_social_value.views import bp


def read_csv_upload(form):
    """The uploaded CSV's bytes, or None with an error beside the field."""
    try:
        return check_upload(form.file.data, allowed=("csv",)).data
    except UploadError as error:
        form.file.errors = list(form.file.errors) + [str(error)]
        return None


@bp.route("/manage/import", methods=["GET", "POST"])
@require_team_role("member")
def import_contracts():
    team = current_team()
    ensure_framework(team)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = read_csv_upload(form)
        if data is not None and import_in_background(len(data)):
            job = start_job(
                "procurement_social_value.contracts_import",
                _("Contracts import: %(name)s", name=form.file.data.filename or "contracts.csv"),
                data=data,
            )
            return redirect(job_url(job))
        if data is not None:
            report, count = import_contracts_file(team, data, current_user)
            db.session.commit()
            if count is None:
                form.file.errors = list(form.file.errors) + [NOTHING_IMPORTED]
            else:
                told = imported_message(report, count)
                flash(told[0], "success")
                for line in told[1:]:
                    flash(line)
                return redirect(url_for(".contracts"))
    return render_template("procurement_social_value/import.html", form=form, report=report, columns=IMPORT_COLUMNS)


@bp.get("/manage/import/template.csv")
@require_team_role("member")
def import_template():
    return Response(
        BOM + template_csv(),  # the byte-order mark, so Excel reads the file as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="social-value-import.csv"'},
    )


@bp.get("/manage/moderation")
@require_team_role("member")
def moderation():
    team = current_team()
    held = (
        db.session.execute(
            db.select(CommunityCheck)
            .where(CommunityCheck.team_id == team.id, CommunityCheck.state == "held")
            .order_by(CommunityCheck.id)
        )
        .scalars()
        .all()
    )
    return render_template("procurement_social_value/moderation.html", held=held, confirm=ConfirmForm())


@bp.post("/manage/checks/<int:check_id>/moderate")
@require_team_role("member")
def moderate(check_id: int):
    team = current_team()
    check = team_object_or_404(CommunityCheck, check_id)
    decision = request.form.get("decision")
    if decision not in ("shown", "rejected"):
        abort(400)
    if ConfirmForm().validate_on_submit():
        check.state, check.moderated_by_id, check.moderated_at = decision, current_user.id, utcnow()
        record(f"procurement_social_value.check_{decision}", actor=current_user, team=team, target=f"check:{check.id}")
        db.session.commit()
        flash(
            _("The comment is now shown on the public page.")
            if decision == "shown"
            else _("The comment will not be shown."),
            "success",
        )
    return redirect(url_for(".moderation"))


@bp.get("/manage/needs")
@require_team_role("member")
def needs():
    team = current_team()
    rows = (
        db.session.execute(db.select(Need).where(Need.team_id == team.id).order_by(Need.state, Need.title))
        .scalars()
        .all()
    )
    answering = {}
    for c in db.session.execute(
        db.select(Commitment).where(Commitment.team_id == team.id, Commitment.need_id.is_not(None))
    ).scalars():
        answering.setdefault(c.need_id, []).append(c)
    projects = dict(project_choices(team)) or None  # None: no projects to link to, so no column
    return render_template(
        "procurement_social_value/needs.html", needs=rows, answering=answering, confirm=ConfirmForm(), projects=projects
    )


@bp.post("/manage/needs/<int:need_id>/curate")
@require_team_role("member")
def need_curate(need_id: int):
    team = current_team()
    need = team_object_or_404(Need, need_id)
    state = request.form.get("state")
    if state not in ("accepted", "declined"):
        abort(400)
    if ConfirmForm().validate_on_submit():
        need.state = state
        record(f"procurement_social_value.need_{state}", actor=current_user, team=team, target=f"need:{need.id}")
        db.session.commit()
        flash(_("The need is on the register.") if state == "accepted" else _("The need is set aside."), "success")
    return redirect(url_for(".needs"))


@bp.route("/manage/needs/<int:need_id>/project", methods=["GET", "POST"])
@require_team_role("member")
def need_project(need_id: int):
    """Link a need to the team's project working on it (or unlink it)."""
    team = current_team()
    need = team_object_or_404(Need, need_id)
    form = NeedProjectForm()
    offer_projects(form, team)
    if form.project is None:
        flash(_("There are no projects to link to. Add one in Project packs first."), "info")
        return redirect(url_for(".needs"))
    if request.method == "GET":
        show_project(form, need.project_id)
    elif form.validate_on_submit():
        before = need.project_id
        save_project(form, need)
        record(
            "procurement_social_value.need_project",
            actor=current_user,
            team=team,
            target=f"need:{need.id}",
            changes={"project": [before, need.project_id]},
        )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".needs") + f"#need-{need.id}")
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Link the need to a project"),
        caption=local_text(need, "title"),
        back=url_for(".needs"),
    )


@bp.route("/manage/needs/<int:need_id>/words", methods=["GET", "POST"])
@require_team_role("member")
def need_text(need_id: int):
    """The need's words in every language: the team adds translations once it is on the register.

    The resident's own words stay in the language they wrote them in (the form's first input); needs
    still waiting for curation, or set aside, are not the team's to reword."""
    team = current_team()
    need = team_object_or_404(Need, need_id)
    if need.state != "accepted":
        abort(404)
    form = NeedTextForm(obj=need)
    if form.validate_on_submit():
        before = need.title
        need.title, need.description = form.title.data, form.description.data or ""
        form.save_translations(need)
        record(
            "procurement_social_value.need_changed",
            actor=current_user,
            team=team,
            target=f"need:{need.id}",
            changes={"title": [before, need.title]},
            languages=sorted(need.translations or {}),
        )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".needs") + f"#need-{need.id}")
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("The need in every language"),
        caption=local_text(need, "title"),
        back=url_for(".needs"),
    )


@bp.get("/manage/framework")
@require_team_role("member")
def framework():
    team = current_team()
    ensure_framework(team)
    return render_template("procurement_social_value/framework.html", measures=team_measures(team.id))


@bp.get("/manage/framework.csv")
@require_team_role("member")
def framework_csv():
    team = current_team()
    ensure_framework(team)
    return Response(
        BOM + framework_to_csv(team_framework(team.id)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="framework-{team.slug}.csv"'},
    )


@bp.route("/manage/framework/<int:measure_id>/edit", methods=["GET", "POST"])
@require_team_role("owner")
def measure_edit(measure_id: int):
    team = current_team()
    measure = team_object_or_404(Measure, measure_id)
    form = MeasureForm(obj=measure)  # title and unit in the measure's own language, the others below them
    if request.method == "GET":
        form.proxy.data = "" if measure.proxy_pence is None else format_pence_plain(measure.proxy_pence)
    elif form.validate_on_submit():
        pence = getattr(form.proxy, "pence", None) if form.proxy.data else None
        changed = pence != measure.proxy_pence
        if changed and not form.proxy_source.data:
            form.proxy_source.errors.append(_("Say where the new proxy value comes from"))
        if changed and not form.proxy_from.data:
            form.proxy_from.errors.append(_("Enter the date the new proxy value applies from"))
        if not (form.proxy_source.errors or form.proxy_from.errors):
            measure.title, measure.unit = form.title.data, form.unit.data
            form.save_translations(measure)
            details = {}
            if changed:
                value = set_proxy(measure, pence, form.proxy_source.data, form.proxy_from.data, current_user)
                details = {
                    "proxy": value.pence,
                    "source": value.source,
                    "applies_from": value.applies_from.isoformat(),
                }
            record(
                "procurement_social_value.measure_changed",
                actor=current_user,
                team=team,
                target=measure.code,
                **details,
            )
            db.session.commit()
            flash(_("Measure saved."), "success")
            return redirect(url_for(".framework"))
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Change a measure"),
        caption=measure.code,
        back=url_for(".framework"),
    )


@bp.route("/manage/framework/import", methods=["GET", "POST"])
@require_team_role("owner")
def framework_import():
    team = current_team()
    form = ImportForm()
    errors = None
    if form.validate_on_submit():
        data = read_csv_upload(form)
        if data is not None:
            framework, errors = check_framework_csv(data)
            if framework is None:
                form.file.errors = list(form.file.errors) + [NOTHING_IMPORTED]
            else:
                kept = apply_framework(team.id, framework, "Framework file imported", current_user)
                record(
                    "procurement_social_value.framework_imported",
                    actor=current_user,
                    team=team,
                    target="framework",
                    measures=len(framework.measures),
                    kept=kept,
                )
                db.session.commit()
                flash(
                    ngettext(
                        "Framework imported with %(num)d measure.",
                        "Framework imported with %(num)d measures.",
                        len(framework.measures),
                    ),
                    "success",
                )
                if kept:
                    flash(_("These measures were kept because commitments use them: %(codes)s", codes=", ".join(kept)))
                return redirect(url_for(".framework"))
    return render_template("procurement_social_value/framework_import.html", form=form, errors=errors)
