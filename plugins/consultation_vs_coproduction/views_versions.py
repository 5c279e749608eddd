"""Adapting the questionnaire in the browser: copy a version, reword, add and drop questions, weights.

A version used by an assessment is locked (responses stay tied to the exact text they answered);
to change it, copy it. Every change is checked with the same rules as the bundled file.
"""

from __future__ import annotations

from copy import deepcopy
from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from coproduce.plugins import current_team, db, gettext as _, record, require_team_role, team_object_or_404
from coproduce_plugins.consultation_vs_coproduction.forms import CopyVersionForm, question_edit_form
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Version
from coproduce_plugins.consultation_vs_coproduction.questionnaire import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    RUNGS,
    QuestionnaireError,
    questionnaire_from_dict,
    standard_questionnaire,
)
from coproduce_plugins.consultation_vs_coproduction.versions import (
    copy_version,
    standard_version,
    team_versions,
)
from coproduce_plugins.consultation_vs_coproduction.views import T, bp, read_wording
from coproduce_plugins.consultation_vs_coproduction.wording import QuestionWording, forget_question

RUNG_LABELS = {r.id: r.label for r in standard_questionnaire().rungs}


def _version(version_id: int) -> Version:
    found = team_object_or_404(Version, version_id)
    return found


def _editable(version_id: int) -> Version:
    version = _version(version_id)
    if version.locked_at is not None or version.is_standard:
        abort(409)
    return version


def _find(data: dict, question_id: str):
    for dimension in data["dimensions"]:
        for index, question in enumerate(dimension["questions"]):
            if question["id"] == question_id:
                return dimension, index, question
    abort(404)


def _weight(value: Decimal):
    number = float(value)
    return int(number) if number == int(number) else number


def _save(version: Version, data: dict, what: str, wording: QuestionWording | None = None) -> bool:
    try:
        questionnaire_from_dict(data, source=version.name)
    except QuestionnaireError as error:  # a rule the form could not check: say so, store nothing
        flash(_("That change was not saved: %(reason)s", reason=error.message), "error")
        return False
    version.data = data
    if wording is not None:
        wording.store()  # the question's other languages, beside its wording in `data`
    record(
        f"consultation_vs_coproduction.{what}", actor=current_user, team=current_team(), target=f"version:{version.id}"
    )
    db.session.commit()
    return True


@bp.get("/questionnaires")
@require_team_role("member")
def versions():
    team = current_team()
    standard_version(team.id)
    db.session.commit()
    rows = team_versions(team.id)
    used = {
        vid
        for (vid,) in db.session.execute(
            db.select(Assessment.version_id).where(Assessment.team_id == team.id).distinct()
        )
    }
    return render_template(T + "versions.html", versions=rows, used=used, form=CopyVersionForm())


@bp.route("/questionnaires/<int:version_id>/copy", methods=["GET", "POST"])
@require_team_role("member")
def copy(version_id: int):
    source = _version(version_id)
    form = CopyVersionForm()
    if form.validate_on_submit():
        version = copy_version(source, form.name.data)
        record(
            "consultation_vs_coproduction.version_copied",
            actor=current_user,
            team=current_team(),
            target=f"version:{version.id}",
            source=source.id,
        )
        db.session.commit()
        flash(_("Copy made. You can now change it."), "success")
        return redirect(url_for(".version", version_id=version.id))
    return render_template(T + "version_copy.html", source=source, form=form)


@bp.get("/questionnaires/<int:version_id>")
@require_team_role("member")
def version(version_id: int):
    found = _version(version_id)
    editable = found.locked_at is None and not found.is_standard
    questionnaire, wording = read_wording(found)
    return render_template(
        T + "version.html",
        version=found,
        questionnaire=questionnaire,
        editable=editable,
        min_questions=MIN_QUESTIONS,
        max_questions=MAX_QUESTIONS,
        csrf_form=FlaskForm(),
        texts=wording.texts,
        wording=wording,
    )


@bp.route("/questionnaires/<int:version_id>/questions/<question_id>", methods=["GET", "POST"])
@require_team_role("member")
def edit_question(version_id: int, question_id: str):
    found = _editable(version_id)
    data = deepcopy(found.data)
    dimension, index, question = _find(data, question_id)
    options = question["options"]
    wording = QuestionWording.of(found, question)
    form = question_edit_form(len(options), obj=wording, data={"weight": question.get("weight", 1)})
    if form.validate_on_submit():
        if form.text.data != question["text"]:
            question["resident_text"] = ""  # the standard's wording for residents no longer matches the team's
        question.update(text=form.text.data, easy_read=form.easy_read.data, weight=_weight(form.weight.data))
        for i, option in enumerate(options):
            option.update(text=form[f"option_{i}"].data, easy_read=form[f"option_{i}_easy"].data)
        form.save_translations(wording)
        if _save(found, data, "question_edited", wording):
            flash(_("Question saved."), "success")
            return redirect(url_for(".version", version_id=found.id))
    return render_template(
        T + "question_form.html",
        version=found,
        form=form,
        dimension=dimension,
        rungs=[o["rung"] for o in options],
        adding=False,
        rung_labels=RUNG_LABELS,
    )


@bp.route("/questionnaires/<int:version_id>/sections/<dimension_id>/add", methods=["GET", "POST"])
@require_team_role("member")
def add_question(version_id: int, dimension_id: str):
    found = _editable(version_id)
    data = deepcopy(found.data)
    dimension = next((d for d in data["dimensions"] if d["id"] == dimension_id), None)
    if dimension is None:
        abort(404)
    # A question not yet written, in the version's language (the form's own inputs are in it).
    blank = {"id": "", "text": "", "easy_read": "", "options": [{"id": chr(ord("a") + i)} for i in range(len(RUNGS))]}
    form = question_edit_form(len(RUNGS), obj=QuestionWording.of(found, blank), data={"weight": 1})
    if len(dimension["questions"]) >= MAX_QUESTIONS:
        flash(_("A section can have at most %(max)d questions. Drop one first.", max=MAX_QUESTIONS), "error")
        return redirect(url_for(".version", version_id=found.id))
    if form.validate_on_submit():
        taken = {q["id"] for d in data["dimensions"] for q in d["questions"]}
        number = 1
        while f"{dimension_id}-t{number}"[:40] in taken:
            number += 1
        question = {
            "id": f"{dimension_id}-t{number}"[:40],
            "text": form.text.data,
            "easy_read": form.easy_read.data,
            "weight": _weight(form.weight.data),
            "options": [
                {
                    "id": chr(ord("a") + i),
                    "rung": rung,
                    "text": form[f"option_{i}"].data,
                    "easy_read": form[f"option_{i}_easy"].data,
                }
                for i, rung in enumerate(RUNGS)
            ],
        }
        dimension["questions"].append(question)
        wording = QuestionWording.of(found, question)
        form.save_translations(wording)
        if _save(found, data, "question_added", wording):
            flash(_("Question added."), "success")
            return redirect(url_for(".version", version_id=found.id))
    return render_template(
        T + "question_form.html",
        version=found,
        form=form,
        dimension=dimension,
        rungs=list(RUNGS),
        adding=True,
        rung_labels=RUNG_LABELS,
    )


@bp.post("/questionnaires/<int:version_id>/questions/<question_id>/drop")
@require_team_role("member")
def drop_question(version_id: int, question_id: str):
    found = _editable(version_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    data = deepcopy(found.data)
    dimension, index, _question = _find(data, question_id)
    if len(dimension["questions"]) <= MIN_QUESTIONS:
        flash(
            _("A section needs at least %(min)d questions. Add another before dropping this one.", min=MIN_QUESTIONS),
            "error",
        )
    else:
        del dimension["questions"][index]
        forget_question(found, _question)
        if _save(found, data, "question_dropped"):
            flash(_("Question dropped."), "success")
    return redirect(url_for(".version", version_id=found.id))
