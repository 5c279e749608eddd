"""Colour contrast as WCAG 2.2 defines it: relative luminance and contrast ratio (no Flask here).

https://www.w3.org/TR/WCAG22/#dfn-relative-luminance
https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# WCAG 2.2 AA: 1.4.3 normal text, 1.4.11 user interface components and graphics.
TEXT_MINIMUM = 4.5
NON_TEXT_MINIMUM = 3.0


def is_hex_colour(value: object) -> bool:
    return isinstance(value, str) and bool(HEX_COLOUR.match(value))


def normalise_hex(value: str) -> str:
    """'#ABC' or '#aabbcc' -> '#aabbcc'. Raises ValueError for anything else."""
    if not is_hex_colour(value):
        raise ValueError(f"{value!r} is not a colour like #1d70b8")
    digits = value[1:].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    digits = normalise_hex(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _linear(channel: int) -> float:
    c = channel / 255
    # WCAG 2.2 quotes 0.04045 (the sRGB standard's value; 2.0 said 0.03928: no 8-bit value lies between).
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (same colour) to 21 (black on white); order does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shade(colour: str, amount: float) -> str:
    """Mix with black: amount 0 keeps the colour, 1 gives black (Sass's govuk-shade)."""
    red, green, blue = (c * (1 - amount) for c in hex_to_rgb(colour))
    return rgb_to_hex((red, green, blue))


def tint(colour: str, amount: float) -> str:
    """Mix with white: amount 0 keeps the colour, 1 gives white."""
    red, green, blue = (c + (255 - c) * amount for c in hex_to_rgb(colour))
    return rgb_to_hex((red, green, blue))


def format_ratio(ratio: float) -> str:
    """Rounded down to 2 places, so 4.4999 never shows as a passing 4.5."""
    return f"{int(ratio * 100) / 100:.2f}:1"
