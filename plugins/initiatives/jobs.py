"""Initiatives work the worker does for the person who asked: large Open Referral UK feed imports."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for

from coproduce.plugins import JobInput, JobResult, add_job_kind, db, ngettext, record, utcnow
from coproduce_plugins.initiatives import _, openreferral
from coproduce_plugins.initiatives.directory import area_for
from coproduce_plugins.initiatives.models import Initiative


def configure(app) -> None:
    add_job_kind(app, "initiatives.feed_import", run_feed_import)


@dataclass
class FeedOutcome:
    """problem: why nothing was imported (rows: each service's report), or message: what was."""

    rows: list | None = None
    problem: str = ""
    message: str = ""


def import_feed_data(team, data: bytes, actor) -> FeedOutcome:
    """A feed, all or nothing: every service readable, or nothing stored. The caller commits."""
    try:
        rows = openreferral.parse_feed(data)
    except openreferral.FeedError:
        return FeedOutcome(problem=_("The file is not an Open Referral UK feed of services"))
    bad = sum(1 for r in rows if r.problems)
    if bad:
        return FeedOutcome(
            rows,
            ngettext(
                "%(bad)d of %(num)d service cannot be read, so nothing was imported",
                "%(bad)d of %(num)d services cannot be read, so nothing was imported",
                len(rows),
                bad=bad,
            ),
        )
    added, updated = store_rows(team, rows)
    record("initiatives.imported", actor=actor, team=team, target=f"{added} added, {updated} updated")
    return FeedOutcome(rows, message=_("Imported: %(added)d added, %(updated)d updated.", added=added, updated=updated))


def run_feed_import(job: JobInput) -> JobResult:
    outcome = import_feed_data(job.team, job.data(), job.user)
    if outcome.problem:
        return JobResult(
            outcome.problem,
            ok=False,
            detail=render_template("initiatives/_row_report.html", rows=outcome.rows) if outcome.rows else "",
            link=url_for("initiatives.import_feed"),
            link_text=_("Upload a corrected feed"),
        )
    return JobResult(outcome.message, link=url_for("initiatives.manage"), link_text=_("See the initiatives"))


def store_rows(team, rows) -> tuple[int, int]:
    """Every row, in one transaction: a service already imported (by its id) is updated."""
    area = area_for(team)
    existing = {
        i.source_id: i
        for i in db.session.execute(
            db.select(Initiative).where(Initiative.team_id == team.id, Initiative.source_id != "")
        ).scalars()
    }
    added = updated = 0
    for row in rows:
        values = row.values
        initiative = existing.get(values["source_id"])
        if initiative is None:
            initiative = Initiative(team_id=team.id, runner="community", source_id=values["source_id"])
            db.session.add(initiative)
            added += 1
        else:
            updated += 1
        initiative.name, initiative.summary = values["name"], values["summary"]
        initiative.website, initiative.runner_name = values["website"], values["runner_name"]
        initiative.lat, initiative.lon = values["lat"], values["lon"]
        inside = area.ward_at(values["lon"], values["lat"]) if values["lat"] is not None else None
        initiative.ward = inside.code if inside else ""
        initiative.status = "published" if values["published"] else "rejected"
        initiative.updated_at = utcnow()
        initiative.refresh_search()
    return added, updated
