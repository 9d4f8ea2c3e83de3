"""Build `coalition/data/outline.json`: the map outline of Belgium and its French and Dutch
neighbours, drawn by the platform itself (results map, coverage map).

Source: Natural Earth 1:10m admin-0 countries (public domain), as TopoJSON in the npm
package `world-atlas` (ISC). The script fetches the package with `npm pack` into a
throwaway folder — neither is a dependency of the platform — decodes the country arcs,
clips them to the region's box, projects them once (equirectangular, scaled by the cosine
of the box's middle latitude: exact enough over 400 km) and simplifies them to about a
kilometre. Run it again only to change the region or the resolution:

    python scripts/build_outline.py
"""

from __future__ import annotations

import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "coalition" / "data" / "outline.json"
PACKAGE = "world-atlas@2.0.2"
#: the region: the Belgian coast to the Ardennes, with the Hauts-de-France and the southern
#: Netherlands, where the sister branches are (lon_min, lat_min, lon_max, lat_max)
BOX = (1.5, 49.3, 6.9, 52.5)
#: ISO 3166-1 numeric id → the code the platform uses
COUNTRIES = {"056": "BE", "250": "FR", "528": "NL", "442": "LU", "276": "DE"}
#: width of the drawing in SVG user units; the height follows from the projection
WIDTH = 1000
#: points closer than this (user units, ~0.4 km) to the simplified line are dropped
TOLERANCE = 1.0


def fetch_topology() -> dict:
    """The countries-10m TopoJSON of the pinned world-atlas package."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(  # noqa: S603 - fixed arguments
            ["npm", "pack", PACKAGE, "--silent"],  # noqa: S607
            cwd=folder,
            check=True,
            capture_output=True,
        )
        tarball = next(Path(folder).glob("world-atlas-*.tgz"))
        with tarfile.open(tarball) as archive:
            member = archive.extractfile("package/countries-10m.json")
            return json.load(member)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat), undoing the quantisation and deltas."""
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


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    """One polygon ring from arc indexes (a negative index is the arc reversed)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def clip(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman clipping of a ring to BOX."""
    lon_min, lat_min, lon_max, lat_max = BOX
    edges = (
        (lambda p: p[0] >= lon_min, lambda a, b: _cut_x(a, b, lon_min)),
        (lambda p: p[0] <= lon_max, lambda a, b: _cut_x(a, b, lon_max)),
        (lambda p: p[1] >= lat_min, lambda a, b: _cut_y(a, b, lat_min)),
        (lambda p: p[1] <= lat_max, lambda a, b: _cut_y(a, b, lat_max)),
    )
    for inside, cut in edges:
        if not points:
            break
        kept = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    kept.append(cut(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cut(previous, current))
        points = kept
    return points


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def projection() -> tuple[float, float]:
    """(horizontal scale, height) of the drawing."""
    lon_min, lat_min, lon_max, lat_max = BOX
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    scale = WIDTH / ((lon_max - lon_min) * k)
    return k * scale, (lat_max - lat_min) * scale


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas–Peucker with TOLERANCE."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    length = math.hypot(bx - ax, by - ay) or 1e-9
    far, index = 0.0, 0
    for i, (px, py) in enumerate(points[1:-1], 1):
        distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
        if distance > far:
            far, index = distance, i
    if far <= TOLERANCE:
        return [points[0], points[-1]]
    return simplify(points[: index + 1])[:-1] + simplify(points[index:])


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def path(rings: list[list[tuple[float, float]]]) -> str:
    """An SVG path: one closed subpath a ring, coordinates to a tenth of a unit."""
    kx, height = projection()
    lon_min, _lat_min, _lon_max, lat_max = BOX
    scale_y = height / (lat_max - BOX[1])
    parts = []
    for points in rings:
        projected = [((lon - lon_min) * kx, (lat_max - lat) * scale_y) for lon, lat in points]
        # a closed ring is simplified as two lines: to its farthest point and back
        far = max(range(len(projected)), key=lambda i: _distance(projected[0], projected[i]))
        projected = simplify(projected[: far + 1])[:-1] + simplify(projected[far:] + projected[:1])
        if len(projected) < 4:
            continue
        parts.append(
            "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected[:-1]).replace(".0,", ",") + "Z"
        )
    return "".join(parts)


def main() -> None:
    topology = fetch_topology()
    arcs = decode_arcs(topology)
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = COUNTRIES.get(geometry.get("id"))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [clip(ring(arcs, indexes)) for polygon in polygons for indexes in polygon]
        countries[code] = path([r for r in rings if len(r) >= 3])
    _kx, height = projection()
    OUT.write_text(
        json.dumps(
            {
                "source": f"Natural Earth 1:10m admin-0 countries (public domain), via {PACKAGE}",
                "box": BOX,
                "width": WIDTH,
                "height": round(height, 1),
                "countries": countries,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
