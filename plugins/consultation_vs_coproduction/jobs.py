"""Readiness work the worker does for the person who asked: exports of every response when there are many."""

from __future__ import annotations

from coproduce.plugins import JobInput, JobResult, add_job_kind, gettext as _


def configure(app) -> None:
    add_job_kind(app, "consultation_vs_coproduction.responses_export", build_export)


def build_export(job: JobInput) -> JobResult:
    """The worker's side of a large export."""
    from coproduce_plugins.consultation_vs_coproduction.views_team import (
        EXPORT_BODY,
        EXPORT_MIME,
        _assessment,
        export_name,
    )

    assessment = _assessment(int(job.params["id"]))
    file_format = job.params["format"]
    return JobResult(
        _("The file of every response is ready."),
        file="".join(EXPORT_BODY[file_format](assessment)).encode(),
        file_name=export_name(assessment, file_format),
        mime=EXPORT_MIME[file_format],
    )
