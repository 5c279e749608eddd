"""Accessible SVG bar charts drawn on the server. Each chart goes next to a table of the same figures."""

from __future__ import annotations

from markupsafe import Markup, escape

# GOV.UK colours: blue, green, dark grey; patterns are not needed as each bar is labelled.
SERIES_COLOURS = ("#1d70b8", "#00703c", "#505a5f")
WIDTH, LABEL_W, BAR_H, GAP = 640, 200, 14, 10


def bar_chart(title: str, description: str, groups: list[tuple[str, list[int]]], series: list[str], fmt=str) -> Markup:
    """Horizontal grouped bars. groups: [(label, [value per series])]; fmt writes a value as text."""
    biggest = max([v for _, values in groups for v in values] + [1])
    plot_w = WIDTH - LABEL_W - 110
    group_h = len(series) * BAR_H + GAP
    legend_h = 24
    height = legend_h + max(len(groups), 1) * group_h + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="psv-chart" role="img" font-family="arial, sans-serif" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="psv-t-{abs(hash(title))} psv-d-{abs(hash(title))}">',
        f'<title id="psv-t-{abs(hash(title))}">{escape(title)}</title>',
        f'<desc id="psv-d-{abs(hash(title))}">{escape(description)}</desc>',
    ]
    x = 0
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_COLOURS[i % 3]}"/>'
            f'<text x="{x + 16}" y="15" font-size="13" fill="#0b0c0c">{escape(name)}</text>'
        )
        x += 20 + 8 * len(str(name))
    for g, (label, values) in enumerate(groups):
        top = legend_h + g * group_h
        parts.append(
            f'<text x="0" y="{top + group_h / 2}" font-size="13" fill="#0b0c0c">{escape(str(label)[:28])}</text>'
        )
        for i, value in enumerate(values):
            w = round(plot_w * value / biggest, 1)
            y = top + i * BAR_H
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H - 2}" '
                f'fill="{SERIES_COLOURS[i % 3]}"/>'
                f'<text x="{LABEL_W + w + 4}" y="{y + BAR_H - 3}" font-size="11" fill="#0b0c0c">'
                f"{escape(fmt(value))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704
