"""The team's own pages: moderation, initiatives the council adds directly, themes, volunteers, map settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import current_team, db, local_text, record, require_team_role
from coproduce_plugins.initiatives import _
from coproduce_plugins.initiatives.directory import area_for, map_settings, themes_of
from coproduce_plugins.initiatives.forms import (
    ConfirmForm,
    MapSettingsForm,
    StaffInitiativeForm,
    ThemeEditForm,
    ThemeForm,
)
from coproduce_plugins.initiatives.models import Comment, Initiative, MapSettings, SkillOffer, Theme, Volunteer
from coproduce_plugins.initiatives.views import bp, form_data, get_initiative, to_initiative


def _audit(what: str, target) -> None:
    record(f"initiatives.{what}", actor=current_user, team=current_team(), target=target)


def _form_page(form, heading, back, **extra):
    return render_template("initiatives/form.html", form=form, heading=heading, back=back, **extra)


@bp.get("/manage")
@require_team_role("member")
def manage():
    team = current_team()
    waiting = db.session.execute(
        db.select(Initiative)
        .where(Initiative.team_id == team.id, Initiative.status == "pending")
        .order_by(Initiative.updated_at)
        .limit(200)
    ).scalars()
    comments = db.session.execute(
        db.select(Comment)
        .join(Initiative)
        .where(Initiative.team_id == team.id, Comment.status == "pending")
        .order_by(Comment.created_at)
        .limit(200)
    ).scalars()
    volunteers = db.session.execute(
        db.select(db.func.count(Volunteer.id))
        .join(Initiative)
        .where(Initiative.team_id == team.id, Volunteer.handled.is_(False))
    ).scalar_one()
    return render_template(
        "initiatives/manage.html",
        waiting=list(waiting),
        comments=list(comments),
        volunteers=volunteers,
        form=ConfirmForm(),
    )


@bp.route("/manage/new", methods=["GET", "POST"])
@require_team_role("member")
def new():
    team = current_team()
    area = area_for(team)
    form = StaffInitiativeForm(area, themes_of(team))
    if form.validate_on_submit():
        initiative = Initiative(team_id=team.id, status="published")
        to_initiative(form, initiative, area)
        db.session.add(initiative)
        db.session.flush()
        _audit("added", f"initiative:{initiative.id}")
        db.session.commit()
        flash(_("Published."), "success")
        return redirect(url_for("initiatives.review", initiative_id=initiative.id))
    return _form_page(form, _("Add an initiative"), url_for("initiatives.manage"))


@bp.get("/manage/<int:initiative_id>")
@require_team_role("member")
def review(initiative_id: int):
    initiative = get_initiative(initiative_id, public=False)
    area = area_for(current_team())
    return render_template(
        "initiatives/review.html", initiative=initiative, ward=area.ward(initiative.ward), form=ConfirmForm()
    )


@bp.route("/manage/<int:initiative_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def edit(initiative_id: int):
    initiative = get_initiative(initiative_id, public=False)
    team = current_team()
    area = area_for(team)
    form = StaffInitiativeForm(area, themes_of(team), obj=form_data(initiative, values_too=request.method != "POST"))
    if form.validate_on_submit():
        to_initiative(form, initiative, area)
        _audit("changed", f"initiative:{initiative.id}")
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("initiatives.review", initiative_id=initiative.id))
    back = url_for("initiatives.review", initiative_id=initiative.id)
    return _form_page(form, _("Change %(name)s", name=local_text(initiative, "name")), back)


@bp.post("/manage/<int:initiative_id>/<any(publish, reject):decision>")
@require_team_role("member")
def decide(initiative_id: int, decision: str):
    initiative = get_initiative(initiative_id, public=False)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    initiative.status = "published" if decision == "publish" else "rejected"
    _audit(f"{decision}ed", f"initiative:{initiative.id}")
    db.session.commit()
    flash(_("Published.") if decision == "publish" else _("Rejected: it is not public."), "success")
    return redirect(url_for("initiatives.manage"))


@bp.post("/manage/comments/<int:comment_id>/<any(publish, hide):decision>")
@require_team_role("member")
def moderate(comment_id: int, decision: str):
    comment = db.session.get(Comment, comment_id) if comment_id < 2**31 else None
    if comment is None or comment.initiative.team_id != current_team().id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    comment.status = "published" if decision == "publish" else "hidden"
    comment.reports = 0 if decision == "publish" else comment.reports
    _audit(f"comment_{decision}", f"comment:{comment.id}")
    db.session.commit()
    flash(_("Published.") if decision == "publish" else _("Hidden."), "success")
    return redirect(url_for("initiatives.manage"))


@bp.route("/manage/themes", methods=["GET", "POST"])
@require_team_role("member")
def themes():
    team = current_team()
    form = ThemeForm()
    if form.validate_on_submit():
        if any(t.name.lower() == form.name.data.lower() for t in themes_of(team)):
            form.name.errors.append(_("That theme is already in the list"))
        else:
            theme = Theme(team_id=team.id, name=form.name.data)
            form.save_translations(theme)
            db.session.add(theme)
            _audit("theme_added", form.name.data)
            db.session.commit()
            flash(_("Theme added."), "success")
            return redirect(url_for("initiatives.themes"))
    return render_template("initiatives/themes.html", form=form, themes=themes_of(team), confirm=ConfirmForm())


def _team_theme(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id) if theme_id < 2**31 else None
    if theme is None or theme.team_id != current_team().id:
        abort(404)
    return theme


@bp.route("/manage/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def edit_theme(theme_id: int):
    """A theme's name in every language (its own input is the name in the theme's language)."""
    team = current_team()
    theme = _team_theme(theme_id)
    form = ThemeEditForm(obj=theme)
    if form.validate_on_submit():
        taken = any(t.id != theme.id and t.name.lower() == form.name.data.lower() for t in themes_of(team))
        if taken:
            form.name.errors.append(_("That theme is already in the list"))
        else:
            before = theme.name
            theme.name = form.name.data
            form.save_translations(theme)
            tagged = db.select(Initiative).where(Initiative.themes.any(Theme.id == theme.id))
            for initiative in db.session.execute(tagged).scalars():
                initiative.refresh_search()  # the search finds an initiative by its themes' names too
            _audit("theme_changed", before)
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("initiatives.themes"))
    return _form_page(form, _("Change the theme"), url_for("initiatives.themes"))


@bp.post("/manage/themes/<int:theme_id>/delete")
@require_team_role("member")
def delete_theme(theme_id: int):
    theme = _team_theme(theme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db.session.delete(theme)
    _audit("theme_removed", theme.name)
    db.session.commit()
    flash(_("Theme removed."), "success")
    return redirect(url_for("initiatives.themes"))


@bp.get("/manage/volunteers")
@require_team_role("member")
def volunteers():
    team = current_team()
    rows = db.session.execute(
        db.select(Volunteer)
        .join(Initiative)
        .where(Initiative.team_id == team.id)
        .order_by(Volunteer.handled, Volunteer.received_at.desc())
        .limit(500)
    ).scalars()
    pool = db.session.execute(db.select(SkillOffer).order_by(SkillOffer.received_at.desc()).limit(500)).scalars()
    area = area_for(team)
    return render_template(
        "initiatives/volunteers.html",
        volunteers=list(rows),
        pool=list(pool),
        wards={w.code: w.name for w in area.wards},
        form=ConfirmForm(),
    )


@bp.post("/manage/volunteers/<int:volunteer_id>/handled")
@require_team_role("member")
def volunteer_handled(volunteer_id: int):
    found = db.session.get(Volunteer, volunteer_id) if volunteer_id < 2**31 else None
    if found is None or found.initiative.team_id != current_team().id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    found.handled = True
    db.session.commit()
    flash(_("Marked as handled."), "success")
    return redirect(url_for("initiatives.volunteers"))


@bp.route("/manage/map", methods=["GET", "POST"])
@require_team_role("owner")
def map_settings_page():
    team = current_team()
    settings = map_settings(team)
    form = MapSettingsForm(obj=settings)
    if form.validate_on_submit():
        if bool(form.boundary_file.data) != bool(form.wards_file.data):
            form.wards_file.errors.append(_("Give both files, or neither to show the demo area"))
        else:
            if db.session.get(MapSettings, team.id) is None:
                db.session.add(settings)
            settings.boundary_file = form.boundary_file.data or ""
            settings.wards_file = form.wards_file.data or ""
            settings.tile_url = form.tile_url.data or ""
            _audit("map_settings", "map")
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("initiatives.map_settings_page"))
    return _form_page(
        form,
        _("Map settings"),
        url_for("initiatives.manage"),
        intro=_(
            "Council IT put the GeoJSON files in the site's instance folder. Without them the map shows a demo area."
        ),
    )
