"""The team's pages: assessments, the dashboard, exports, the poster with its QR code, paper entry."""

from __future__ import annotations

import io
from datetime import date, timedelta

import segno
from babel import Locale
from flask import (
    Response as HTTPResponse,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape

from coproduce.plugins import (
    can_manage,
    csv_text,
    current_team,
    db,
    export_in_background,
    format_day,
    gettext as _,
    in_print_languages,
    job_url,
    local_text,
    plugin_settings,
    prepare_page,
    record,
    require_team_role,
    start_job,
    team_object_or_404,
)
from coproduce_plugins.consultation_vs_coproduction import exports
from coproduce_plugins.consultation_vs_coproduction.aggregates import comments, figures, record_response
from coproduce_plugins.consultation_vs_coproduction.campaigns import (
    build_groups,
    kept_other_groups,
    new_code,
    own_group_ids,
    own_group_text,
    parse_other_groups,
)
from coproduce_plugins.consultation_vs_coproduction.forms import (
    AssessmentDetailsForm,
    AssessmentForm,
    FilterForm,
    paper_form,
)
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Version
from coproduce_plugins.consultation_vs_coproduction.perception import summary as gap_summary
from coproduce_plugins.consultation_vs_coproduction.versions import (
    lock,
    questionnaire_of,
    standard_version,
    team_versions,
)
from coproduce_plugins.consultation_vs_coproduction.views import (
    T,
    assessment_status,
    bp,
    group_choices,
    today,
    wording_of,
)
from coproduce_plugins.consultation_vs_coproduction.wording import inline


def _assessment(assessment_id: int) -> Assessment:
    return team_object_or_404(Assessment, assessment_id)


def min_group_size(team) -> int:
    try:
        return max(1, int(plugin_settings(team, "consultation_vs_coproduction").get("min_group_size", 5)))
    except (TypeError, ValueError):
        return 5


@bp.get("/assessments")
@require_team_role("member")
def assessments():
    team = current_team()
    rows = (
        db.session.execute(
            db.select(Assessment)
            .where(Assessment.team_id == team.id)
            .order_by(Assessment.opens_on.desc(), Assessment.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template(T + "assessments.html", assessments=rows, state=assessment_status)


@bp.route("/assessments/new", methods=["GET", "POST"])
@require_team_role("member")
def new_assessment():
    team = current_team()
    standard = standard_version(team.id)
    db.session.commit()
    form = AssessmentForm()
    form.version.choices = [(str(v.id), _(v.name) if v.is_standard else v.name) for v in team_versions(team.id)]
    if request.method == "GET":
        form.version.data = str(standard.id)
    if form.validate_on_submit():
        version = db.session.get(Version, int(form.version.data)) if form.version.data.isdigit() else None
        if version is None or version.team_id != team.id:
            form.version.errors.append(_("Choose a questionnaire"))
        else:
            lock(version)
            groups = build_groups(form.groups.data, form.other_groups.data)
            assessment = Assessment(
                team_id=team.id,
                version_id=version.id,
                code=new_code(),
                title=form.title.data,
                initiative=form.initiative.data,
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                groups=groups,
                other_groups=own_group_text(groups),
            )
            form.save_translations(assessment)
            _keep_own_groups(assessment, kept_other_groups(form.groups.data, form.other_groups.data))
            db.session.add(assessment)
            db.session.flush()
            record(
                "consultation_vs_coproduction.assessment_created",
                actor=current_user,
                team=team,
                target=f"assessment:{assessment.id}",
            )
            db.session.commit()
            flash(_("Assessment created. Share its link or print its poster."), "success")
            return redirect(url_for(".dashboard", assessment_id=assessment.id))
    return render_template(T + "assessment_form.html", form=form)


@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def edit_assessment(assessment_id: int):
    assessment = _assessment(assessment_id)
    form = AssessmentDetailsForm(obj=assessment)
    form.own_groups = len(own_group_ids(assessment.groups))
    if not form.own_groups:
        del form.other_groups
    if form.validate_on_submit():
        names = assessment.other_groups  # as people first saw them: only their other languages change
        form.populate_obj(assessment)
        assessment.other_groups = names
        _keep_own_groups(assessment, list(range(form.own_groups)))
        record(
            "consultation_vs_coproduction.assessment_changed",
            actor=current_user,
            team=current_team(),
            target=f"assessment:{assessment.id}",
        )
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".dashboard", assessment_id=assessment.id))
    return render_template(
        T + "assessment_edit.html",
        form=form,
        assessment=assessment,
        field_params={"other_groups": {"attributes": {"readonly": "readonly"}}},
    )


def _keep_own_groups(assessment: Assessment, kept: list[int]) -> None:
    """The team's own groups in each other language: the lines that became groups, one on each line."""
    for lang in list(assessment.translations or {}):
        lines = parse_other_groups(assessment.text_in("other_groups", lang))
        names = [lines[number] for number in kept if number < len(lines)]
        assessment.set_text("other_groups", lang, "\n".join(names) if len(names) == len(kept) else "")


@bp.post("/assessments/<int:assessment_id>/close")
@require_team_role("member")
def close_assessment(assessment_id: int):
    assessment = _assessment(assessment_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    yesterday = today() - timedelta(days=1)
    if assessment.closes_on > yesterday:
        assessment.closes_on = yesterday
        assessment.opens_on = min(assessment.opens_on, yesterday)
        record(
            "consultation_vs_coproduction.assessment_closed",
            actor=current_user,
            team=current_team(),
            target=f"assessment:{assessment.id}",
        )
        db.session.commit()
    flash(_("The assessment is closed. No more answers are accepted."), "success")
    return redirect(url_for(".dashboard", assessment_id=assessment.id))


def _dates(form: FilterForm) -> tuple[date | None, date | None]:
    values = []
    for field in (form.start, form.end):
        try:
            values.append(date.fromisoformat(field.data) if field.data else None)
        except ValueError:
            field.errors = [_("Enter a date like 2027-03-27")]
            values.append(None)
    return values[0], values[1]


@bp.get("/assessments/<int:assessment_id>")
@require_team_role("member")
def dashboard(assessment_id: int):
    team = current_team()
    assessment = _assessment(assessment_id)
    questionnaire = questionnaire_of(assessment.version)
    form = FilterForm(request.args)
    choices = group_choices(assessment)
    form.group.choices = [("", _("All groups"))] + choices
    group = form.group.data if form.group.data in dict(choices) else None
    start, end = _dates(form)
    size = min_group_size(team)
    figs = figures(assessment, questionnaire, min_group=size, group=group, start=start, end=end)
    shown = {g.id for g in figs.groups if not g.hidden}
    if (start or end) and figs.window is None:
        notes = []
    else:
        window = figs.window or (None, None)
        notes = comments(assessment, shown, group=group, start=window[0], end=window[1])
    return render_template(
        T + "dashboard.html",
        assessment=assessment,
        questionnaire=questionnaire,
        figs=figs,
        form=form,
        notes=notes,
        labels=dict(choices),
        state=assessment_status(assessment),
        filtered=bool(group or start or end),
        close_form=FlaskForm(),
        public_link=url_for(".start", code=assessment.code, _external=True),
        owner=can_manage(team),
        gap=gap_summary(figs),
        summary_args={k: v for k, v in (("group", group), ("start", form.start.data), ("end", form.end.data)) if v},
    )


@bp.get("/assessments/<int:assessment_id>/summary.csv")
@require_team_role("member")
def export_summary(assessment_id: int):
    """The dashboard's figures for the chosen filter, with the same small groups hidden."""
    team = current_team()
    assessment = _assessment(assessment_id)
    questionnaire = questionnaire_of(assessment.version)
    form = FilterForm(request.args)
    choices = group_choices(assessment)
    form.group.choices = [("", _("All groups"))] + choices
    group = form.group.data if form.group.data in dict(choices) else None
    start, end = _dates(form)
    figs = figures(assessment, questionnaire, min_group=min_group_size(team), group=group, start=start, end=end)
    labels = dict(choices)
    header = [_("Group"), _("From"), _("To"), _("Responses"), _("Overall score")]
    header += [_("Score: %(dimension)s", dimension=_(d.title)) for d in questionnaire.dimensions]
    header += [_("Responses on the rung: %(rung)s", rung=_(r.label)) for r in questionnaire.rungs]
    header.append(_("Questionnaire version"))
    version = questionnaire.version
    window = figs.window or ((figs.by_period[0][0], figs.by_period[-1][1]) if figs.by_period else (None, None))
    dates = [window[0].isoformat() if window[0] else "", window[1].isoformat() if window[1] else ""]
    lines = []
    if not figs.hidden and group is None:
        lines.append(
            [_("All groups shown"), *dates, figs.total, figs.overall]
            + [figs.dimensions.get(d.id) for d in questionnaire.dimensions]
            + [figs.rungs.get(r.id, 0) for r in questionnaire.rungs]
            + [version]
        )
    for g in figs.groups:
        label = labels.get(g.id, g.id)
        if g.hidden:
            lines.append([label, *dates, _("Hidden")] + [""] * (len(header) - 5) + [version])
            continue
        lines.append(
            [label, *dates, g.responses, g.overall]
            + [g.dimensions.get(d.id) for d in questionnaire.dimensions]
            + [g.rungs.get(r.id, 0) for r in questionnaire.rungs]
            + [version]
        )
    record(
        "consultation_vs_coproduction.exported",
        actor=current_user,
        team=team,
        target=f"assessment:{assessment.id}",
        format="summary-csv",
    )
    db.session.commit()
    return HTTPResponse(
        exports.summary_csv(header, lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="readiness-{assessment.id}-summary.csv"'},
    )


def _export_headers(questionnaire) -> list[str]:
    fixed = [
        _("Response"),
        _("Submitted at"),
        _("Group"),
        _("Source"),
        _("Easy read"),
        _("Language"),
        _("Questionnaire version"),
        _("Scoring rules"),
        _("Overall score"),
        _("Overall rung"),
    ]
    dims = [_("Score: %(dimension)s", dimension=_(d.title)) for d in questionnaire.dimensions]
    questions = [f"{q.id}: {_(q.text)}" for d in questionnaire.dimensions for q in d.questions]
    return fixed + dims + questions + [_("Comment")]


def language_names() -> dict[str, str]:
    """Each language a response may be in, named in the reader's language ("Welsh", "walijski")."""
    reader = Locale.parse(str(get_locale() or "en"))
    return {code: Locale.parse(code).get_display_name(reader) or code for code in ("en", "cy", "pl", "ur")}


def export_words(assessment, questionnaire) -> exports.Words:
    """The CSV's codes in words, in the reader's language."""
    return exports.Words(
        groups=dict(group_choices(assessment)),
        sources={"web": _("Online"), "paper": _("On paper")},
        yes_no=(_("Yes"), _("No")),
        languages=language_names(),
        rungs={r.id: _(r.label) for r in questionnaire.rungs},
        answers={q.id: {o.id: _(o.text) for o in q.options} for d in questionnaire.dimensions for q in d.questions},
    )


def export_name(assessment, file_format: str) -> str:
    return f"readiness-{assessment.id}-every-response-includes-small-groups.{file_format}"


def responses_csv(assessment):
    """Every response of the assessment as CSV lines in words (small groups included), for a spreadsheet."""
    questionnaire = questionnaire_of(assessment.version)
    return exports.csv_lines(
        _export_headers(questionnaire),
        exports.records(assessment.id, questionnaire, export_words(assessment, questionnaire)),
    )


def codebook_rows(assessment, questionnaire) -> list[list[str]]:
    """What each column of the responses CSV holds, and what each of its values means."""
    words = export_words(assessment, questionnaire)
    header = _export_headers(questionnaire)
    fixed = dict(zip(exports.FIXED, header))
    book: list[list[str]] = [
        [fixed["response"], _("A number for each response, in the order the responses arrived."), "", ""],
        [
            fixed["submitted_at"],
            _("When the response was sent: the date and time in UTC, as 2026-11-03T21:25:00."),
            "",
            "",
        ],
    ]
    book += [
        [fixed["group"], _("The group the person said they belong to."), label, ""] for label in words.groups.values()
    ]
    book += [
        [fixed["source"], _("How the response reached the team."), words.sources["web"], _("Answered on the website.")],
        [
            fixed["source"],
            _("How the response reached the team."),
            words.sources["paper"],
            _("Answered on a paper form, then typed in by the team."),
        ],
    ]
    book += [
        [fixed["easy_read"], _("Whether the person chose the easy read version of the questions."), value, ""]
        for value in words.yes_no
    ]
    book += [
        [fixed["language"], _("The language the person answered in."), name, ""] for name in words.languages.values()
    ]
    book += [
        [
            fixed["questionnaire_version"],
            _("The version of the questionnaire the person answered. A team's adapted copy has a version of its own."),
            questionnaire.version,
            _(questionnaire.title),
        ],
        [
            fixed["rules"],
            _("The scoring rules the overall score and rung were worked out under."),
            str(questionnaire.rules),
            "",
        ],
        [fixed["overall_score"], _("The overall score, from 0 to 100: higher is nearer co-producing."), "", ""],
    ]
    book += [
        [
            fixed["overall_rung"],
            _("Where the answers place the work on the ladder. Empty when there were too few answers to place it."),
            _(r.label),
            _(r.description),
        ]
        for r in questionnaire.rungs
    ]
    scores = header[len(exports.FIXED) : len(exports.FIXED) + len(questionnaire.dimensions)]
    book += [
        [
            column,
            _("The score for this part, from 0 to 100. Empty when no question in it was answered."),
            "",
            _(d.summary),
        ]
        for column, d in zip(scores, questionnaire.dimensions)
    ]
    answers = header[len(exports.FIXED) + len(questionnaire.dimensions) : -1]
    questions = [q for d in questionnaire.dimensions for q in d.questions]
    for column, q in zip(answers, questions):
        asked = _(q.text)
        if q.resident_text:
            asked += " " + _("People outside the council were asked: %(question)s", question=_(q.resident_text))
        book.append([column, asked, "", _("Empty when the question was not answered.")])
        for o in q.options:
            meaning = _(
                "Answer %(letter)s: on the rung “%(rung)s”, %(points)d points out of 100.",
                letter=o.id,
                rung=_(questionnaire.rung(o.rung).label),
                points=o.value * 25,
            )
            book.append([column, asked, _(o.text), meaning])
    book.append([header[-1], _("What the person wrote in the comment box, if anything."), "", ""])
    return book


@bp.get("/assessments/<int:assessment_id>/codebook.csv")
@require_team_role("member")
def export_codebook(assessment_id: int):
    """What the columns and values of the responses CSV mean: the file a council analyst reads beside it."""
    assessment = _assessment(assessment_id)
    questionnaire = questionnaire_of(assessment.version)
    header = [_("Column"), _("What it holds"), _("Value"), _("What the value means")]
    return HTTPResponse(
        csv_text(header, codebook_rows(assessment, questionnaire), bom=True),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="readiness-{assessment.id}-codebook.csv"'},
    )


def responses_json(assessment):
    """Every response of the assessment as JSON chunks, after what it is and a warning (small groups included)."""
    questionnaire = questionnaire_of(assessment.version)
    meta = {
        "assessment": {
            "id": assessment.id,
            "title": assessment.title,
            "initiative": assessment.initiative,
            "questionnaire_version": questionnaire.version,
            "rules": questionnaire.rules,
            "groups": assessment.groups,
            "note": _(
                "Every response, including groups with fewer than %(min)d responses that the dashboard hides. "
                "Keep it safe and do not publish it.",
                min=min_group_size(current_team()),
            ),
        }
    }
    return exports.json_chunks(meta, exports.rows(assessment.id, questionnaire))


EXPORT_MIME = {"csv": "text/csv", "json": "application/json"}
EXPORT_BODY = {"csv": responses_csv, "json": responses_json}


def _export(assessment_id: int, file_format: str):
    """Every response: streamed at once, or prepared in the background when there are many (a button, then a link
    by email). Each export is recorded in the audit log: it holds the small groups the dashboard hides."""
    assessment = _assessment(assessment_id)
    label = {
        "csv": _("Every response (CSV): %(title)s", title=local_text(assessment, "title")),
        "json": _("Every response (JSON): %(title)s", title=local_text(assessment, "title")),
    }[file_format]
    background = export_in_background(rows=exports.response_count(assessment.id))
    if background and not (request.method == "POST" and FlaskForm().validate_on_submit()):
        return prepare_page(
            label,
            _("This assessment has many responses, so the site prepares the file in the background."),
            url_for(f".export_{file_format}", assessment_id=assessment.id),
            url_for(".dashboard", assessment_id=assessment.id),
            _("It holds every response, including the small groups the dashboard hides: keep it safe."),
        )
    record(
        "consultation_vs_coproduction.exported",
        actor=current_user,
        team=current_team(),
        target=f"assessment:{assessment.id}",
        format=file_format,
        kind="full",
    )
    db.session.commit()
    if background:
        job = start_job(
            "consultation_vs_coproduction.responses_export",
            label,
            {"id": assessment.id, "format": file_format},
            role="owner",
        )
        return redirect(job_url(job))
    return HTTPResponse(
        stream_with_context(EXPORT_BODY[file_format](assessment)),
        mimetype=EXPORT_MIME[file_format],
        headers={"Content-Disposition": f'attachment; filename="{export_name(assessment, file_format)}"'},
    )


@bp.route("/assessments/<int:assessment_id>/responses.csv", methods=["GET", "POST"])
@require_team_role("owner")  # every response, small groups included
def export_csv(assessment_id: int):
    return _export(assessment_id, "csv")


@bp.route("/assessments/<int:assessment_id>/responses.json", methods=["GET", "POST"])
@require_team_role("owner")  # every response, small groups included
def export_json(assessment_id: int):
    return _export(assessment_id, "json")


@bp.get("/assessments/<int:assessment_id>/poster")
@require_team_role("member")
def poster(assessment_id: int):
    """The poster, in the page's language; on a bilingual site in Welsh, then English."""
    assessment = _assessment(assessment_id)
    link = url_for(".start", code=assessment.code, _external=True)
    # Each part is our own template's HTML, escaped as it was drawn.
    parts = in_print_languages(
        lambda: Markup(render_template(T + "poster_text.html", assessment=assessment, link=link))  # nosec B704
    )
    return render_template(T + "poster.html", assessment=assessment, parts=parts, link=link)


@bp.get("/assessments/<int:assessment_id>/qr.svg")
@require_team_role("member")
def qr_code(assessment_id: int):
    assessment = _assessment(assessment_id)
    buffer = io.BytesIO()
    segno.make(url_for(".start", code=assessment.code, _external=True), error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        title=_("QR code for %(title)s", title=local_text(assessment, "title")),
        svgclass=None,
        lineclass=None,
    )
    return HTTPResponse(buffer.getvalue(), mimetype="image/svg+xml")


@bp.route("/assessments/<int:assessment_id>/paper-entry", methods=["GET", "POST"])
@require_team_role("member")
def paper_entry(assessment_id: int):
    team = current_team()
    assessment = _assessment(assessment_id)
    questionnaire = questionnaire_of(assessment.version)
    texts = wording_of(assessment).texts
    questions = [(q.id, *texts(q, False)) for d in questionnaire.dimensions for q in d.questions]
    form = paper_form(group_choices(assessment), questions)
    if form.validate_on_submit():
        answers = {qid: form[qid].data for qid, _label, _options in questions if form[qid].data}
        response, _result = record_response(
            assessment,
            questionnaire,
            answers,
            group=form.group.data,
            source="paper",
            easy_read=form.easy_read.data == "easy",
            locale="",
            comment=form.comment.data or "",
        )
        record(
            "consultation_vs_coproduction.paper_entered",
            actor=current_user,
            team=team,
            target=f"response:{response.id}",
        )
        db.session.commit()
        flash(_("Paper response saved. You can type in the next one."), "success")
        return redirect(url_for(".paper_entry", assessment_id=assessment.id))
    return render_template(T + "paper_entry.html", assessment=assessment, questionnaire=questionnaire, form=form)


@bp.get("/a/<code>/paper")
def paper(code: str):
    """The printable paper version, in the page's language; ?easy=1 for easy read. On a bilingual site
    every passage is in Welsh, then English (one set of boxes to tick)."""
    from coproduce_plugins.consultation_vs_coproduction.views import assessment_by_code, assessment_wording

    assessment = assessment_by_code(code)
    easy = request.args.get("easy") == "1"
    questionnaire, wording = assessment_wording(assessment)
    link = url_for(".start", code=assessment.code, _external=True)
    parts = in_print_languages(lambda: paper_texts(assessment, questionnaire, wording, easy, link))
    return render_template(
        T + "paper.html",
        assessment=assessment,
        easy=easy,
        paper=passages(parts),
        bilingual=len(parts) > 1,
        link=link,
    )


def paper_texts(assessment, questionnaire, wording, easy: bool, link: str) -> dict:
    """Every passage of the paper form in the current language (team-written text marked by wording.inline)."""
    closes = format_day(assessment.closes_on, "long")
    return {
        "title": inline(local_text(assessment, "title")),
        "initiative": inline(local_text(assessment, "initiative")),
        "intro": _(questionnaire.easy_read_intro if easy else questionnaire.intro),
        "how": _(
            "Tick one box for each question. Do not write your name. Hand the form back to the person who gave it "
            "to you by %(date)s. You can also answer online at %(link)s",
            date=closes,
            link=link,
        ),
        "version": _("Easy read version") if easy else _("Standard version"),
        "group_question": _("Which of these describes you best?"),
        "groups": [inline(label) for _gid, label in group_choices(assessment)],
        "dimensions": [
            {
                "title": _(dimension.title),
                "questions": [
                    {"label": inline(label), "options": [inline(text) for _oid, text in options]}
                    for label, options in (wording.texts(q, easy) for q in dimension.questions)
                ],
            }
            for dimension in questionnaire.dimensions
        ],
        "comment": _("Anything else you want to tell the team? (optional)"),
        "comment_hint": _("Please do not write your name or anything that could identify you or someone else."),
        "thanks": _("Thank you."),
    }


def passages(parts: list[tuple[str, object]]):
    """[(language, texts)] of the same shape -> that shape, each text a [(language, text)] passage."""
    first = parts[0][1]
    if isinstance(first, dict):
        return {key: passages([(lang, texts[key]) for lang, texts in parts]) for key in first}
    if isinstance(first, list):
        return [passages([(lang, texts[i]) for lang, texts in parts]) for i in range(len(first))]
    if len(parts) > 1 and len({escape(text).striptags() for _lang, text in parts}) == 1:
        return [parts[-1]]  # team text not yet in Welsh: once, marked as the English it is
    return [(lang, text) for lang, text in parts]
