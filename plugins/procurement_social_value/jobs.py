"""Social value work the worker does for the person who asked: large contract imports, large exports."""

from __future__ import annotations

from flask import render_template, url_for

from coproduce.plugins import JobInput, JobResult, add_job_kind, ngettext, record
from coproduce_plugins.procurement_social_value import _, _l
from coproduce_plugins.procurement_social_value.exports import csv_lines, csv_rows
from coproduce_plugins.procurement_social_value.importer import import_commitments_csv
from coproduce_plugins.procurement_social_value.store import contract_references, save_import, team_framework

NOTHING_IMPORTED = _l(
    "Nothing was imported. Correct the rows listed under “Problems found, row by row” and upload the file again."
)


def configure(app) -> None:
    add_job_kind(app, "procurement_social_value.contracts_import", run_contracts_import)
    add_job_kind(app, "procurement_social_value.contracts_export", run_contracts_export)


def import_contracts_file(team, data: bytes, actor):
    """Check the whole file, and store it only when every row is sound: (the report, contracts stored or None).
    The caller commits (a job's changes are committed by core with the job's outcome, in one transaction)."""
    report = import_commitments_csv(data, team_framework(team.id), existing_contract_ids=contract_references(team.id))
    if not report.ok:
        return report, None
    count = save_import(team.id, report)
    record(
        "procurement_social_value.imported",
        actor=actor,
        team=team,
        target="contracts",
        contracts=count,
        rows=report.rows_read,
    )
    return report, count


def imported_message(report, count: int) -> list[str]:
    """What to tell the person once a file is stored."""
    told = [
        _(
            "Imported %(contracts)s from %(rows)s.",
            contracts=ngettext("%(num)d contract", "%(num)d contracts", count),
            rows=ngettext("%(num)d row", "%(num)d rows", report.rows_read),
        )
    ]
    if any(c.local_need for contract in report.contracts for c in contract.commitments):
        told.append(_("Local needs named in the file wait on the needs page until the team accepts them."))
    return told


def run_contracts_import(job: JobInput) -> JobResult:
    report, count = import_contracts_file(job.team, job.data(), job.user)
    if count is None:
        return JobResult(
            str(NOTHING_IMPORTED),
            ok=False,
            detail=render_template("procurement_social_value/_import_report.html", report=report),
            link=url_for("procurement_social_value.import_contracts"),
            link_text=_("Upload a corrected file"),
        )
    return JobResult(
        " ".join(imported_message(report, count)),
        link=url_for("procurement_social_value.contracts"),
        link_text=_("See the contracts"),
    )


def contracts_csv(team, today) -> bytes:
    """Every contract and commitment of the team, published or not, as the CSV file's bytes."""
    return "".join(csv_lines(csv_rows(team.id, today, only_published=False))).encode()


def run_contracts_export(job: JobInput) -> JobResult:
    from coproduce_plugins.procurement_social_value.views import today

    return JobResult(
        _("The export of every contract and commitment is ready."),
        file=contracts_csv(job.team, today()),
        file_name=f"social-value-{job.team.slug}-all.csv",
        mime="text/csv",
    )
