"""Public pages: the start page, the citizen's journey through an assessment, and the result.

No account and no personal data: a person's answers in progress are kept against a private
link (/a/<code>/r/<token>/...); only the token's hash is stored. The team's pages are in
views_team.py, questionnaire versions in views_versions.py, the card exercise in views_exercise.py:
all on this one Blueprint.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale

from coproduce.plugins import LocalText, current_team, db, gettext as _, is_member, limiter, local_text, utcnow
from coproduce_plugins.consultation_vs_coproduction import easy_read, meta
from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
from coproduce_plugins.consultation_vs_coproduction.campaigns import (
    audience_of,
    hash_token,
    new_token,
    own_group_ids,
    parse_other_groups,
    status,
    uk_day,
)
from coproduce_plugins.consultation_vs_coproduction.forms import comment_field, page_form, question_field, start_form
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Draft, Response, Version
from coproduce_plugins.consultation_vs_coproduction.scoring import score
from coproduce_plugins.consultation_vs_coproduction.versions import questionnaire_of
from coproduce_plugins.consultation_vs_coproduction.wording import Wording

bp = Blueprint("consultation_vs_coproduction", __name__)
STATIC = Path(__file__).with_name("static")
T = "consultation_vs_coproduction/"
# A workshop room shares one address (its Wi-Fi), so the address gets a room-sized allowance and each
# person's draft (the secret link) the allowance of one person.
POST_LIMIT = "30 per minute"  # one draft
ROOM_LIMIT = "300 per minute"  # one address: 30 residents and more, every page
START_LIMIT = "120 per minute"  # one address starting drafts (or sorting cards)


def draft_key() -> str:
    return "draft:" + hash_token(str((request.view_args or {}).get("token", "")))[:32]


@bp.get("/")
def index():
    team = current_team()
    return render_template(T + "index.html", meta=meta, member=is_member(team))


@bp.get("/readiness.css")
def stylesheet():
    return send_from_directory(STATIC, "readiness.css", mimetype="text/css", max_age=3600)


# -- helpers shared by the plugin's view modules ------------------------------------


def today():
    return uk_day(utcnow())


def assessment_by_code(code: str) -> Assessment:
    """The team's assessment with this code (else 404), read with the moments its version was made and
    locked, which assessment_wording needs: one query where there were two."""
    row = db.session.execute(
        db.select(Assessment, Version.created_at, Version.locked_at)
        .join(Version, Version.id == Assessment.version_id)
        .where(Assessment.code == code, Assessment.team_id == current_team().id)
    ).one_or_none()
    if row is None:
        abort(404)
    found, made, locked = row
    g.setdefault("_readiness_version_moments", {})[found.version_id] = (made, locked)
    return found


def assessment_status(assessment: Assessment) -> str:
    return status(assessment.opens_on, assessment.closes_on, today())


def group_choices(assessment: Assessment) -> list[tuple[str, str]]:
    """The assessment's groups: the default ones translated by the catalogs, the team's own in the page's
    language (LocalTexts, from other_groups) when it has written them so."""
    own = own_group_labels(assessment)
    return [(gid, own.get(gid) or _(label)) for gid, label in ((g["id"], g["label"]) for g in assessment.groups)]


def own_group_labels(assessment: Assessment) -> dict[str, LocalText]:
    ids = own_group_ids(assessment.groups)
    if not ids:
        return {}
    text = local_text(assessment, "other_groups")
    lines = parse_other_groups(text)
    if len(lines) != len(ids):  # written before the names were kept in other_groups: the names as stored
        return {}
    return {gid: LocalText(line, text.lang, text.wanted) for gid, line in zip(ids, lines)}


def group_label(assessment: Assessment, group_id: str) -> str:
    return dict(group_choices(assessment)).get(group_id, group_id)


def assessment_questionnaire(assessment: Assessment):
    """questionnaire_of(assessment.version), without reading the version's JSON on every request."""
    return assessment_wording(assessment)[0]


def assessment_wording(assessment: Assessment) -> tuple:
    """The assessment's questionnaire and its questions' wording in every language (wording.Wording).

    A locked version never changes (models.Version), so the app keeps both by the version's id and the
    moments it was made and locked; an unlocked one is read as before. A page asks several times;
    the request keeps what it found the first time (one query a request).
    """
    asked = g.setdefault("_readiness_wording", {})
    key = (assessment.id, assessment.version_id)
    if key not in asked:
        asked[key] = _wording_now(assessment)
    return asked[key]


def _wording_now(assessment: Assessment) -> tuple:
    moments = g.get("_readiness_version_moments", {}).get(assessment.version_id)
    made, locked = (
        moments
        or db.session.execute(
            sa.select(Version.created_at, Version.locked_at).where(Version.id == assessment.version_id)
        ).one()
    )
    if locked is None:
        return read_wording(assessment.version)
    kept = current_app.extensions.setdefault("consultation_vs_coproduction.questionnaires", {})
    key = (assessment.version_id, made, locked)
    if key not in kept:
        if len(kept) >= 256:
            kept.clear()
        kept[key] = read_wording(assessment.version)
    return kept[key]


def read_wording(version: Version) -> tuple:
    questionnaire = questionnaire_of(version)
    return questionnaire, Wording(questionnaire, version.translations, version.content_language)


def wording_of(assessment: Assessment) -> Wording:
    """The questions' texts of the assessment's questionnaire, in the page's language."""
    return assessment_wording(assessment)[1]


def closed_page(assessment: Assessment):
    return render_template(T + "closed.html", assessment=assessment, state=assessment_status(assessment))


def _draft(assessment: Assessment, token: str) -> Draft:
    found = db.session.execute(
        db.select(Draft).where(Draft.token_hash == hash_token(token), Draft.assessment_id == assessment.id)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def _pages(questionnaire) -> int:
    return len(questionnaire.dimensions) + 1  # one per dimension, then the comment page


# -- the journey --------------------------------------------------------------------


@bp.route("/a/<code>", methods=["GET", "POST"])
@limiter.limit(START_LIMIT, methods=["POST"])
def start(code: str):
    assessment = assessment_by_code(code)
    if assessment_status(assessment) != "open":
        return closed_page(assessment)
    questionnaire = assessment_questionnaire(assessment)
    form = start_form(group_choices(assessment))
    if form.validate_on_submit():
        token = new_token()
        db.session.add(
            Draft(
                assessment_id=assessment.id,
                token_hash=hash_token(token),
                group=form.group.data,
                easy_read=form.easy_read.data == "easy",
                answers={},
            )
        )
        db.session.commit()
        return redirect(url_for(".page", code=code, token=token, number=1))
    return render_template(
        T + "start.html", assessment=assessment, questionnaire=questionnaire, form=form, pages=_pages(questionnaire)
    )


@bp.route("/a/<code>/r/<token>/about", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"], key_func=draft_key)
@limiter.limit(ROOM_LIMIT, methods=["POST"])
def about(code: str, token: str):
    """Change the group or the version chosen at the start."""
    assessment = assessment_by_code(code)
    draft = _draft(assessment, token)
    if draft.response_id:
        return redirect(url_for(".result", code=code, token=token))
    if assessment_status(assessment) != "open":
        return closed_page(assessment)
    form = start_form(
        group_choices(assessment), data={"group": draft.group, "easy_read": "easy" if draft.easy_read else "standard"}
    )
    if form.validate_on_submit():
        draft.group, draft.easy_read = form.group.data, form.easy_read.data == "easy"
        db.session.commit()
        return redirect(url_for(".check", code=code, token=token))
    return render_template(T + "about.html", assessment=assessment, form=form, token=token)


@bp.route("/a/<code>/r/<token>/<int:number>", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"], key_func=draft_key)
@limiter.limit(ROOM_LIMIT, methods=["POST"])
def page(code: str, token: str, number: int):
    assessment = assessment_by_code(code)
    draft = _draft(assessment, token)
    if draft.response_id:
        return redirect(url_for(".result", code=code, token=token))
    if assessment_status(assessment) != "open":
        return closed_page(assessment)
    questionnaire = assessment_questionnaire(assessment)
    pages = _pages(questionnaire)
    if not 1 <= number <= pages:
        abort(404)
    dimension = questionnaire.dimensions[number - 1] if number < pages else None
    if dimension:
        audience = audience_of(draft.group)
        texts = wording_of(assessment).texts
        fields = {q.id: question_field(*texts(q, draft.easy_read, audience)) for q in dimension.questions}
        data = {q.id: draft.answers.get(q.id) for q in dimension.questions}
    else:
        fields, data = {"comment": comment_field()}, {"comment": draft.comment}
    form = page_form(fields, data=data)
    if form.validate_on_submit():
        if dimension:
            answers = dict(draft.answers)
            for q in dimension.questions:
                answers[q.id] = form[q.id].data or None
            draft.answers = {k: v for k, v in answers.items() if v}
        else:
            draft.comment = form.comment.data or ""
        db.session.commit()
        if form.save.data:
            return redirect(url_for(".saved", code=code, token=token, number=number))
        if request.args.get("back") == "check" or number == pages:
            return redirect(url_for(".check", code=code, token=token))
        return redirect(url_for(".page", code=code, token=token, number=number + 1))
    return render_template(
        T + "page.html",
        assessment=assessment,
        wording=wording_of(assessment),
        questionnaire=questionnaire,
        form=form,
        dimension=dimension,
        number=number,
        pages=pages,
        token=token,
        draft=draft,
    )


@bp.get("/a/<code>/r/<token>/saved")
def saved(code: str, token: str):
    assessment = assessment_by_code(code)
    _draft(assessment, token)
    number = request.args.get("number", 1, type=int)
    # The link carries the language the person chose, so it opens in it on another device too.
    link = url_for(".page", code=code, token=token, number=max(number, 1), lang=str(get_locale()), _external=True)
    return render_template(T + "saved.html", assessment=assessment, link=link)


@bp.route("/a/<code>/r/<token>/check", methods=["GET", "POST"])
@limiter.limit(POST_LIMIT, methods=["POST"], key_func=draft_key)
@limiter.limit(ROOM_LIMIT, methods=["POST"])
def check(code: str, token: str):
    assessment = assessment_by_code(code)
    draft = _draft(assessment, token)
    if draft.response_id:
        return redirect(url_for(".result", code=code, token=token))
    if assessment_status(assessment) != "open":
        return closed_page(assessment)
    questionnaire = assessment_questionnaire(assessment)
    form = page_form({}, with_save=False)
    if request.method == "POST" and form.validate_on_submit():
        response, _result = record_response(
            assessment,
            questionnaire,
            {k: v for k, v in draft.answers.items()},
            group=draft.group,
            source="web",
            easy_read=draft.easy_read,
            locale=str(get_locale()),
            comment=draft.comment,
        )
        if not _hand_over(draft, response.id):
            db.session.rollback()  # sent twice at once: the other request recorded it
            return redirect(url_for(".result", code=code, token=token))
        db.session.commit()
        return redirect(url_for(".result", code=code, token=token))
    return render_template(
        T + "check.html",
        assessment=assessment,
        questionnaire=questionnaire,
        draft=draft,
        form=form,
        token=token,
        group=group_label(assessment, draft.group),
        texts=wording_of(assessment).texts,
        wording=wording_of(assessment),
        audience=audience_of(draft.group),
        preview=score(questionnaire, draft.answers, strict=False),
    )


def _hand_over(draft: Draft, response_id: int) -> bool:
    """Mark the draft as sent, only if no other request did first; the response holds the answers now."""
    done = db.session.execute(
        sa.update(Draft)
        .where(Draft.id == draft.id, Draft.response_id.is_(None))
        .values(response_id=response_id, answers={}, comment="")
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


@bp.get("/a/<code>/r/<token>/result")
def result(code: str, token: str):
    assessment = assessment_by_code(code)
    draft = _draft(assessment, token)
    if not draft.response_id:
        return redirect(url_for(".check", code=code, token=token))
    response = db.session.get(Response, draft.response_id)
    questionnaire = assessment_questionnaire(assessment)
    outcome = score(questionnaire, response.answers, strict=False)
    return render_template(
        T + "result.html",
        assessment=assessment,
        questionnaire=questionnaire,
        result=outcome,
        easy=response.easy_read,  # answered in easy read: the result and its guidance are in easy read too
        easy_guidance=easy_read.guidance(outcome) if response.easy_read else None,
    )


from coproduce_plugins.consultation_vs_coproduction import views_exercise, views_team, views_versions  # noqa: E402,F401
