"""Readiness work the worker does for the person who asked: exports of every response when there are many."""

from __future__ import annotations

from coproduce.plugins import JobInput, JobResult, add_job_kind, gettext as _, team_object_or_404
from coproduce_plugins.consultation_vs_coproduction.models import Assessment


def configure(app) -> None:
    add_job_kind(app, "consultation_vs_coproduction.responses_export", build_export)


def build_export(job: JobInput) -> JobResult:
    """The worker's side of a large export."""
    from coproduce_plugins.consultation_vs_coproduction.views_team import EXPORT_BODY, EXPORT_MIME, export_name

    assessment = team_object_or_404(Assessment, int(job.params["id"]))
    file_format = job.params["format"]
    return JobResult(
        _("The file of every response is ready."),
        file="".join(EXPORT_BODY[file_format](assessment)).encode(),
        file_name=export_name(assessment, file_format),
        mime=EXPORT_MIME[file_format],
    )
