"""Pages of the plugin. The Blueprint lives here with the public pages anyone can use without an account;
team pages (views_team.py), the map (views_map.py) and Open Referral UK (views_openreferral.py) add their routes."""

from __future__ import annotations

import hashlib
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError

from coproduce.plugins import (
    CONTENT_LANGUAGES,
    LocalText,
    claim_once,
    current_team,
    db,
    is_member,
    limiter,
    local_html,
    local_text,
    no_page_cache,
    pages_changed,
    send_mail,
    settle_once,
    team_object_or_404,
    utcnow,
)
from coproduce_plugins.initiatives import _, meta
from coproduce_plugins.initiatives.directory import (
    Filters,
    area_for,
    other_hits,
    page_of,
    similar_to,
    themes_of,
    token_hash,
)
from coproduce_plugins.initiatives.forms import (
    RUNNER_LABELS,
    CommentForm,
    ConfirmForm,
    InitiativeForm,
    PledgeForm,
    SkillOfferForm,
    VolunteerForm,
)
from coproduce_plugins.initiatives.models import (
    CONSENT_VERSION,
    REPORTS_TO_HIDE,
    RUNNERS,
    Appreciation,
    Comment,
    Initiative,
    SkillOffer,
    Volunteer,
)
from coproduce_plugins.initiatives.skills import SKILLS, asset_map, skill_label

bp = Blueprint("initiatives", __name__)
FORM_LIMIT = "5 per minute;30 per hour"
CLICK_LIMIT = "20 per minute"


@bp.app_template_global("initiatives_runner")
def _runner_label(key):
    return str(RUNNER_LABELS.get(key, key))


@bp.app_template_global("initiatives_short")
def _short(record, field: str, length: int = 240) -> Markup:  # a block: put it in a div
    """The start of a long field in the reader's language, marked with its language (see in_lang)."""
    text = local_text(record, field)
    if len(text) > length:
        text = LocalText(text[: length - 1].rsplit(" ", 1)[0] + "…", text.lang, text.wanted)
    return local_html(text, escape(text))


@bp.app_template_global("initiatives_skill")
def _skill_label(key):
    return skill_label(key)


def get_initiative(initiative_id: int, public: bool = True) -> Initiative:
    """The team's initiative, or 404; on public pages only a published one."""
    initiative = team_object_or_404(Initiative, initiative_id)
    if public and initiative.status != "published":
        abort(404)
    return initiative


def to_initiative(form: InitiativeForm, initiative: Initiative, area) -> None:
    """Copy a valid form onto the initiative; a ward without a point places it at the ward's centre."""
    for name in ("name", "summary", "runner", "runner_name", "get_involved", "times", "languages", "website"):
        setattr(initiative, name, getattr(form, name).data or "")
    for name in ("contact_name", "contact_email", "contact_phone"):
        setattr(initiative, name, getattr(form, name).data or "")
    initiative.creche, initiative.step_free = bool(form.creche.data), bool(form.step_free.data)
    initiative.contact_public = bool(form.contact_public.data)
    if form.consent.data and (initiative.contact_name or initiative.contact_email or initiative.contact_phone):
        initiative.consent_version, initiative.consent_at = CONSENT_VERSION, utcnow()
    elif not (initiative.contact_name or initiative.contact_email or initiative.contact_phone):
        initiative.consent_version, initiative.consent_at, initiative.contact_public = "", None, False
    ward = area.ward(form.ward.data or "")
    if form.lat.data and form.lon.data:
        initiative.lat, initiative.lon = float(form.lat.data), float(form.lon.data)
        inside = area.ward_at(initiative.lon, initiative.lat)
        ward = ward or inside
    elif ward:
        initiative.lon, initiative.lat = ward.centre
    else:
        initiative.lat = initiative.lon = None
    initiative.ward = ward.code if ward else ""
    chosen = {int(t) for t in form.themes.data or [] if str(t).isdigit()}
    initiative.themes = [t for t in themes_of(current_team()) if t.id in chosen]
    if hasattr(form, "project_links"):
        initiative.project_links = form.project_links.data or ""
        initiative.need_links = form.need_links.data or ""
    form.save_translations(initiative)  # staff's other languages (a resident's form has none)
    initiative.updated_at = utcnow()
    initiative.refresh_search()


@bp.get("/")
def index():
    team = current_team()
    filters = Filters.from_args(request.args)
    if filters.text:
        no_page_cache()  # the page shows the words searched for
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100000))
    initiatives, total = page_of(team, filters, page)
    area = area_for(team)
    return render_template(
        "initiatives/list.html",
        meta=meta,
        initiatives=initiatives,
        total=total,
        page=page,
        pages=max(1, -(-total // 20)),
        filters=filters,
        themes=themes_of(team),
        area=area,
        wards={w.code: w.name for w in area.wards},
        runners=RUNNERS,
        member=is_member(team),
        elsewhere=other_hits(team, filters.text),
    )


@bp.get("/<int:initiative_id>")
def page(initiative_id: int):
    initiative = get_initiative(initiative_id)
    team = current_team()
    comments = db.session.execute(
        db.select(Comment)
        .where(Comment.initiative_id == initiative.id, Comment.status == "published")
        .order_by(Comment.created_at)
    ).scalars()
    area = area_for(team)
    ward = area.ward(initiative.ward)
    return render_template(
        "initiatives/page.html",
        initiative=initiative,
        comments=list(comments),
        ward=ward,
        similar=similar_to(team, initiative.search_text, exclude=initiative.id),
        appreciated=_voter_hash(create=False) is not None and _has_appreciated(initiative),
        form=ConfirmForm(),
        member=is_member(team),
    )


def _voter_hash(create: bool) -> str | None:
    """The hash of this person's random token, kept in their session; no personal data."""
    token = session.get("initiatives_voter")
    if token is None and create:
        token = session["initiatives_voter"] = secrets.token_urlsafe(24)
    if token is None:
        return None
    key = str(current_app.config.get("SECRET_KEY", ""))
    return hashlib.sha256(f"{key}:{token}".encode()).hexdigest()


def _has_appreciated(initiative: Initiative) -> bool:
    voter = _voter_hash(create=False)
    return bool(
        voter
        and db.session.execute(
            db.select(Appreciation.id).where(Appreciation.initiative_id == initiative.id, Appreciation.voter == voter)
        ).first()
    )


@bp.post("/<int:initiative_id>/appreciate")
@limiter.limit(CLICK_LIMIT)
def appreciate(initiative_id: int):
    initiative = get_initiative(initiative_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    voter = _voter_hash(create=True)
    try:
        with db.session.begin_nested():
            db.session.add(Appreciation(initiative_id=initiative.id, voter=voter))
        initiative.appreciations = Initiative.appreciations + 1
        db.session.commit()
        flash(_("Thank you. Your appreciation has been counted."), "success")
    except IntegrityError:
        db.session.rollback()
        flash(_("You have already shown your appreciation for this initiative."), "success")
    return redirect(url_for("initiatives.page", initiative_id=initiative_id))


def _thank(response, message):
    flash(message, "success")
    return response


def _comment(initiative_id: int, kind: str):
    initiative = get_initiative(initiative_id)
    form = CommentForm() if kind == "comment" else PledgeForm()
    back = url_for("initiatives.page", initiative_id=initiative.id)
    message = _("Thank you. A moderator will read it before it appears.")
    if form.validate_on_submit():
        if repeat := claim_once(form):
            return _thank(repeat.response(back), message)
        db.session.add(Comment(initiative_id=initiative.id, kind=kind, name=form.name.data or "", body=form.body.data))
        settle_once(form, back)
        db.session.commit()
        return _thank(redirect(back), message)
    heading = (
        _("Comment on %(name)s", name=local_text(initiative, "name")) if kind == "comment" else _("Propose an action")
    )
    return render_template("initiatives/form.html", form=form, heading=heading, back=back, initiative=initiative)


@bp.route("/<int:initiative_id>/discuss", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def discuss(initiative_id: int):
    return _comment(initiative_id, "comment")


@bp.route("/<int:initiative_id>/pledge", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def pledge(initiative_id: int):
    return _comment(initiative_id, "pledge")


@bp.post("/comments/<int:comment_id>/report")
@limiter.limit(CLICK_LIMIT)
def report(comment_id: int):
    comment = db.session.get(Comment, comment_id) if comment_id < 2**31 else None
    if comment is None or comment.status != "published" or comment.initiative.team_id != current_team().id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reported = set(session.get("initiatives_reported", []))
    if comment.id not in reported:
        comment.reports = Comment.reports + 1
        db.session.flush()
        db.session.refresh(comment)
        if comment.reports >= REPORTS_TO_HIDE:
            comment.status = "pending"
            pages_changed()  # hidden from every visitor at once, not when the page cache's copy runs out
        db.session.commit()
        session["initiatives_reported"] = sorted(reported | {comment.id})[-200:]
    flash(_("Thank you. A moderator will look at this comment."), "success")
    return redirect(url_for("initiatives.page", initiative_id=comment.initiative_id))


@bp.route("/<int:initiative_id>/volunteer", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def volunteer(initiative_id: int):
    initiative = get_initiative(initiative_id)
    form = VolunteerForm()
    back = url_for("initiatives.page", initiative_id=initiative.id)
    message = _("Thank you. The people who run it will contact you.")
    if form.validate_on_submit():
        if repeat := claim_once(form):
            return _thank(repeat.response(back), message)
        db.session.add(
            Volunteer(
                initiative_id=initiative.id,
                name=form.name.data,
                email=form.email.data or "",
                phone=form.phone.data or "",
                message=form.message.data or "",
                consent_version=CONSENT_VERSION,
                consent_at=utcnow(),
            )
        )
        settle_once(form, back)
        db.session.commit()
        return _thank(redirect(back), message)
    return render_template(
        "initiatives/form.html",
        form=form,
        heading=_("Volunteer with %(name)s", name=local_text(initiative, "name")),
        back=back,
        intro=_("You do not need an account. Only the people who run it and the council see what you send."),
    )


@bp.route("/add", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def add():
    team = current_team()
    area = area_for(team)
    form = InitiativeForm(area, themes_of(team))
    if request.method == "POST" and form.name.data and isinstance(form.name.data, str):
        form.duplicates = similar_to(team, f"{form.name.data} {form.summary.data or ''}", limit=5)
    if form.validate_on_submit():
        done = url_for("initiatives.submitted")
        if repeat := claim_once(form):
            return repeat.response(done)
        page_language = str(get_locale() or "en")
        initiative = Initiative(
            team_id=team.id,
            status="pending",
            locale=page_language,
            # A resident writes in the page's language: the initiative is marked as written in it.
            content_language=page_language if page_language in CONTENT_LANGUAGES else None,
        )
        to_initiative(form, initiative, area)
        token = secrets.token_urlsafe(32)
        initiative.edit_token_hash = token_hash(token)
        db.session.add(initiative)
        db.session.flush()
        settle_once(form, done)
        db.session.commit()
        link = url_for("initiatives.edit_own", token=token, _external=True)
        session["initiatives_edit_link"] = link
        if initiative.contact_email:
            send_mail(
                initiative.contact_email,
                _("Your initiative: %(name)s", name=initiative.name),
                _(
                    "Thank you for adding %(name)s. A moderator will check it before it is public.\n\n"
                    "To change it later, use this private link. Keep it to yourself:\n%(link)s",
                    name=initiative.name,
                    link=link,
                ),
            )
        return redirect(done)
    return render_template("initiatives/add.html", form=form, area=area)


@bp.get("/added")
def submitted():
    link = session.pop("initiatives_edit_link", None)
    return render_template("initiatives/submitted.html", link=link)


@bp.route("/edit/<token>", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def edit_own(token: str):
    team = current_team()
    initiative = db.session.execute(
        db.select(Initiative).where(
            Initiative.edit_token_hash == token_hash(token[:100]), Initiative.team_id == team.id
        )
    ).scalar_one_or_none()
    if initiative is None:
        abort(404)
    area = area_for(team)
    form = InitiativeForm(area, themes_of(team), obj=form_data(initiative, values_too=request.method != "POST"))
    del form.not_listed
    if form.validate_on_submit():
        to_initiative(form, initiative, area)
        if initiative.status == "published":
            initiative.status = "pending"  # a change is checked again before it is public
        db.session.commit()
        flash(_("Saved. A moderator will check the change before it is public."), "success")
        return redirect(request.path)
    return render_template(
        "initiatives/form.html",
        form=form,
        heading=_("Change %(name)s", name=local_text(initiative, "name")),
        back=None,
    )


def form_data(initiative: Initiative, values_too: bool = True):
    """An object the form reads its starting values from: the initiative's languages and (values_too) its values.

    A POST takes only the languages, so the form's own inputs are read as the initiative's language."""

    class Values:
        pass

    values = Values()
    values.content_language = initiative.content_language
    values.translated_fields = initiative.translated_fields
    values.text_in = initiative.text_in
    if not values_too:
        return values
    for name in (
        "name",
        "summary",
        "runner",
        "runner_name",
        "ward",
        "get_involved",
        "times",
        "creche",
        "step_free",
        "languages",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_public",
        "project_links",
        "need_links",
    ):
        setattr(values, name, getattr(initiative, name))
    values.lat = "" if initiative.lat is None else f"{initiative.lat:.5f}"
    values.lon = "" if initiative.lon is None else f"{initiative.lon:.5f}"
    values.themes = [str(t.id) for t in initiative.themes]
    values.consent = initiative.consent_at is not None
    return values


@bp.get("/skills")
def skills():
    team = current_team()
    area = area_for(team)
    offers = db.session.execute(db.select(SkillOffer.ward, SkillOffer.skills)).all()
    codes = [w.code for w in area.wards] + [""]
    return render_template(
        "initiatives/skills.html",
        rows=asset_map(offers, codes),
        skills=SKILLS,
        wards={w.code: w.name for w in area.wards},
    )


@bp.route("/skills/offer", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def offer_skills():
    team = current_team()
    form = SkillOfferForm(area_for(team))
    back = url_for("initiatives.skills")
    message = _("Thank you. Your skills are in the pool.")
    if form.validate_on_submit():
        if repeat := claim_once(form):
            return _thank(repeat.response(back), message)
        db.session.add(
            SkillOffer(
                team_id=team.id,
                name=form.name.data,
                email=form.email.data or "",
                phone=form.phone.data or "",
                ward=form.ward.data or "",
                skills=",".join(s for s in form.skills.data if s in SKILLS),
                consent_version=CONSENT_VERSION,
                consent_at=utcnow(),
            )
        )
        settle_once(form, back)
        db.session.commit()
        return _thank(redirect(back), message)
    return render_template(
        "initiatives/form.html",
        form=form,
        heading=_("Offer your skills"),
        back=back,
        intro=_(
            "Your skills join one pool for the whole site. Only council staff see your name and contact details; "
            "the public sees only how many people offer each skill in each area."
        ),
    )


from coproduce_plugins.initiatives import views_map, views_openreferral, views_team  # noqa: E402,F401 - they add routes to bp
