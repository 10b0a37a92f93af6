"""Make the home page map's outline of the Netherlands from Natural Earth (public domain).

Usage: npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
       python scripts/make_map.py package/countries-10m.json

world-atlas ships Natural Earth's 1:10m admin-0 borders as TopoJSON. This decodes the
Netherlands' polygons, keeps the European part, projects them as the site places its
markers (regioverhalen.site.regionmap.project), writes one SVG path to
src/regioverhalen/site/templates/nl-outline.json and puts it, as an image, in the stylesheet.
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from regioverhalen.site.regionmap import CSS_BEGIN, CSS_END, EAST, NORTH, OUTLINE_FILE, SOUTH, WEST, project, view_box

NETHERLANDS = "528"  # ISO 3166-1 numeric, world-atlas's feature id
PACKAGE = Path(__file__).resolve().parent.parent / "src/regioverhalen"
TARGET = PACKAGE / "site/templates" / OUTLINE_FILE
STYLESHEET = PACKAGE / "theme/assets/regioverhalen.css"


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
    write_css(data["path"])


def write_css(path: str) -> None:
    """The outline as the map's background image, between the stylesheet's two marker comments."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box()}">'
        f'<path d="{path}" fill="#e7f1e8" stroke="#2e6b3a" stroke-width=".8"/></svg>'
    )
    rule = f'.rv-kaart__vlak {{ background-image: url("data:image/svg+xml,{urllib.parse.quote(svg)}"); }}'
    css = STYLESHEET.read_text(encoding="utf-8")
    before, _, rest = css.partition(CSS_BEGIN)
    _, _, after = rest.partition(CSS_END)
    STYLESHEET.write_text(f"{before}{CSS_BEGIN}\n{rule}\n{CSS_END}{after}", encoding="utf-8")
    print(f"{STYLESHEET}: map outline updated")


if __name__ == "__main__":
    main(sys.argv[1])
