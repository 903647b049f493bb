"""An offline SVG map of a speaker's route over the vendored us-atlas basemap (static/geo/).

No tile server or CDN: the TopoJSON is decoded here, projected with an Albers equal-area conic
(the projection of US national maps) and drawn as one ``<path class="state">`` per state. The
view is cropped to the route, so a tour along the East Coast is not a speck on a continent.
Alaska, Hawaii and the territories are left out: the tours travel the lower 48 states.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

BASEMAP = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "static",
    "geo",
    "states-10m.json",
)
# FIPS codes of Alaska, Hawaii and the territories.
LEFT_OUT = {"02", "15", "60", "66", "69", "72", "78"}
# Albers conic as used for US maps: standard parallels 29.5N, 45.5N, origin 37.5N 96W.
PHI1, PHI2, PHI0, LAMBDA0 = (math.radians(v) for v in (29.5, 45.5, 37.5, -96.0))
N = (math.sin(PHI1) + math.sin(PHI2)) / 2
C = math.cos(PHI1) ** 2 + 2 * N * math.sin(PHI1)
RHO0 = math.sqrt(C - 2 * N * math.sin(PHI0)) / N
WIDTH = 960.0  # user units of the whole lower-48 view
SIMPLIFY_PX = 0.8  # points closer than this to the last kept one add nothing visible
ASPECT = 0.62  # height / width of every map
MIN_VIEW = 0.3  # the smallest crop, as a share of the whole width: keeps context around a city
# Markers and text are sized for a map shown about this many CSS pixels wide, whatever the crop.
DISPLAY_PX = 560.0
# Beyond this many stops names overlap; the numbered markers stay and the page lists the names.
MAX_LABELS = 8


@dataclass(frozen=True)
class RouteStop:
    label: str
    lat: float
    lon: float


def _albers(lon: float, lat: float) -> tuple[float, float]:
    """Projected unit-sphere coordinates, y pointing up."""
    rho = math.sqrt(C - 2 * N * math.sin(math.radians(lat))) / N
    theta = N * (math.radians(lon) - LAMBDA0)
    return rho * math.sin(theta), RHO0 - rho * math.cos(theta)


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs in lon/lat: each position is a delta from the previous one in quantized units."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring joins its arcs; index ~i means arc i reversed; shared end points are not repeated."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


@dataclass(frozen=True)
class _Basemap:
    states: tuple[tuple[str, str], ...]  # (name, SVG path data)
    scale: float
    offset_x: float
    offset_y: float
    height: float

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = _albers(lon, lat)
        return (x - self.offset_x) * self.scale, (self.offset_y - y) * self.scale


def _path_data(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        kept = [ring[0]]
        for point in ring[1:]:
            last = kept[-1]
            if math.hypot(point[0] - last[0], point[1] - last[1]) >= SIMPLIFY_PX:
                kept.append(point)
        if len(kept) < 3:
            continue
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def _basemap() -> _Basemap:
    """Decoded, projected and simplified once per process: the basemap never changes."""
    with open(BASEMAP, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["states"]["geometries"]:
        if geometry["id"] in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [[_albers(*p) for p in _ring(ring, arcs)] for poly in polygons for ring in poly]
        shapes.append((geometry["properties"]["name"], rings))
    xs = [x for _, rings in shapes for ring in rings for x, _ in ring]
    ys = [y for _, rings in shapes for ring in rings for _, y in ring]
    scale = WIDTH / (max(xs) - min(xs))
    offset_x, offset_y = min(xs), max(ys)
    states = tuple(
        (
            name,
            _path_data(
                [[((x - offset_x) * scale, (offset_y - y) * scale) for x, y in r] for r in rings]
            ),
        )
        for name, rings in sorted(shapes)
    )
    return _Basemap(states, scale, offset_x, offset_y, (max(ys) - min(ys)) * scale)


def _view(points: list[tuple[float, float]], base: _Basemap) -> tuple[float, float, float, float]:
    """A crop around the route with a margin, at a fixed aspect, never smaller than MIN_VIEW."""
    if not points:
        return 0.0, 0.0, WIDTH, base.height
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    width = max(max(xs) - min(xs), (max(ys) - min(ys)) / ASPECT) * 1.4 + 80
    width = min(max(width, WIDTH * MIN_VIEW), WIDTH * 1.1)
    height = width * ASPECT
    centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return centre_x - width / 2, centre_y - height / 2, width, height


def render_route_svg(
    stops: list[RouteStop],
    title: str = "Route map",
    home: RouteStop | None = None,
    state_name: Callable[[str], str] | None = None,
) -> Markup:
    """An inline SVG: the states, the route as one polyline through ``stops`` in order, and a
    numbered marker per stop whose tooltip gives its label (also written beside it on a map of
    at most MAX_LABELS stops). With ``home`` the route starts and ends at a square home marker
    (private: only for coordinators and the speaker's own page). Each state's tooltip is its
    basemap name (English), or ``state_name`` of it on a page in another language."""
    base = _basemap()
    points = [base.project(stop.lat, stop.lon) for stop in stops]
    home_point = None if home is None else base.project(home.lat, home.lon)
    route = [home_point, *points, home_point] if home_point and points else points
    vx, vy, vw, vh = _view(route if home_point is None else [*points, home_point], base)
    unit = vw / DISPLAY_PX
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="route-map" role="img" '
        f'viewBox="{vx:.1f} {vy:.1f} {vw:.1f} {vh:.1f}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<rect class="sea" x="{vx:.1f}" y="{vy:.1f}" width="{vw:.1f}" height="{vh:.1f}" '
        'fill="#eaf2fb"/>',
        '<g class="states" fill="#fbfaf6" stroke="#b9c2cf" stroke-linejoin="round" '
        f'stroke-width="{0.6 * unit:.2f}">',
    ]
    for name, data in base.states:
        shown = state_name(name) if state_name else name
        out.append(f'<path class="state" d="{data}"><title>{escape(shown)}</title></path>')
    out.append("</g>")
    if len(route) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in route)
        out.append(
            f'<polyline class="route" points="{coords}" fill="none" stroke="#1f5fbf" '
            f'stroke-width="{2 * unit:.2f}" stroke-linejoin="round" stroke-linecap="round" '
            f'stroke-dasharray="{6 * unit:.1f} {4 * unit:.1f}"/>'
        )
    out.append(f'<g class="stops" font-size="{11 * unit:.1f}" font-family="system-ui, sans-serif">')
    if home is not None and home_point is not None:
        x, y, side = *home_point, 14 * unit
        out.append(
            f'<g class="home"><title>{escape(home.label)}</title>'
            f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
            f'height="{side:.1f}" fill="#b3261e" stroke="#fff" stroke-width="{1.5 * unit:.1f}"/>'
            f'<text class="label" x="{x + 11 * unit:.1f}" y="{y + 4 * unit:.1f}" fill="#1d2433" '
            f'stroke="#fff" stroke-width="{3 * unit:.1f}" paint-order="stroke">'
            f"{escape(home.label)}</text></g>"
        )
    for number, (stop, (x, y)) in enumerate(zip(stops, points, strict=True), start=1):
        label = escape(stop.label)
        out.append(
            f'<g class="stop"><title>{number}. {label}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{8 * unit:.1f}" fill="#14213d" '
            f'stroke="#fff" stroke-width="{1.5 * unit:.1f}"/>'
            f'<text x="{x:.1f}" y="{y + 3.5 * unit:.1f}" text-anchor="middle" fill="#fff" '
            f'font-weight="700" font-size="{10 * unit:.1f}">{number}</text>'
        )
        if len(stops) <= MAX_LABELS:
            out.append(
                f'<text class="label" x="{x + 11 * unit:.1f}" y="{y + 4 * unit:.1f}" '
                f'fill="#1d2433" stroke="#fff" stroke-width="{3 * unit:.1f}" '
                f'paint-order="stroke">{label}</text>'
            )
        out.append("</g>")
    out.append("</g></svg>")
    return Markup("".join(out))
