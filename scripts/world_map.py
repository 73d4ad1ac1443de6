"""Build greenbridge/market/data/map.json: the outlines of the countries of Europe, the Mediterranean and the
Caucasus as SVG paths, for the target-market map (market/ranking.html).

Source (see data/SOURCES.md): world-atlas 2.0.2 (npm; ISC licence), countries-50m.json, Natural Earth's 1:50m
admin-0 countries (public domain) as TopoJSON. Each country is projected with the Lambert azimuthal equal-area
projection centred on 20°E 45°N (as the EU's own maps of Europe, EPSG:3035, are), fitted to a box of WIDTH
units, simplified (a point closer than MIN_STEP units to the last one kept is dropped; rings smaller than
MIN_AREA are left out) and written as {"viewBox": ..., "countries": {ISO 3166 alpha-2: path}}.

    python scripts/world_map.py data/maps/countries-50m.json
"""

import json
import math
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "greenbridge" / "market" / "data" / "map.json"
LON0, LAT0 = math.radians(20.0), math.radians(45.0)
# The part of the world shown (degrees): Iceland and Morocco to the Caspian Sea, the Sahara's north to Lapland.
WEST, EAST, SOUTH, NORTH = -24.0, 58.0, 21.0, 71.5
WIDTH = 1000.0
MIN_STEP = 1.2
MIN_AREA = 6.0
# Natural Earth's shapes without an ISO number: Kosovo has the code XK; the island's north is shown as Cyprus.
UNNUMBERED = {"Kosovo": "XK", "N. Cyprus": "CY"}


def laea(lon: float, lat: float) -> tuple[float, float]:
    lon, lat = math.radians(lon), math.radians(lat)
    k = math.sqrt(2 / (1 + math.sin(LAT0) * math.sin(lat) + math.cos(LAT0) * math.cos(lat) * math.cos(lon - LON0)))
    x = k * math.cos(lat) * math.sin(lon - LON0)
    y = k * (math.cos(LAT0) * math.sin(lat) - math.sin(LAT0) * math.cos(lat) * math.cos(lon - LON0))
    return x, y


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))) / 2


def main(path: str) -> None:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    corners = [laea(lon, lat) for lon in (WEST, EAST, 20.0) for lat in (SOUTH, NORTH)]
    x_min, x_max = min(x for x, _ in corners), max(x for x, _ in corners)
    y_min, y_max = min(y for _, y in corners), max(y for _, y in corners)
    scale = WIDTH / (x_max - x_min)
    height = round((y_max - y_min) * scale)

    def to_box(lon: float, lat: float) -> tuple[float, float]:
        x, y = laea(lon, lat)
        return (x - x_min) * scale, (y_max - y) * scale

    countries: dict[str, list[str]] = {}
    smallest: dict[str, tuple[float, list]] = {}  # a country too small for MIN_AREA: its largest ring
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = UNNUMBERED.get(geometry["properties"]["name"])
        if code is None and geometry.get("id"):
            found = pycountry.countries.get(numeric=geometry["id"])
            code = found.alpha_2 if found else None
        if code is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                lonlat = ring(indexes, arcs)
                if all(lon < WEST - 15 or lon > EAST + 15 or lat < SOUTH - 10 for lon, lat in lonlat):
                    continue
                points = [to_box(lon, lat) for lon, lat in lonlat]
                if all(x < 0 or x > WIDTH or y < 0 or y > height for x, y in points):
                    continue
                if area(points) < MIN_AREA:
                    if area(points) > smallest.get(code, (0.0, []))[0]:
                        smallest[code] = (area(points), points)
                    continue
                kept = [points[0]]
                for x, y in points[1:]:
                    if math.hypot(x - kept[-1][0], y - kept[-1][1]) >= MIN_STEP:
                        kept.append((x, y))
                if len(kept) < 4:
                    continue
                d = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z"
                countries.setdefault(code, []).append(d)
    for code, (_, points) in smallest.items():
        if code not in countries:  # Malta, Andorra, Liechtenstein...: shown, if only as a speck
            countries[code] = ["M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z"]
    paths = {c: "".join(countries[c]) for c in sorted(countries)}
    outlines = {"viewBox": f"0 0 {WIDTH:.0f} {height}", "countries": paths}
    OUT.write_text(json.dumps(outlines, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries, {OUT.stat().st_size / 1024:.0f} KiB -> {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
