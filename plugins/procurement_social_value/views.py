"""Public pages: the transparency page, a contract's page, community checks, needs, help, exports,
and the supplier's private reporting link. The team's own pages are in views_team.py."""

from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from coproduce.plugins import (
    CONTENT_LANGUAGES,
    UploadError,
    check_upload,
    claim_once,
    csv_text,
    current_team,
    db,
    format_day,
    is_member,
    limiter,
    local_text,
    record,
    settle_once,
    store_upload,
    utcnow,
)
from coproduce_plugins.procurement_social_value import _, _l, meta
from coproduce_plugins.procurement_social_value.checks import period_problems, quantity_problem
from coproduce_plugins.procurement_social_value.exports import codebook_rows, csv_lines, csv_rows, ocds_package
from coproduce_plugins.procurement_social_value.forms import ANSWERS, FILE_KINDS, CheckForm, NeedForm, ReportForm
from coproduce_plugins.procurement_social_value.models import (
    Commitment,
    CommunityCheck,
    Contract,
    DeliveryReport,
    Need,
    from_milli,
)
from coproduce_plugins.procurement_social_value.money import format_pence, format_quantity
from coproduce_plugins.procurement_social_value.status import STATUS_LABELS, STATUS_NOTES, STATUS_RULES, Status
from coproduce_plugins.procurement_social_value.store import add_report, assessment, check_link

bp = Blueprint("procurement_social_value", __name__)
PUBLIC_LIMIT = "10 per minute"
TAG_CLASSES = {
    Status.ON_TRACK: "govuk-tag--blue",
    Status.AT_RISK: "govuk-tag--yellow",
    Status.OVERDUE: "govuk-tag--red",
    Status.DELIVERED: "govuk-tag--light-blue",
    Status.VERIFIED: "govuk-tag--green",
    Status.DISPUTED: "govuk-tag--orange",
}


def today() -> date:
    return utcnow().date()


def locale() -> str:
    return str(get_locale() or "en_GB")


def babel_locale() -> str:
    return "en_GB" if locale() == "en" else locale()


@bp.context_processor
def _helpers():
    return helpers()


def helpers():
    def money(pence):
        return format_pence(int(pence or 0), babel_locale())

    return {
        "money": money,
        "qty": format_quantity,
        "milli": lambda m: format_quantity(from_milli(int(m))),
        "status_label": lambda s: _(STATUS_LABELS[Status(s)]),
        "status_tag": lambda s: TAG_CLASSES[Status(s)],
        "answer_label": lambda a: ANSWERS.get(a, a),
        "verification_label": lambda v: {
            "pending": _("Waiting for a check"),
            "verified": _("Verified"),
            "disputed": _("Disputed"),
        }[v],
        "meta": meta,
        "day": format_day,
    }


def published_contract(contract_id: int) -> Contract:
    contract = db.session.get(Contract, contract_id)
    if (
        contract is None
        or contract.team_id != current_team().id
        or not ((contract.published and contract.archived_at is None) or is_member(current_team()))
    ):
        abort(404)
    return contract


@bp.get("/")
def index():
    team = current_team()
    contracts = (
        db.session.execute(
            db.select(Contract)
            .where(Contract.team_id == team.id, Contract.published.is_(True), Contract.archived_at.is_(None))
            .order_by(Contract.reference)
        )
        .scalars()
        .all()
    )
    day = today()
    rows = [(k, [(c, assessment(c, day)) for c in k.commitments]) for k in contracts]
    needs = (
        db.session.execute(
            db.select(Need).where(Need.team_id == team.id, Need.state == "accepted").order_by(Need.title)
        )
        .scalars()
        .all()
    )
    answered_ids = set(
        db.session.execute(
            db.select(Commitment.need_id)
            .join(Contract, Contract.id == Commitment.contract_id)
            .where(
                Commitment.team_id == team.id,
                Contract.published.is_(True),
                Contract.archived_at.is_(None),
                Commitment.need_id.is_not(None),
            )
        ).scalars()
    )
    shown = (
        contracts
        + [c for k in contracts for c in k.commitments]
        + [c.measure for k in contracts for c in k.commitments]
    )
    return render_template(
        "procurement_social_value/public.html",
        rows=rows,
        texts=shown + needs,
        answered=[n for n in needs if n.id in answered_ids],
        unanswered=[n for n in needs if n.id not in answered_ids],
        member=is_member(team),
    )


@bp.get("/contracts/<int:contract_id>")
def contract(contract_id: int):
    k = published_contract(contract_id)
    day = today()
    checks = {}
    for check in db.session.execute(
        db.select(CommunityCheck)
        .join(Commitment)
        .where(Commitment.contract_id == k.id, CommunityCheck.state == "shown")
        .order_by(CommunityCheck.id)
    ).scalars():
        checks.setdefault(check.commitment_id, []).append(check)
    return render_template(
        "procurement_social_value/public_contract.html",
        contract=k,
        rows=[(c, assessment(c, day)) for c in k.commitments],
        checks=checks,
    )


@bp.route("/commitments/<int:commitment_id>/check", methods=["GET", "POST"])
@limiter.limit(PUBLIC_LIMIT, methods=["POST"])
def check(commitment_id: int):
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None:
        abort(404)
    k = published_contract(commitment.contract_id)
    form = CheckForm()
    if form.validate_on_submit():
        thanks = url_for(".contract", contract_id=k.id)
        repeat = claim_once(form)
        flash(_("Thank you. The team will read what you said before it is shown here."), "success")
        if repeat:
            return repeat.response(thanks)
        db.session.add(
            CommunityCheck(
                team_id=k.team_id,
                commitment_id=commitment.id,
                happened=form.happened.data,
                met_need=form.met_need.data,
                comment=form.comment.data or "",
            )
        )
        settle_once(form, thanks)
        db.session.commit()
        return redirect(thanks)
    return render_template("procurement_social_value/check.html", form=form, commitment=commitment, contract=k)


@bp.route("/needs/new", methods=["GET", "POST"])
@limiter.limit(PUBLIC_LIMIT, methods=["POST"])
def need_new():
    team = current_team()
    form = NeedForm()
    if form.validate_on_submit():
        repeat = claim_once(form)
        flash(_("Thank you. The team will look at the need and add it to the register."), "success")
        if repeat:
            return repeat.response(url_for(".index"))
        db.session.add(
            Need(
                team_id=team.id,
                title=form.title.data,
                description=form.description.data or "",
                area=form.area.data or "",
                group_name=form.group_name.data or "",
                state="new",
                # The resident writes in the page's language: the need is marked as written in it.
                content_language=locale() if locale() in CONTENT_LANGUAGES else None,
            )
        )
        settle_once(form, url_for(".index"))
        db.session.commit()
        return redirect(url_for(".index"))
    return render_template("procurement_social_value/need_new.html", form=form)


@bp.get("/help")
def help_page():
    return render_template("procurement_social_value/help.html", rules=STATUS_RULES, notes=STATUS_NOTES)


@bp.get("/export/contracts.csv")
def export_csv():
    team = current_team()
    lines = csv_lines(csv_rows(team.id, today()))
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="social-value-{team.slug}.csv"'},
    )


@bp.get("/export/codebook.csv")
def export_codebook():
    """What each column of the contracts CSV holds and what each status code means, in the reader's language."""
    team = current_team()
    header = [_("Column"), _("What it holds"), _("Value"), _("What the value means")]
    return Response(
        csv_text(header, codebook_rows(_, str(get_locale() or "en")), bom=True),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="social-value-{team.slug}-codebook.csv"'},
    )


@bp.get("/export/ocds.json")
def export_ocds():
    team = current_team()
    package = ocds_package(team, utcnow(), url_for(".export_ocds", _external=True))
    if package is None:
        abort(404)
    return Response(
        json.dumps(package, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="social-value-{team.slug}-ocds.json"'},
    )


LINK_PROBLEMS = {
    "unknown": (404, _l("This link does not work. Check you copied all of it, or ask the council for a new one.")),
    "wrong_contract": (403, _l("This link is for a different contract. Use the link the council sent for this one.")),
    "revoked": (410, _l("The council has switched this link off. Ask your contract manager for a new one.")),
    "expired": (410, _l("This link has expired. Ask your contract manager for a new one.")),
}


@bp.route("/supplier/<int:contract_id>/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def supplier(contract_id: int, token: str):
    team = current_team()
    result = check_link(team.id, contract_id, token)
    if result.problem:
        status, message = LINK_PROBLEMS[result.problem]
        return render_template("procurement_social_value/link_refused.html", message=message), status
    k = db.session.get(Contract, contract_id)
    commitments = list(k.commitments)
    form = ReportForm(commitments)
    if form.validate_on_submit():
        if repeat := claim_once(form):  # the page's own address holds the link's secret: not kept as the outcome
            flash(_("Thank you. Your report is saved and waits for the council to check it."), "success")
            return repeat.response(request.path)
        commitment = next(c for c in commitments if str(c.id) == form.commitment.data)
        stored = save_evidence(form) if report_is_sound(form, commitment) else False
        if stored is not False:
            report = add_report(
                commitment,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                quantity=form.quantity.quantity,
                note=form.note.data,
                link=form.link.data,
                stored=stored,
                source="supplier",
            )
            result.link.last_used_at = utcnow()
            db.session.flush()
            record(
                "procurement_social_value.report_added",
                team=team,
                target=f"report:{report.id}",
                source="supplier",
                link=result.link.id,
                commitment=commitment.ref,
            )
            db.session.commit()
            flash(_("Thank you. Your report is saved and waits for the council to check it."), "success")
            return redirect(request.path)
    day = today()
    rows = [(c, assessment(c, day)) for c in commitments]
    return render_template(
        "procurement_social_value/supplier.html",
        form=form,
        contract=k,
        rows=rows,
        due_next=supplier_due_next(rows),
        reports=supplier_reports(k),
        today=day,
    )


def supplier_due_next(rows):
    """The commitments still to deliver or be verified, soonest due first."""
    done = (Status.VERIFIED, Status.DELIVERED)
    return sorted(((c, a) for c, a in rows if a.status not in done), key=lambda row: (row[0].due_date, row[0].ref))


def supplier_reports(contract):
    """Every report on the contract, newest first, each with the council's decisions and reasons."""
    return (
        db.session.execute(
            db.select(DeliveryReport)
            .join(Commitment, DeliveryReport.commitment_id == Commitment.id)
            .where(Commitment.contract_id == contract.id)
            .order_by(DeliveryReport.created_at.desc(), DeliveryReport.id.desc())
        )
        .scalars()
        .all()
    )


def report_is_sound(form, commitment: Commitment) -> bool:
    """Put a message beside each field whose value checks.py refuses; True when there is none."""
    contract = commitment.contract
    problems = period_problems(
        form.period_start.data, form.period_end.data, contract.start_date, contract.end_date, today()
    )
    proxy = commitment.measure.proxy_pence
    if form.quantity.data and (
        too_large := quantity_problem(form.quantity.quantity, proxy, local_text(commitment.measure, "unit"))
    ):
        problems["quantity"] = too_large
    for name, problem in problems.items():
        params = {k: helpers()["day"](v) if isinstance(v, date) else v for k, v in problem.params.items()}
        if "most" in params:
            params["most"] = format_quantity(params["most"])
        getattr(form, name).errors.append(_(problem.message, **params))
    return not problems


def save_evidence(form):
    """Store the evidence upload if one was sent: None without a file, False after an error on the field."""
    upload = form.evidence.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return store_upload(check_upload(upload, allowed=FILE_KINDS))
    except UploadError as error:
        form.evidence.errors = list(form.evidence.errors) + [str(error)]
        return False


from coproduce_plugins.procurement_social_value import views_team  # noqa: E402,F401  (registers the team's routes)
