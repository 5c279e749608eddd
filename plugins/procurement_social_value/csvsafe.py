"""Keep CSV exports from being read as spreadsheet formulas.

A spreadsheet may treat a cell that starts with = + - @ (or a tab or carriage
return in front of one) as a formula, which can run commands or leak data when
someone opens the file. Every text cell we export goes through ``csv_safe``,
which puts an apostrophe in front of such a cell so it is shown as text.

``csv_unsafe`` undoes exactly that, so a file we exported can be uploaded again
and give back the same content.
"""

from __future__ import annotations

from decimal import Decimal

#: First characters that make a spreadsheet cell dangerous.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Return ``value`` as text that a spreadsheet will show, never evaluate.

    None becomes "". Numbers we produce ourselves (int and Decimal, not bool)
    are written as they are: "-5" as a number is not a formula. Any other value
    is turned into text and given a leading apostrophe if it starts with one of
    ``DANGEROUS_PREFIXES``.
    """
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def csv_unsafe(value: str) -> str:
    """Remove the apostrophe that ``csv_safe`` added, and nothing else."""
    if value.startswith("'") and value[1:].startswith(DANGEROUS_PREFIXES):
        return value[1:]
    return value
