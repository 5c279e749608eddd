"""Full-text search over project packs, through core's FullTextIndex: what the public page shows in words
(models.PUBLIC_FIELDS, kept in public_text), never people's names, contacts or the log. The index is made by
migrations/0003_project_pack_search.py. Every project is public; only the team's own are searched."""

from __future__ import annotations

from flask import url_for

from coproduce.plugins import FullTextIndex, SearchHit, db, index_drives, search_terms
from coproduce_plugins.project_pack import _
from coproduce_plugins.project_pack.models import Project

INDEX = FullTextIndex(table="project_pack_project", fts="project_pack_fts", column="public_text")


def found(team, text: str, limit: int) -> list[Project]:
    """The team's projects whose public words hold every word of the text, latest first."""
    team_id = db.func.coalesce(Project.team_id, 0) if index_drives() else Project.team_id
    query = (
        db.select(Project)
        .where(team_id == team.id, INDEX.matches(Project.id, text))
        .order_by(Project.updated_at.desc(), Project.id.desc())
        .limit(max(0, min(limit, 100)))
    )
    return list(db.session.execute(query).scalars())


def search_hits(team, query: str, limit: int) -> list[SearchHit]:
    if not search_terms(query):  # nothing to look for: no hits, rather than every project
        return []
    return [
        SearchHit(
            title=p.title,
            url=url_for("project_pack.public_project", team=team.slug, project_id=p.id),
            summary=p.summary,
            kind=_("Project packs"),
            order=20,
        )
        for p in found(team, query, limit)
    ]
