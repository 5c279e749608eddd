"""Queries over the directory shared by the pages, the map, the hooks and the Open Referral API."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for

from coproduce.plugins import SearchHit, collect_for, db, local_text, search_terms
from coproduce_plugins.initiatives import _, geo
from coproduce_plugins.initiatives.models import RUNNERS, Initiative, InitiativeTheme, MapSettings, Theme
from coproduce_plugins.initiatives.search import index_drives, matches
from coproduce_plugins.initiatives.similar import ranked, words

PER_PAGE = 20


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def map_settings(team) -> MapSettings:
    return db.session.get(MapSettings, team.id) or MapSettings(
        team_id=team.id, boundary_file="", wards_file="", tile_url=""
    )


def area_for(team) -> geo.Area:
    """The team's area from its GeoJSON files in <instance>/initiatives/, or the demo's fictional one."""
    settings = map_settings(team)
    folder = Path(current_app.instance_path) / "initiatives"
    boundary, wards = geo.DEMO_BOUNDARY, geo.DEMO_WARDS
    if settings.boundary_file and settings.wards_file:
        boundary, wards = folder / settings.boundary_file, folder / settings.wards_file
    try:
        return geo.area_from_files(boundary, wards)
    except (OSError, geo.GeoError):
        current_app.logger.warning(
            "initiatives: cannot read the map files of team %s; showing the demo area", team.slug
        )
        return geo.area_from_files(geo.DEMO_BOUNDARY, geo.DEMO_WARDS)


def themes_of(team) -> list[Theme]:
    return list(db.session.execute(db.select(Theme).where(Theme.team_id == team.id).order_by(Theme.name)).scalars())


@dataclass
class Filters:
    text: str = ""
    theme: int | None = None
    ward: str = ""
    runner: str = ""

    @classmethod
    def from_args(cls, args) -> "Filters":
        def arg(name, length):
            return "".join(c for c in args.get(name, "") if ord(c) >= 32 and ord(c) != 127).strip()[:length]

        theme = arg("theme", 10)
        runner = arg("type", 30)
        return cls(
            text=arg("q", 200),
            theme=int(theme) if theme.isascii() and theme.isdigit() and int(theme) < 2**31 else None,
            ward=arg("area", 60),
            runner=runner if runner in RUNNERS else "",
        )

    def args(self) -> dict:
        pairs = (("q", self.text), ("theme", self.theme), ("area", self.ward), ("type", self.runner))
        return {k: v for k, v in pairs if v}


def published(team, filters: Filters, *columns):
    """A select of the team's published initiatives matching the filters."""
    team_id = Initiative.team_id
    if filters.text and index_drives():
        # Words are found by the search index first: its matches drive the query, not a scan of the team's rows.
        team_id = db.func.coalesce(Initiative.team_id, 0)
    query = db.select(*(columns or (Initiative,))).where(team_id == team.id, Initiative.status == "published")
    return apply(query, team, filters)


def apply(query, team, filters: Filters):
    if filters.runner:
        query = query.where(Initiative.runner == filters.runner)
    if filters.ward:
        query = query.where(Initiative.ward == filters.ward)
    if filters.theme:
        query = query.where(
            db.select(InitiativeTheme.initiative_id)
            .where(InitiativeTheme.initiative_id == Initiative.id, InitiativeTheme.theme_id == filters.theme)
            .exists()
        )
    if filters.text:
        query = query.where(matches(filters.text))
    return query


def page_of(team, filters: Filters, page: int):
    query = published(team, filters)
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = (
        db.session.execute(
            query.order_by(Initiative.updated_at.desc(), Initiative.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    return rows, total


def similar_to(team, text: str, exclude: int | None = None, limit: int = 5, statuses=("published",)) -> list:
    """Initiatives of the team whose words are most like the text: candidates from the search index first."""
    target = words(text)
    if not target:
        return []
    longest = sorted(target, key=len, reverse=True)[:10]
    query = db.select(Initiative).where(Initiative.team_id == team.id, Initiative.status.in_(statuses))
    query = query.where(matches(" ".join(longest), any_word=True))
    if exclude:
        query = query.where(Initiative.id != exclude)
    candidates = db.session.execute(query.limit(200)).scalars().all()
    return ranked(target, candidates, key=lambda i: words(i.search_text), limit=limit, at_least=0.08)


def search_hits(team, text: str, limit: int) -> list:
    """The team's published initiatives matching the text, as SearchHits for other plugins' search pages."""
    if not search_terms(text):
        return []
    query = published(team, Filters(text=text)).order_by(Initiative.updated_at.desc(), Initiative.id.desc())
    rows = db.session.execute(query.limit(max(0, min(limit, 100)))).scalars()
    return [
        SearchHit(
            title=local_text(i, "name"),
            url=url_for("initiatives.page", team=team.slug, initiative_id=i.id),
            summary=local_text(i, "summary"),
            kind=_("Initiatives"),
            order=40,
        )
        for i in rows
    ]


def other_hits(team, text: str, limit: int = 10) -> list[tuple[str, list]]:
    """What the team's other plugins found for the text (project packs...), grouped by kind, in hook order."""
    if not text:
        return []
    groups: dict[str, list] = {}
    for hit in collect_for(team, "search_results", team=team, query=text, limit=limit):
        if hit.plugin != "initiatives":
            groups.setdefault(str(hit.kind), []).append(hit)
    return list(groups.items())
