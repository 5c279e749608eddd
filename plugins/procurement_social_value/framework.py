"""The measures framework: themes, the outcomes under them, and the measures
that suppliers commit to.

A framework is a CSV file with one row per measure and these columns:

    theme_code, theme, outcome_code, outcome, measure_code, measure, unit,
    proxy_value_gbp

The theme and outcome are repeated on every row of their measures. Codes are
short (letters, digits, dot, hyphen, underscore; up to 32 characters). The
``proxy_value_gbp`` column is optional: a value in pounds per unit ("215.40")
used to put a money figure on delivery, or empty when the team does not want
one.

The file shipped beside this module (``framework.csv``) is an example written
for this project. Its proxy values are illustrative placeholders, not endorsed
valuations: a council should agree its own before publishing money figures.

Row numbers in error messages are spreadsheet row numbers: the header is row 1,
the first measure row 2. Every bad row is reported, not just the first.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .csvsafe import csv_safe, csv_unsafe
from .money import format_pence_plain, parse_pence

COLUMNS = (
    "theme_code", "theme", "outcome_code", "outcome",
    "measure_code", "measure", "unit", "proxy_value_gbp",
)
SHIPPED_FRAMEWORK = Path(__file__).with_name("framework.csv")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_TEXT = 300
MAX_MEASURES = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RowError:
    """One problem found in an uploaded file, tied to its spreadsheet row."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True)
class Theme:
    code: str
    name: str


@dataclass(frozen=True)
class Outcome:
    code: str
    name: str
    theme_code: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    unit: str
    outcome_code: str
    theme_code: str
    proxy_pence: int | None = None  # proxy value per unit, in pence


@dataclass(frozen=True)
class Framework:
    """Themes, outcomes and measures, each in the order the file gave them."""

    themes: tuple[Theme, ...]
    outcomes: tuple[Outcome, ...]
    measures: tuple[Measure, ...]

    @cached_property
    def _by_code(self) -> dict[str, dict]:
        return {
            "theme": {t.code: t for t in self.themes},
            "outcome": {o.code: o for o in self.outcomes},
            "measure": {m.code: m for m in self.measures},
        }

    def theme(self, code: str) -> Theme | None:
        return self._by_code["theme"].get(code)

    def outcome(self, code: str) -> Outcome | None:
        return self._by_code["outcome"].get(code)

    def measure(self, code: str) -> Measure | None:
        return self._by_code["measure"].get(code)

    def outcomes_for(self, theme_code: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.theme_code == theme_code]

    def measures_for(self, outcome_code: str) -> list[Measure]:
        return [m for m in self.measures if m.outcome_code == outcome_code]


class FrameworkError(ValueError):
    """The framework file has problems; ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def decode_csv(source: str | bytes) -> str:
    """Text of an uploaded CSV file: UTF-8, with or without a byte-order mark."""
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(
                "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"
            ) from None
    return source.removeprefix("\ufeff")


def read_rows(text: str, columns: tuple[str, ...], required: tuple[str, ...]):
    """Read CSV text into (row number, {column: cleaned cell}) pairs.

    Returns (rows, errors). Header problems come back as row 1 errors with no
    rows. Unknown columns are ignored; blank rows are skipped. Each cell has
    surrounding spaces removed and the apostrophe ``csv_safe`` adds taken off.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return [], [RowError(1, f"the file cannot be read as CSV ({exc})")]
    if not records:
        return [], [RowError(1, "the file is empty")]
    header = [cell.strip().lower() for cell in records[0]]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        return [], [RowError(1, f"column(s) given more than once: {', '.join(repeated)}")]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [RowError(1, f"missing column(s): {', '.join(missing)}")]
    index = {name: header.index(name) for name in columns if name in header}
    rows, errors = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if any(cell.strip() for cell in record[len(header):]):
            errors.append(RowError(number, "has more cells than the header row"))
            continue
        rows.append((number, {
            name: csv_unsafe(record[i].strip()) if i < len(record) else ""
            for name, i in index.items()
        }))
    return rows, errors


def check_text(value: str, column: str, *, required: bool = True) -> str | None:
    """The reason a text cell is unacceptable, or None if it is fine."""
    if not value:
        return f"{column} is empty" if required else None
    if len(value) > MAX_TEXT:
        return f"{column} is longer than {MAX_TEXT} characters"
    if _CONTROL.search(value):
        return f"{column} contains a line break or control character"
    return None


def _check_code(value: str, column: str) -> str | None:
    if not value:
        return f"{column} is empty"
    if not CODE_PATTERN.match(value):
        return (f"{column} {value!r} is not a valid code (use letters, digits, "
                "'.', '-' or '_', up to 32 characters)")
    return None


def check_framework_csv(source: str | bytes) -> tuple[Framework | None, list[RowError]]:
    """Validate a framework file row by row. Returns (framework, []) or (None, errors)."""
    try:
        text = decode_csv(source)
    except ValueError as exc:
        return None, [RowError(1, str(exc))]
    rows, errors = read_rows(text, COLUMNS, COLUMNS[:-1])
    if len(rows) > MAX_MEASURES:
        return None, [RowError(1, f"the file has more than {MAX_MEASURES} measures")]
    themes: dict[str, tuple[Theme, int]] = {}
    outcomes: dict[str, tuple[Outcome, int]] = {}
    measures: dict[str, tuple[Measure, int]] = {}
    for number, cells in rows:
        problems = [p for p in (
            _check_code(cells["theme_code"], "theme_code"),
            check_text(cells["theme"], "theme"),
            _check_code(cells["outcome_code"], "outcome_code"),
            check_text(cells["outcome"], "outcome"),
            _check_code(cells["measure_code"], "measure_code"),
            check_text(cells["measure"], "measure"),
            check_text(cells["unit"], "unit"),
        ) if p]
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        proxy = None
        if cells.get("proxy_value_gbp"):
            try:
                proxy = parse_pence(cells["proxy_value_gbp"])
            except ValueError as exc:
                problems.append(f"proxy_value_gbp {exc}")
        theme = Theme(cells["theme_code"], cells["theme"])
        outcome = Outcome(cells["outcome_code"], cells["outcome"], theme.code)
        measure = Measure(cells["measure_code"], cells["measure"], cells["unit"],
                          outcome.code, theme.code, proxy)
        seen_theme = themes.setdefault(theme.code, (theme, number))
        seen_outcome = outcomes.setdefault(outcome.code, (outcome, number))
        if seen_theme[0] != theme:
            problems.append(f"theme_code {theme.code!r} is named {seen_theme[0].name!r} "
                            f"on row {seen_theme[1]}")
        if seen_outcome[0].theme_code != theme.code:
            problems.append(f"outcome_code {outcome.code!r} is under theme "
                            f"{seen_outcome[0].theme_code!r} on row {seen_outcome[1]}")
        elif seen_outcome[0] != outcome:
            problems.append(f"outcome_code {outcome.code!r} is named "
                            f"{seen_outcome[0].name!r} on row {seen_outcome[1]}")
        if measure.code in measures:
            problems.append(f"measure_code {measure.code!r} is already used "
                            f"on row {measures[measure.code][1]}")
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        measures[measure.code] = (measure, number)
    if not errors and not measures:
        errors.append(RowError(1, "the file has no measures"))
    if errors:
        return None, sorted(errors, key=lambda e: e.row)
    return Framework(
        themes=tuple(t for t, _ in themes.values()),
        outcomes=tuple(o for o, _ in outcomes.values()),
        measures=tuple(m for m, _ in measures.values()),
    ), []


def load_framework(source: str | bytes) -> Framework:
    """Load a framework file, raising FrameworkError listing every bad row."""
    framework, errors = check_framework_csv(source)
    if errors:
        raise FrameworkError(errors)
    return framework


def load_shipped_framework() -> Framework:
    """The example framework that comes with the plugin."""
    return load_framework(SHIPPED_FRAMEWORK.read_bytes())


def framework_to_csv(framework: Framework) -> str:
    """Write a framework back out as CSV, one row per measure, cells made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for m in framework.measures:
        theme, outcome = framework.theme(m.theme_code), framework.outcome(m.outcome_code)
        proxy = "" if m.proxy_pence is None else format_pence_plain(m.proxy_pence)
        writer.writerow([csv_safe(v) for v in (
            theme.code, theme.name, outcome.code, outcome.name,
            m.code, m.name, m.unit, proxy,
        )])
    return out.getvalue()
