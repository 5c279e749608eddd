"""The team's pages: dashboard, contracts and commitments, delivery reports and their checks, links."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from coproduce.plugins import (
    claim_once,
    current_team,
    db,
    delete_upload,
    export_in_background,
    job_url,
    local_text,
    prepare_page,
    record,
    require_team_role,
    send_upload,
    start_job,
    team_object_or_404,
    text_direction,
    utcnow,
)
from coproduce_plugins.procurement_social_value import _
from coproduce_plugins.procurement_social_value.charts import bar_chart
from coproduce_plugins.procurement_social_value.checks import quantity_problem
from coproduce_plugins.procurement_social_value.dashboard import build_dashboard
from coproduce_plugins.procurement_social_value.exports import csv_lines, csv_rows, export_row_count
from coproduce_plugins.procurement_social_value.forms import (
    CommitmentForm,
    ConfirmForm,
    ContractForm,
    DecisionForm,
    LinkForm,
    ReportForm,
)
from coproduce_plugins.procurement_social_value.models import (
    Commitment,
    Contract,
    Decision,
    DeliveryReport,
    Need,
    SupplierLink,
    to_milli,
)
from coproduce_plugins.procurement_social_value.money import format_pence, format_pence_plain, format_quantity
from coproduce_plugins.procurement_social_value.projects import (
    offer_projects,
    project_choices,
    save_project,
    show_project,
)
from coproduce_plugins.procurement_social_value.status import STATUS_LABELS, Status
from coproduce_plugins.procurement_social_value.store import (
    EARLIEST,
    add_report,
    assessment,
    create_link,
    deletion_of,
    ensure_framework,
    get_or_add_supplier,
    next_ref,
    proxies_used,
    refresh_sums,
    team_measures,
)
from coproduce_plugins.procurement_social_value.views import bp, locale, report_is_sound, save_evidence, today

PAGE_SIZE = 50


def accepted_needs(team_id: int):
    return (
        db.session.execute(
            db.select(Need).where(Need.team_id == team_id, Need.state == "accepted").order_by(Need.title)
        )
        .scalars()
        .all()
    )


@bp.get("/manage/")
@require_team_role("member")
def dashboard():
    team = current_team()
    ensure_framework(team)
    board = build_dashboard(team.id, today())
    fmt = lambda p: format_pence(p, "en_GB" if locale() == "en" else locale())  # noqa: E731
    series = [_("Committed"), _("Delivered"), _("Verified")]
    themes = board.ranked(board.by_theme)
    chart = bar_chart(
        _("Social value by theme"),
        _(
            "Committed, delivered and verified social value in pounds for each theme; "
            "the table below gives the same figures."
        ),
        [(name, [t.committed, t.delivered, t.verified]) for name, t in themes],
        series,
        fmt,
        rtl=text_direction() == "rtl",
    )
    order = list(Status)
    status_chart = bar_chart(
        _("Commitments by status"),
        _("How many commitments have each status; the table below gives the same figures."),
        [(_(STATUS_LABELS[s]), [board.statuses[s]]) for s in order],
        [_("Commitments")],
        rtl=text_direction() == "rtl",
    )
    return render_template(
        "procurement_social_value/dashboard.html",
        board=board,
        chart=chart,
        status_chart=status_chart,
        order=order,
        themes=themes,
        top_contracts=board.ranked(board.by_contract),
        proxies=proxies_used(team.id),
        earliest=EARLIEST,
    )


@bp.get("/manage/contracts")
@require_team_role("member")
def contracts():
    team = current_team()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = db.select(Contract).where(Contract.team_id == team.id).order_by(Contract.reference)
    total = db.session.execute(db.select(db.func.count(Contract.id)).where(Contract.team_id == team.id)).scalar_one()
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return render_template(
        "procurement_social_value/contracts.html",
        contracts=rows,
        page=page,
        total=total,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
    )


def fill_contract(contract: Contract, form: ContractForm, team_id: int) -> None:
    supplier = get_or_add_supplier(team_id, form.supplier_name.data, form.company_number.data or None)
    contract.reference, contract.title, contract.supplier_id = form.reference.data, form.title.data, supplier.id
    contract.value_pence = form.value.pence
    contract.start_date, contract.end_date = form.start_date.data, form.end_date.data
    contract.category, contract.area = form.category.data or "", form.area.data or ""
    contract.manager_name, contract.manager_email = form.manager_name.data or "", form.manager_email.data or ""
    contract.published = bool(form.published.data)
    form.save_translations(contract)


def reference_taken(team_id: int, reference: str, contract_id: int | None) -> bool:
    found = db.session.execute(
        db.select(Contract.id).where(Contract.team_id == team_id, Contract.reference == reference)
    ).scalar_one_or_none()
    return found is not None and found != contract_id


@bp.route("/manage/contracts/new", methods=["GET", "POST"])
@require_team_role("member")
def contract_new():
    team = current_team()
    form = ContractForm()
    if form.validate_on_submit():
        if reference_taken(team.id, form.reference.data, None):
            form.reference.errors.append(_("Another contract already has this reference"))
        else:
            k = Contract(team_id=team.id)
            fill_contract(k, form, team.id)
            db.session.add(k)
            db.session.flush()
            record("procurement_social_value.contract_added", actor=current_user, team=team, target=k.reference)
            db.session.commit()
            flash(_("Contract saved."), "success")
            return redirect(url_for(".contract_manage", contract_id=k.id))
    return render_template(
        "procurement_social_value/form.html", form=form, heading=_("Add a contract"), back=url_for(".contracts")
    )


@bp.route("/manage/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def contract_edit(contract_id: int):
    team = current_team()
    k = team_object_or_404(Contract, contract_id)
    form = ContractForm(obj=k)  # the record's languages: the form's own input is the title in its language
    if request.method == "GET":
        form.supplier_name.data, form.company_number.data = k.supplier.name, k.supplier.company_number
        form.value.data = format_pence_plain(k.value_pence)
    elif form.validate_on_submit():
        if reference_taken(team.id, form.reference.data, k.id):
            form.reference.errors.append(_("Another contract already has this reference"))
        else:
            fill_contract(k, form, team.id)
            db.session.flush()
            refresh_sums([c.id for c in k.commitments])  # a new start date can change the proxy in force
            record("procurement_social_value.contract_changed", actor=current_user, team=team, target=k.reference)
            db.session.commit()
            flash(_("Contract saved."), "success")
            return redirect(url_for(".contract_manage", contract_id=k.id))
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Change the contract"),
        back=url_for(".contract_manage", contract_id=k.id),
    )


def confirm_delete(doomed, commitments: list[Commitment], audit: tuple[str, str, dict], done: tuple[str, str], page):
    """Ask first (GET), then delete (POST): a contract or commitment with checked reports is refused.

    audit is (event, target, details) with the counts named in details filled from the deletion; done is the
    message and where to go once deleted; page is what delete.html shows besides the deletion and forms."""
    deletion = deletion_of(commitments)
    form = ConfirmForm()
    if request.method == "POST" and deletion.allowed and form.validate_on_submit():
        evidence = [r.evidence_key for c in commitments for r in c.reports if r.evidence_key]
        event, target, details = audit
        counts = {name: getattr(deletion, name) for name in ("commitments", "reports", "evidence") if name in details}
        record(event, actor=current_user, team=current_team(), target=target, **{**details, **counts})
        db.session.delete(doomed)
        db.session.commit()
        forget_evidence(evidence)
        flash(done[0], "success")
        return redirect(done[1])
    return render_template(
        "procurement_social_value/delete.html", deletion=deletion, form=form, archive=ConfirmForm(), **page
    )


@bp.route("/manage/contracts/<int:contract_id>/delete", methods=["GET", "POST"])
@require_team_role("member")
def contract_delete(contract_id: int):
    k = team_object_or_404(Contract, contract_id)
    return confirm_delete(
        k,
        list(k.commitments),
        (
            "procurement_social_value.contract_deleted",
            k.reference,
            dict.fromkeys(("commitments", "reports", "evidence"), 0) | {"title": k.title},
        ),
        (_("Contract deleted."), url_for(".contracts")),
        {
            "heading": _("Delete contract %(ref)s?", ref=k.reference),
            "what": local_text(k, "title"),
            "action": url_for(".contract_delete", contract_id=k.id),
            "back": url_for(".contract_manage", contract_id=k.id),
            "contract": k,
        },
    )


@bp.post("/manage/contracts/<int:contract_id>/archive")
@require_team_role("member")
def contract_archive(contract_id: int):
    """Archive a contract (it leaves public pages, exports and the dashboard) or bring it back."""
    team = current_team()
    k = team_object_or_404(Contract, contract_id)
    if ConfirmForm().validate_on_submit():
        if k.archived_at is None:
            k.archived_at = utcnow()
            record("procurement_social_value.contract_archived", actor=current_user, team=team, target=k.reference)
            flash(_("Contract archived. It no longer shows on the public pages or the dashboard."), "success")
        else:
            k.archived_at = None
            record("procurement_social_value.contract_restored", actor=current_user, team=team, target=k.reference)
            flash(_("Contract brought back from the archive."), "success")
        db.session.commit()
    return redirect(url_for(".contract_manage", contract_id=k.id))


def forget_evidence(keys) -> None:
    """Remove the uploaded files of deleted reports (after the commit; a missing file is fine)."""
    for key in keys:
        try:
            delete_upload(key)
        except (FileNotFoundError, OSError):
            pass


@bp.get("/manage/contracts/<int:contract_id>")
@require_team_role("member")
def contract_manage(contract_id: int):
    k = team_object_or_404(Contract, contract_id)
    day = today()
    links = (
        db.session.execute(
            db.select(SupplierLink).where(SupplierLink.contract_id == k.id).order_by(SupplierLink.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "procurement_social_value/contract_manage.html",
        contract=k,
        links=links,
        rows=[(c, assessment(c, day)) for c in k.commitments],
        now=utcnow(),
        confirm=ConfirmForm(),
        link_form=LinkForm(),
    )


def commitment_form(team_id: int, current: Commitment | None = None) -> CommitmentForm:
    """The form; its needs are the accepted ones, plus the need the commitment already answers."""
    needs = accepted_needs(team_id)
    if current is not None and current.need is not None and current.need not in needs:
        needs.append(current.need)
    form = CommitmentForm(team_measures(team_id), needs, obj=current)
    offer_projects(form, current_team())
    return form


def fill_commitment(c: Commitment, form: CommitmentForm, team_id: int) -> bool:
    measure_ids = {str(m.id): m.id for m in team_measures(team_id)}
    need_ids = {str(n.id): n.id for n in accepted_needs(team_id)}
    if form.measure.data not in measure_ids:
        form.measure.errors.append(_("Choose a measure"))
        return False
    measure = next(m for m in team_measures(team_id) if m.id == measure_ids[form.measure.data])
    if too_large := quantity_problem(form.target.quantity, measure.proxy_pence, local_text(measure, "unit")):
        form.target.errors.append(
            _(too_large.message, most=format_quantity(too_large.params["most"]), unit=local_text(measure, "unit"))
        )
        return False
    c.measure_id = measure.id
    # Keep a link to a need still waiting for curation (it is not among the choices, which are accepted needs).
    if c.need_id is not None:  # the need it already answers stays a choice, whatever its state
        need_ids.setdefault(str(c.need_id), c.need_id)
    c.need_id = need_ids.get(form.need.data or "")
    c.target_milli, c.due_date = to_milli(form.target.quantity), form.due_date.data
    c.description = form.description.data or ""
    form.save_translations(c)
    save_project(form, c)
    return True


@bp.route("/manage/contracts/<int:contract_id>/commitments/new", methods=["GET", "POST"])
@require_team_role("member")
def commitment_new(contract_id: int):
    team = current_team()
    ensure_framework(team)
    k = team_object_or_404(Contract, contract_id)
    form = commitment_form(team.id)
    if form.validate_on_submit():
        if form.due_date.data < k.start_date:
            form.due_date.errors.append(_("The due date must be on or after the contract's start date"))
        else:
            c = Commitment(team_id=team.id, contract_id=k.id, ref=next_ref(k))
            if fill_commitment(c, form, team.id):
                db.session.add(c)
                db.session.flush()
                refresh_sums([c.id])
                record("procurement_social_value.commitment_added", actor=current_user, team=team, target=c.ref)
                db.session.commit()
                flash(_("Commitment saved."), "success")
                return redirect(url_for(".contract_manage", contract_id=k.id))
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Add a commitment"),
        caption=k.reference,
        back=url_for(".contract_manage", contract_id=k.id),
    )


@bp.route("/manage/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@require_team_role("member")
def commitment_edit(commitment_id: int):
    team = current_team()
    c = team_object_or_404(Commitment, commitment_id)
    form = commitment_form(team.id, c)
    if request.method == "GET":
        form.measure.data, form.need.data = str(c.measure_id), str(c.need_id or "")
        form.target.data, form.due_date.data, form.description.data = str(c.target), c.due_date, c.description
        show_project(form, c.project_id)
    elif form.validate_on_submit():
        if form.due_date.data < c.contract.start_date:
            form.due_date.errors.append(_("The due date must be on or after the contract's start date"))
        elif fill_commitment(c, form, team.id):
            db.session.flush()
            refresh_sums([c.id])
            record("procurement_social_value.commitment_changed", actor=current_user, team=team, target=c.ref)
            db.session.commit()
            flash(_("Commitment saved."), "success")
            return redirect(url_for(".commitment_manage", commitment_id=c.id))
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Change the commitment"),
        caption=c.ref,
        back=url_for(".commitment_manage", commitment_id=c.id),
    )


@bp.route("/manage/commitments/<int:commitment_id>/delete", methods=["GET", "POST"])
@require_team_role("member")
def commitment_delete(commitment_id: int):
    c = team_object_or_404(Commitment, commitment_id)
    return confirm_delete(
        c,
        [c],
        (
            "procurement_social_value.commitment_deleted",
            c.ref,
            {"contract": c.contract.reference, "reports": 0, "evidence": 0},
        ),
        (_("Commitment deleted."), url_for(".contract_manage", contract_id=c.contract_id)),
        {
            "heading": _("Delete commitment %(ref)s?", ref=c.ref),
            "what": f"{c.measure.code} {local_text(c.measure, 'title')}",
            "action": url_for(".commitment_delete", commitment_id=c.id),
            "back": url_for(".commitment_manage", commitment_id=c.id),
            "contract": c.contract,
        },
    )


@bp.get("/manage/commitments/<int:commitment_id>")
@require_team_role("member")
def commitment_manage(commitment_id: int):
    c = team_object_or_404(Commitment, commitment_id)
    return render_template(
        "procurement_social_value/commitment_manage.html",
        commitment=c,
        assessment=assessment(c, today()),
        confirm=ConfirmForm(),
        project=dict(project_choices(current_team())).get(c.project_id) if c.project_id else None,
    )


@bp.route("/manage/commitments/<int:commitment_id>/report", methods=["GET", "POST"])
@require_team_role("member")
def report_new(commitment_id: int):
    team = current_team()
    c = team_object_or_404(Commitment, commitment_id)
    form = ReportForm([c])
    if request.method == "GET":
        form.commitment.data = str(c.id)
    if form.validate_on_submit():
        stored = save_evidence(form) if report_is_sound(form, c) else False
        if stored is not False:
            report = add_report(
                c,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                quantity=form.quantity.quantity,
                note=form.note.data,
                link=form.link.data,
                stored=stored,
                source="officer",
                reporter=current_user,
            )
            db.session.flush()
            record(
                "procurement_social_value.report_added",
                actor=current_user,
                team=team,
                target=f"report:{report.id}",
                source="officer",
                commitment=c.ref,
            )
            db.session.commit()
            flash(_("Delivery report saved."), "success")
            return redirect(url_for(".commitment_manage", commitment_id=c.id))
    return render_template(
        "procurement_social_value/form.html",
        form=form,
        heading=_("Report a delivery"),
        caption=c.ref,
        back=url_for(".commitment_manage", commitment_id=c.id),
        upload=True,
    )


@bp.route("/manage/reports/<int:report_id>/decide", methods=["GET", "POST"])
@require_team_role("member")
def report_decide(report_id: int):
    team = current_team()
    report = team_object_or_404(DeliveryReport, report_id)
    form = DecisionForm()
    if form.validate_on_submit():
        before = report.verification
        report.verification = form.verdict.data
        db.session.add(
            Decision(
                report_id=report.id, verdict=form.verdict.data, reason=form.reason.data, officer_id=current_user.id
            )
        )
        db.session.flush()
        refresh_sums([report.commitment_id])
        record(
            f"procurement_social_value.report_{form.verdict.data}",
            actor=current_user,
            team=team,
            target=f"report:{report.id}",
            before=before,
            after=form.verdict.data,
            reason=form.reason.data,
        )
        db.session.commit()
        flash(_("Decision saved."), "success")
        return redirect(url_for(".commitment_manage", commitment_id=report.commitment_id))
    return render_template("procurement_social_value/decide.html", form=form, report=report)


@bp.get("/manage/reports/<int:report_id>/evidence")
@require_team_role("member")
def report_evidence(report_id: int):
    report = team_object_or_404(DeliveryReport, report_id)
    if not report.evidence_key:
        abort(404)
    try:
        return send_upload(report.evidence_key, report.evidence_name or "evidence", report.evidence_mime)
    except FileNotFoundError:
        abort(404)


@bp.post("/manage/contracts/<int:contract_id>/links")
@require_team_role("member")
def link_new(contract_id: int):
    team = current_team()
    k = team_object_or_404(Contract, contract_id)
    form = LinkForm()
    if not form.validate_on_submit():
        flash(_("Enter a number of days from 1 to 365"))
        return redirect(url_for(".contract_manage", contract_id=k.id))
    if repeat := claim_once(form):  # the page was reloaded: the link is shown once only, so none is made
        flash(
            _("That link was already created and shown once. If it was not copied, switch it off and create a new one.")
        )
        return repeat.response(url_for(".contract_manage", contract_id=k.id))
    link, token = create_link(k, current_user, form.days.data)
    db.session.flush()
    record(
        "procurement_social_value.link_created",
        actor=current_user,
        team=team,
        target=k.reference,
        link=link.id,
        expires=link.expires_at.isoformat(),
    )
    db.session.commit()
    url = url_for(".supplier", contract_id=k.id, token=token, _external=True)
    return render_template("procurement_social_value/link_created.html", contract=k, link=link, url=url)


@bp.post("/manage/links/<int:link_id>/revoke")
@require_team_role("member")
def link_revoke(link_id: int):
    team = current_team()
    link = team_object_or_404(SupplierLink, link_id)
    if ConfirmForm().validate_on_submit() and link.revoked_at is None:
        link.revoked_at = utcnow()
        record("procurement_social_value.link_revoked", actor=current_user, team=team, target=f"link:{link.id}")
        db.session.commit()
        flash(_("The link no longer works."), "success")
    return redirect(url_for(".contract_manage", contract_id=link.contract_id))


@bp.route("/manage/export/contracts.csv", methods=["GET", "POST"])
@require_team_role("member")
def export_all_csv():
    """Every contract and commitment, published or not: at once, or prepared in the background when large."""
    team = current_team()
    if export_in_background(rows=export_row_count(team.id)):
        label = _("Every contract and commitment (CSV)")
        if request.method == "POST" and ConfirmForm().validate_on_submit():
            return redirect(job_url(start_job("procurement_social_value.contracts_export", label)))
        return prepare_page(
            label,
            _("This export is large, so the site prepares it in the background."),
            url_for(".export_all_csv"),
            url_for(".dashboard"),
        )
    return Response(
        csv_lines(csv_rows(team.id, today(), only_published=False)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="social-value-{team.slug}-all.csv"'},
    )


from coproduce_plugins.procurement_social_value import views_curate  # noqa: E402,F401  (moderation, needs, framework)
