"""Bar charts drawn on the server as inline SVG: no script, no CDN, readable when printed.

Each chart is a picture of the table printed beside it (the table is what screen readers and
spreadsheets read), so the SVG carries a title and hides nothing the table lacks. The map
reuses the route map's basemap, projection and crop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from scheduler.services import route_map

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
BAR_WIDTH = 240
VALUE_WIDTH = 110


def bar_chart(
    title: str, rows: Sequence[tuple[str, float]], value_text: Callable[[float], str]
) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _, value in rows), default=0) or 1
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        out.append(f'<text x="0" y="{BAR_HEIGHT}" fill="#4a5568">No reports yet.</text>')
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = BAR_WIDTH * value / largest
        middle = y + BAR_HEIGHT / 2 + 4.5
        out.append(
            f'<g class="bar"><title>{escape(label)}: {escape(value_text(value))}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" fill="#1d2433">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="#1f5fbf"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:.1f}" fill="#1d2433">'
            f"{escape(value_text(value))}</text></g>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def attendance_map(title: str, events: Sequence[tuple[str, float, float, int]]) -> Markup:
    """The events as circles on the offline US basemap (services/route_map.py), each circle's
    area in proportion to its attendance; ``events`` are (label, lat, lon, attendance)."""
    base = route_map._basemap()
    points = [base.project(lat, lon) for _, lat, lon, _ in events]
    vx, vy, vw, vh = route_map._view(points, base)
    unit = vw / route_map.DISPLAY_PX
    largest = max((people for *_, people in events), default=0) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="attendance-map" role="img" '
        f'viewBox="{vx:.1f} {vy:.1f} {vw:.1f} {vh:.1f}" width="100%" '
        'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{vx:.1f}" y="{vy:.1f}" width="{vw:.1f}" height="{vh:.1f}" fill="#eaf2fb"/>',
        f'<g fill="#fbfaf6" stroke="#b9c2cf" stroke-width="{0.6 * unit:.2f}">',
        *(f'<path d="{data}"><title>{escape(name)}</title></path>' for name, data in base.states),
        "</g>",
        '<g class="events" fill="#1f5fbf" fill-opacity="0.55" stroke="#14213d" '
        f'stroke-width="{unit:.2f}">',
    ]
    for (label, _, _, people), (x, y) in zip(events, points, strict=True):
        radius = (4 + 18 * (people / largest) ** 0.5) * unit
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{escape(label)}: {people:,} people</title></circle>"
        )
    out.append("</g></svg>")
    return Markup("".join(out))
