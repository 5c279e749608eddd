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
the first measure row 2. Every bad row is reported, not just the first. Each
problem is a message id and its values (see problems.py), translated by the
page that shows it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from coproduce.plugins import csv_cell, csv_unsafe

from .money import NumberError, format_pence_plain, parse_pence
from .problems import N_, Problem, ProblemError, shown

_ = N_  # the translation extractor looks for _("..."); pages translate the problems

COLUMNS = (
    "theme_code",
    "theme",
    "outcome_code",
    "outcome",
    "measure_code",
    "measure",
    "unit",
    "proxy_value_gbp",
)
SHIPPED_FRAMEWORK = Path(__file__).with_name("framework.csv")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_TEXT = 300
MAX_MEASURES = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RowError:
    """One problem found in an uploaded file, tied to its spreadsheet row.

    ``message`` is an English template marked for translation and ``params``
    the values for its placeholders: show it with
    ``_(error.message, **error.params)``.
    """

    row: int
    message: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, row: int, problem: Problem) -> "RowError":
        return cls(row, problem.message, dict(problem.params))

    def render(self, gettext: Callable[..., str] | None = None) -> str:
        """The message without the row number, through ``gettext`` when given."""
        return Problem(self.message, self.params).render(gettext)

    def __str__(self) -> str:
        return f"row {self.row}: {self.render()}"


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
            raise ProblemError(_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again")) from None
    return source.removeprefix("\ufeff")


def read_rows(text: str, columns: tuple[str, ...], required: tuple[str, ...]):
    """Read CSV text into (row number, {column: cleaned cell}) pairs.

    Returns (rows, errors). Header problems come back as row 1 errors with no
    rows. Unknown columns are ignored; blank rows are skipped. Each cell has
    surrounding spaces removed and the apostrophe ``csv_cell`` adds taken off.
    """
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return [], [RowError(1, _("The file cannot be read as CSV: check it was saved as CSV"))]
    if not records:
        return [], [RowError(1, _("The file is empty"))]
    header = [cell.strip().lower() for cell in records[0]]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        return [], [
            RowError(
                1, _("Columns given more than once: %(columns)s"), {"columns": ", ".join(shown(c) for c in repeated)}
            )
        ]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [RowError(1, _("Columns missing from the header row: %(columns)s"), {"columns": ", ".join(missing)})]
    index = {name: header.index(name) for name in columns if name in header}
    rows, errors = [], []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if any(cell.strip() for cell in record[len(header) :]):
            errors.append(RowError(number, _("The row has more cells than the header row")))
            continue
        rows.append(
            (number, {name: csv_unsafe(record[i].strip()) if i < len(record) else "" for name, i in index.items()})
        )
    return rows, errors


def check_text(value: str, column: str, *, required: bool = True) -> Problem | None:
    """The reason a text cell is unacceptable, or None if it is fine."""
    if not value:
        return Problem(_("%(column)s is empty"), {"column": column}) if required else None
    if len(value) > MAX_TEXT:
        return Problem(_("%(column)s is longer than %(most)d characters"), {"column": column, "most": MAX_TEXT})
    if _CONTROL.search(value):
        return Problem(_("%(column)s contains a line break or control character"), {"column": column})
    return None


def _check_code(value: str, column: str) -> Problem | None:
    if not value:
        return Problem(_("%(column)s is empty"), {"column": column})
    if not CODE_PATTERN.match(value):
        return Problem(
            _("%(column)s “%(value)s” is not a valid code: use letters, digits, “.”, “-” or “_”, up to 32 characters"),
            {"column": column, "value": shown(value)},
        )
    return None


def check_framework_csv(source: str | bytes) -> tuple[Framework | None, list[RowError]]:
    """Validate a framework file row by row. Returns (framework, []) or (None, errors)."""
    try:
        text = decode_csv(source)
    except ProblemError as exc:
        return None, [RowError.of(1, exc.problem)]
    rows, errors = read_rows(text, COLUMNS, COLUMNS[:-1])
    if len(rows) > MAX_MEASURES:
        return None, [RowError(1, _("The file has more than %(most)d measures"), {"most": MAX_MEASURES})]
    themes: dict[str, tuple[Theme, int]] = {}
    outcomes: dict[str, tuple[Outcome, int]] = {}
    measures: dict[str, tuple[Measure, int]] = {}
    for number, cells in rows:
        problems = [
            p
            for p in (
                _check_code(cells["theme_code"], "theme_code"),
                check_text(cells["theme"], "theme"),
                _check_code(cells["outcome_code"], "outcome_code"),
                check_text(cells["outcome"], "outcome"),
                _check_code(cells["measure_code"], "measure_code"),
                check_text(cells["measure"], "measure"),
                check_text(cells["unit"], "unit"),
            )
            if p
        ]
        if problems:
            errors.extend(RowError.of(number, p) for p in problems)
            continue
        proxy = None
        if cells.get("proxy_value_gbp"):
            try:
                proxy = parse_pence(cells["proxy_value_gbp"], "proxy_value_gbp")
            except NumberError as exc:
                problems.append(exc.problem)
        theme = Theme(cells["theme_code"], cells["theme"])
        outcome = Outcome(cells["outcome_code"], cells["outcome"], theme.code)
        measure = Measure(cells["measure_code"], cells["measure"], cells["unit"], outcome.code, theme.code, proxy)
        seen_theme = themes.setdefault(theme.code, (theme, number))
        seen_outcome = outcomes.setdefault(outcome.code, (outcome, number))
        if seen_theme[0] != theme:
            problems.append(
                Problem(
                    _("theme_code “%(code)s” is named “%(name)s” on row %(other_row)d"),
                    {"code": shown(theme.code), "name": shown(seen_theme[0].name), "other_row": seen_theme[1]},
                )
            )
        if seen_outcome[0].theme_code != theme.code:
            problems.append(
                Problem(
                    _("outcome_code “%(code)s” is under theme “%(theme)s” on row %(other_row)d"),
                    {
                        "code": shown(outcome.code),
                        "theme": shown(seen_outcome[0].theme_code),
                        "other_row": seen_outcome[1],
                    },
                )
            )
        elif seen_outcome[0] != outcome:
            problems.append(
                Problem(
                    _("outcome_code “%(code)s” is named “%(name)s” on row %(other_row)d"),
                    {"code": shown(outcome.code), "name": shown(seen_outcome[0].name), "other_row": seen_outcome[1]},
                )
            )
        if measure.code in measures:
            problems.append(
                Problem(
                    _("measure_code “%(code)s” is already used on row %(other_row)d"),
                    {"code": shown(measure.code), "other_row": measures[measure.code][1]},
                )
            )
        if problems:
            errors.extend(RowError.of(number, p) for p in problems)
            continue
        measures[measure.code] = (measure, number)
    if not errors and not measures:
        errors.append(RowError(1, _("The file has no measures")))
    if errors:
        return None, sorted(errors, key=lambda e: e.row)
    return Framework(
        themes=tuple(t for t, _row in themes.values()),
        outcomes=tuple(o for o, _row in outcomes.values()),
        measures=tuple(m for m, _row in measures.values()),
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
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    theme.code,
                    theme.name,
                    outcome.code,
                    outcome.name,
                    m.code,
                    m.name,
                    m.unit,
                    proxy,
                )
            ]
        )
    return out.getvalue()
