"""The map: drawn on the server as SVG (works with JavaScript off), with a table of the same figures beside it."""

from __future__ import annotations

from flask import jsonify, render_template, request

from coproduce.plugins import current_team, db, no_page_cache
from coproduce_plugins.initiatives import geo
from coproduce_plugins.initiatives.directory import Filters, area_for, map_settings, published, themes_of
from coproduce_plugins.initiatives.models import RUNNERS, Initiative
from coproduce_plugins.initiatives.views import bp


def cluster_rows(team, filters: Filters, area: geo.Area):
    """(lon, lat, count) per small grid cell, grouped by the database so the page stays quick at any size."""
    step_x, step_y = geo.grid_step(area)
    base = published(team, filters, Initiative.lon, Initiative.lat).where(Initiative.lat.is_not(None)).subquery()
    cell_x = db.func.floor(base.c.lon / step_x)
    cell_y = db.func.floor(base.c.lat / step_y)
    query = db.select(db.func.avg(base.c.lon), db.func.avg(base.c.lat), db.func.count()).group_by(cell_x, cell_y)
    return db.session.execute(query).all()


def ward_counts(team, filters: Filters) -> dict[str, int]:
    base = published(team, filters, Initiative.ward).subquery()
    rows = db.session.execute(db.select(base.c.ward, db.func.count()).group_by(base.c.ward)).all()
    return {ward or "": count for ward, count in rows}


@bp.get("/map")
def map():
    team = current_team()
    filters = Filters.from_args(request.args)
    if filters.text:
        no_page_cache()  # the page shows the words searched for
    area = area_for(team)
    found = geo.clusters(area, cluster_rows(team, filters, area))
    counts = ward_counts(team, filters)
    settings = map_settings(team)
    return render_template(
        "initiatives/map.html",
        area=area,
        clusters=found,
        counts=counts,
        total=sum(counts.values()),
        filters=filters,
        themes=themes_of(team),
        runners=RUNNERS,
        tile_url=settings.tile_url,
    )


@bp.get("/map/areas.json")
def map_areas():
    """The boundary and wards as GeoJSON, for the JavaScript map (the page itself draws them as SVG)."""
    area = area_for(current_team())

    def feature(rings, properties):
        coordinates = [[[list(p) for p in ring]] for ring in rings]
        return {
            "type": "Feature",
            "properties": properties,
            "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
        }

    features = [feature(area.boundary, {"kind": "boundary"})]
    features += [feature(w.rings, {"kind": "ward", "code": w.code, "name": w.name}) for w in area.wards]
    return jsonify({"type": "FeatureCollection", "features": features})
