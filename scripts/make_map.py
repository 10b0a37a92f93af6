"""Make the home page map's outline of the Netherlands from Natural Earth (public domain).

Usage: npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
       python scripts/make_map.py package/countries-10m.json

world-atlas ships Natural Earth's 1:10m admin-0 borders as TopoJSON. This decodes the
Netherlands' polygons, keeps the European part, projects them as the site places its
markers (regioverhalen.site.regionmap.project) and writes one SVG path to
src/regioverhalen/site/templates/nl-outline.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from regioverhalen.site.regionmap import EAST, NORTH, OUTLINE_FILE, SOUTH, WEST, project

NETHERLANDS = "528"  # ISO 3166-1 numeric, world-atlas's feature id
TARGET = Path(__file__).resolve().parent.parent / "src/regioverhalen/site/templates" / OUTLINE_FILE


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON's delta-encoded, quantized arcs as lists of (lon, lat)."""
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


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def in_view(points: list[tuple[float, float]]) -> bool:
    return all(WEST <= lon <= EAST and SOUTH <= lat <= NORTH for lon, lat in points)


def svg_path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        projected = [project(lat, lon) for lon, lat in points]
        # Drop points that land on the previous one at this scale.
        kept = [projected[0]] + [p for prev, p in zip(projected, projected[1:], strict=False) if p != prev]
        if len(kept) < 4:
            continue
        parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    country = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == NETHERLANDS)
    polygons = country["arcs"] if country["type"] == "MultiPolygon" else [country["arcs"]]
    rings = [ring(arcs, polygon[0]) for polygon in polygons]  # outer rings; the country has no holes to show
    rings = [r for r in rings if in_view(r)]
    data = {
        "source": "Natural Earth 1:10m admin-0 countries (public domain), via world-atlas 2.0.2 (ISC)",
        "path": svg_path(rings),
    }
    TARGET.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(rings)} polygons, {len(data['path'])} characters")


if __name__ == "__main__":
    main(sys.argv[1])
