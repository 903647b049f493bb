"""Bar charts drawn on the server as inline SVG: no script, no CDN, readable when printed.

Each chart is a picture of the table printed beside it (the table is what screen readers and
spreadsheets read), so the SVG carries a title and hides nothing the table lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
BAR_WIDTH = 300
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
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
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
