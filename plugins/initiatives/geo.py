"""The council's area from GeoJSON, drawn as SVG on the server: wards, boundary and clustered points.

Free of Flask: the views pass the files' text in and put the SVG's parts in a template.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DEMO_BOUNDARY = DATA / "demo_boundary.json"
DEMO_WARDS = DATA / "demo_wards.json"
WIDTH = 800
PAD = 10


class GeoError(ValueError):
    """A GeoJSON file we cannot draw."""


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    rings: tuple  # tuple of rings, each a tuple of (lon, lat)

    @property
    def centre(self) -> tuple[float, float]:
        ring = self.rings[0]
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))

    def contains(self, lon: float, lat: float) -> bool:
        return any(_inside(ring, lon, lat) for ring in self.rings)


@dataclass(frozen=True)
class Area:
    boundary: tuple  # rings
    wards: tuple[Ward, ...]
    bounds: tuple[float, float, float, float] = field(default=(0, 0, 0, 0))  # min lon, min lat, max lon, max lat

    def ward(self, code: str) -> Ward | None:
        return next((w for w in self.wards if w.code == code), None)

    def ward_at(self, lon: float, lat: float) -> Ward | None:
        return next((w for w in self.wards if w.contains(lon, lat)), None)

    @property
    def height(self) -> int:
        x0, y0, x1, y1 = self.bounds
        scale = math.cos(math.radians((y0 + y1) / 2))
        return int(round((WIDTH - 2 * PAD) * (y1 - y0) / max((x1 - x0) * scale, 1e-9))) + 2 * PAD

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Equirectangular, north up, scaled to the SVG's width."""
        x0, y0, x1, y1 = self.bounds
        sx = (WIDTH - 2 * PAD) / max(x1 - x0, 1e-9)
        h = self.height - 2 * PAD
        return (round(PAD + (lon - x0) * sx, 1), round(PAD + (y1 - lat) / max(y1 - y0, 1e-9) * h, 1))

    def path(self, rings) -> str:
        parts = []
        for ring in rings:
            points = [self.project(lon, lat) for lon, lat in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        return " ".join(parts)

    def within(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bounds
        return x0 <= lon <= x1 and y0 <= lat <= y1


def _inside(ring, lon, lat) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside


def _rings(geometry: dict) -> list:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    rings = []
    for polygon in polygons:
        for ring in polygon[:1]:  # the outer ring; holes are not drawn
            rings.append(tuple((float(p[0]), float(p[1])) for p in ring if len(p) >= 2))
    if not rings:
        raise GeoError("a feature without a polygon")
    return rings


def parse_area(boundary_text: str, wards_text: str) -> Area:
    """The area from the text of the boundary and ward files (FeatureCollections of polygons)."""
    try:
        boundary = json.loads(boundary_text)
        wards = json.loads(wards_text)
        rings = [ring for feature in boundary["features"] for ring in _rings(feature["geometry"])]
        ward_list = []
        for feature in wards["features"]:
            props = feature.get("properties") or {}
            code = str(props.get("code") or props.get("id") or props.get("name") or "")[:60]
            name = str(props.get("name") or code)[:120]
            if code:
                ward_list.append(Ward(code, name, tuple(_rings(feature["geometry"]))))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise GeoError(str(error)) from None
    points = [p for ring in rings for p in ring] + [p for w in ward_list for ring in w.rings for p in ring]
    if not points:
        raise GeoError("no points")
    bounds = (
        min(p[0] for p in points),
        min(p[1] for p in points),
        max(p[0] for p in points),
        max(p[1] for p in points),
    )
    return Area(tuple(rings), tuple(sorted(ward_list, key=lambda w: w.name)), bounds)


@lru_cache(maxsize=16)
def load_area(boundary: Path, wards: Path, stamp: tuple) -> Area:
    """Read and parse once per file version (stamp: the files' modification times)."""
    return parse_area(boundary.read_text(encoding="utf-8"), wards.read_text(encoding="utf-8"))


def area_from_files(boundary: Path, wards: Path) -> Area:
    return load_area(boundary, wards, (boundary.stat().st_mtime_ns, wards.stat().st_mtime_ns))


@dataclass(frozen=True)
class Cluster:
    x: float
    y: float
    count: int
    lon: float
    lat: float
    ward: str = ""


def clusters(area: Area, rows, cell: float = 40.0) -> list[Cluster]:
    """Group (lon, lat, count) rows into cells of `cell` pixels on the drawn map."""
    cells: dict[tuple[int, int], list[float]] = {}
    for lon, lat, count in rows:
        if lon is None or lat is None:
            continue
        x, y = area.project(lon, lat)
        key = (int(x // cell), int(y // cell))
        acc = cells.setdefault(key, [0.0, 0.0, 0])
        acc[0] += lon * count
        acc[1] += lat * count
        acc[2] += count
    found = []
    for acc in cells.values():
        lon, lat = acc[0] / acc[2], acc[1] / acc[2]
        x, y = area.project(lon, lat)
        ward = area.ward_at(lon, lat)
        found.append(Cluster(x, y, int(acc[2]), lon, lat, ward.code if ward else ""))
    return sorted(found, key=lambda c: (-c.count, c.x, c.y))


def grid_step(area: Area, cell: float = 40.0) -> tuple[float, float]:
    """Degrees of longitude and latitude covered by one cell, for grouping in the database first."""
    x0, y0, x1, y1 = area.bounds
    return ((x1 - x0) * cell / (WIDTH - 2 * PAD) / 2, (y1 - y0) * cell / max(area.height - 2 * PAD, 1) / 2)
