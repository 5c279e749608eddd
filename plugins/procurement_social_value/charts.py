"""Accessible SVG bar charts drawn on the server. Each chart goes next to a table of the same figures.

Drawn the reading way: with rtl=True (Urdu) every x is mirrored and the svg carries direction="rtl", so the
labels sit on the right and the bars grow leftwards. Labels wrap onto lines rather than being cut, as wide
as a generous estimate of their characters (CHAR, a share of the font size) allows.
"""

from __future__ import annotations

import textwrap
from itertools import count

from markupsafe import Markup, escape

# GOV.UK colours: blue, green, dark grey; patterns are not needed as each bar is labelled.
SERIES_COLOURS = ("#1d70b8", "#00703c", "#505a5f")
WIDTH, LABEL_W, BAR_H, GAP = 640, 200, 20, 10  # a bar a row of 20, as tall as an Urdu line of values
LABEL_SIZE, VALUE_SIZE, LEGEND_SIZE, LINE = 13, 11, 13, 16
VALUE_ROOM = 110  # what is left for a value after the longest bar
CHAR = 0.56
_ids = count(1)


def wrap(text: str, room: float, size: float) -> list[str]:
    """The lines of a label `room` pixels wide at font `size`; a word longer than a line keeps its line."""
    return textwrap.wrap(str(text), max(int(room / (size * CHAR)), 6), break_long_words=False) or [""]


def text_width(text: str, size: float) -> float:
    return len(str(text)) * size * CHAR


def bar_chart(
    title: str,
    description: str,
    groups: list[tuple[str, list[int]]],
    series: list[str],
    fmt=str,
    rtl: bool = False,
) -> Markup:
    """Horizontal grouped bars. groups: [(label, [value per series])]; fmt writes a value as text."""
    biggest = max([v for _, values in groups for v in values] + [1])
    plot_w = WIDTH - LABEL_W - VALUE_ROOM

    def x(left: float, w: float = 0) -> float:
        """A position given left to right, mirrored in a right-to-left page."""
        return round(WIDTH - left - w, 1) if rtl else round(left, 1)

    chart = next(_ids)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="psv-chart" role="img" font-family="arial, sans-serif" '
        f'direction="{"rtl" if rtl else "ltr"}" viewBox="0 0 {{width}} {{height}}" width="100%" '
        f'aria-labelledby="psv-t-{chart} psv-d-{chart}">',
        f'<title id="psv-t-{chart}">{escape(title)}</title>',
        f'<desc id="psv-d-{chart}">{escape(description)}</desc>',
    ]
    # The legend: one line while it fits, then a line each.
    legend_y, left = 4, 0.0
    for i, name in enumerate(series):
        wide = 20 + text_width(name, LEGEND_SIZE)
        if left and left + wide > WIDTH:
            legend_y, left = legend_y + 20, 0.0
        parts.append(
            f'<rect x="{x(left, 12)}" y="{legend_y}" width="12" height="12" fill="{SERIES_COLOURS[i % 3]}"/>'
            f'<text x="{x(left + 16)}" y="{legend_y + 11}" font-size="{LEGEND_SIZE}" fill="#0b0c0c">'
            f"{escape(name)}</text>"
        )
        left += wide + 12
    top = legend_y + 26
    for label, values in groups:
        lines = wrap(label, LABEL_W - 12, LABEL_SIZE)
        group_h = max(len(series) * BAR_H, len(lines) * LINE) + GAP
        first = top + (group_h - GAP) / 2 - (len(lines) - 1) * LINE / 2 + LABEL_SIZE / 3
        spans = "".join(
            f'<tspan x="{x(0)}" y="{round(first + n * LINE, 1)}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        parts.append(f'<text font-size="{LABEL_SIZE}" fill="#0b0c0c">{spans}</text>')
        bars_top = top + (group_h - GAP - len(series) * BAR_H) / 2
        for i, value in enumerate(values):
            w = round(plot_w * value / biggest, 1)
            y = round(bars_top + i * BAR_H, 1)
            parts.append(
                f'<rect x="{x(LABEL_W, w)}" y="{y}" width="{w}" height="{BAR_H - 4}" '
                f'fill="{SERIES_COLOURS[i % 3]}"/>'
                f'<text x="{x(LABEL_W + w + 4)}" y="{y + BAR_H - 7}" font-size="{VALUE_SIZE}" fill="#0b0c0c">'
                f"\u2066{escape(fmt(value))}\u2069</text>"
            )
        top += group_h
    parts.append("</svg>")
    height = round(top + 10)
    parts[0] = parts[0].replace("{width}", str(WIDTH)).replace("{height}", str(height))
    return Markup("".join(parts))  # nosec B704
