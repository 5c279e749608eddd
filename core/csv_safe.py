"""CSV cells a spreadsheet shows as text and never runs as a formula: one rule for every export.

A spreadsheet may run a cell that starts with = + - or @ as a formula (and some strip leading
spaces, or read a full-width ＝ as =, first). A text cell whose first visible character, after
Unicode compatibility folding, is one of those, or which starts with a tab, carriage return or line
feed, gets a leading apostrophe, so it shows as the text it is. Numbers we produce (int, float,
Decimal) are written as they are, and so is text that is a plain signed number such as "-1.5":
a number is not a formula, and quoting it would turn figures into text.

`csv_unsafe` removes exactly the apostrophe `csv_cell` added, so an exported file can be imported again.

Files a person downloads start with a byte-order mark (`bom=True`, `CSV_BOM`): without it Excel reads UTF-8 as
the Windows code page, and every Welsh, Polish and Urdu letter comes out garbled.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = ("\t", "\r", "\n")
CSV_BOM = "\ufeff"  # UTF-8's byte-order mark, which tells Excel the file is UTF-8
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _is_dangerous(text: str) -> bool:
    if text.startswith(CONTROL_STARTS):
        return True
    visible = unicodedata.normalize("NFKC", text).lstrip()
    visible = visible.lstrip("\u200b\u200c\u200d\u2060\ufeff")  # zero-width characters a reader cannot see
    if not visible or visible[0] not in FORMULA_STARTS:
        return False
    return PLAIN_NUMBER.fullmatch(visible) is None


def csv_cell(value: object) -> str:
    """One cell's text: None is empty, numbers as they are, dangerous text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if _is_dangerous(text) else text


def csv_unsafe(value: str) -> str:
    """Undo csv_cell's apostrophe, and nothing else."""
    if value.startswith("'") and _is_dangerous(value[1:]):
        return value[1:]
    return value


def csv_row(cells: Iterable[object]) -> str:
    """One line of CSV (with its line ending), every cell through csv_cell."""
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]], bom: bool = False) -> Iterator[str]:
    """The header line (after the byte-order mark with bom=True), then a line per row: for streamed downloads."""
    yield (CSV_BOM if bom else "") + csv_row(header)
    for row in rows:
        yield csv_row(row)


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]], bom: bool = False) -> str:
    """A whole CSV file as text (starting with the byte-order mark with bom=True, for a download)."""
    return "".join(csv_lines(header, rows, bom))
