"""The home page's map: the outline of the Netherlands and a marker per region with a location.

The outline is committed as an SVG image inside the stylesheet (made by `scripts/make_map.py`
from Natural Earth's country borders, public domain, as the npm package world-atlas ships
them). Markers are HTML links placed over it at build time with the same projection: no inline
SVG, which a site's HTML checks refuse, and nothing a script has to do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from regioverhalen.content.terms import MAP_EAST, MAP_NORTH, MAP_SOUTH, MAP_WEST

#: The part of the world the map shows (the locations regions may have).
WEST, EAST, SOUTH, NORTH = MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH
#: Map units per degree of latitude; longitude is shortened by the cosine of the middle latitude.
SCALE = 100.0
_LON_FACTOR = math.cos(math.radians((SOUTH + NORTH) / 2))
OUTLINE_FILE = "nl-outline.json"
#: Where scripts/make_map.py puts the outline in the stylesheet.
CSS_BEGIN, CSS_END = "/* map outline: begin */", "/* map outline: end */"


def project(lat: float, lon: float) -> tuple[float, float]:
    """An equirectangular projection centred on the Netherlands, in SVG coordinates (y down)."""
    return (round((lon - WEST) * _LON_FACTOR * SCALE, 1), round((NORTH - lat) * SCALE, 1))


#: Room beside the country for the labels of markers near its edge, in map units.
LABEL_MARGIN = 70.0


def bounds() -> tuple[float, float, float, float]:
    """The map's left, top, right and bottom edges, the labels' margin included."""
    width, height = project(SOUTH, EAST)
    return (-LABEL_MARGIN, 0.0, width + LABEL_MARGIN, height)


def view_box() -> str:
    left, top, right, bottom = bounds()
    return f"{left:g} {top:g} {right - left:g} {bottom - top:g}"


@dataclass(frozen=True)
class Marker:
    region_id: str
    name: str
    x: float
    y: float


def position(x: float, y: float) -> tuple[float, float]:
    """A point of the map as percentages of its width and height, for HTML placed over it."""
    left, top, right, bottom = bounds()
    return (round(100 * (x - left) / (right - left), 2), round(100 * (y - top) / (bottom - top), 2))
