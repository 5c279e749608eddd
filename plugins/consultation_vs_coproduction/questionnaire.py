"""The readiness questionnaire as data: load, validate, convert to and from dicts, extract texts.

Flask-free. The standard questionnaire is questionnaire.toml next to this file; a team's
adapted copy is stored as JSON and goes through questionnaire_from_dict, so both meet the
same rules. Every problem raises QuestionnaireError with one line naming the file (or the
stored copy) and, for files, the line: "questionnaire.toml line 42: question ...".
Texts stay English source strings (gettext msgids); views translate them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The generic helpers live in toml_rules.py; they are re-exported here for older imports.
from .toml_rules import (  # noqa: F401
    ID_RE,
    TEXT_KEYS,
    Checker,
    DataFileError,
    LineMap,
    Message,
    as_plain_dict,
    extract_toml_texts,
    iter_texts,
    read_toml,
)

RUNGS = ("informing", "consulting", "involving", "co_designing", "co_producing")
STANDARD_PATH = Path(__file__).with_name("questionnaire.toml")
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
MIN_OPTIONS, MIN_BANDS = 2, 3
# Scoring rules (scoring.py): 1 = the first rules (a plain weighted mean); 2 = the ladder is earned
# (minimum evidence, caps by the dimensions that define a rung, guidance per rung).
RULES = (1, 2)
CURRENT_RULES = 2
# Under rules 2 the guidance bands of every dimension are the rungs, on these score ranges.
RUNG_BANDS = (
    ("informing", 0, 12),
    ("consulting", 13, 37),
    ("involving", 38, 62),
    ("co_designing", 63, 87),
    ("co_producing", 88, 100),
)


class QuestionnaireError(DataFileError):
    """A questionnaire (file or stored copy) that breaks the rules. str() is one line."""


@dataclass(frozen=True)
class Option:
    id: str
    rung: str
    text: str
    easy_read: str

    @property
    def value(self) -> int:
        return RUNGS.index(self.rung)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    easy_read: str
    options: tuple[Option, ...]
    weight: int | float = 1
    resident_text: str = ""  # the question for people outside the council, about what they saw

    def text_for(self, audience: str) -> str:
        """The question's wording for "staff" (staff and councillors) or "resident" (everyone else)."""
        return self.resident_text if audience == "resident" and self.resident_text else self.text

    def option(self, option_id: str) -> Option:
        return _by_id(self.options, option_id)


@dataclass(frozen=True)
class GuidanceBand:
    id: str
    min: int
    max: int
    meaning: str
    misconception: str
    next_step: str


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    summary: str
    easy_read: str
    questions: tuple[Question, ...]
    guidance: tuple[GuidanceBand, ...]

    def band_for(self, score: int) -> GuidanceBand:
        return next(b for b in self.guidance if b.min <= score <= b.max)


@dataclass(frozen=True)
class Rung:
    id: str
    label: str
    description: str
    easy_read: str
    next_step: str = ""  # rules 2: what would move the work up from here (top rung: how to stay)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    intro: str
    easy_read_intro: str
    rungs: tuple[Rung, ...]
    dimensions: tuple[Dimension, ...]
    rules: int = 1

    def dimension(self, dimension_id: str) -> Dimension:
        return _by_id(self.dimensions, dimension_id)

    def question(self, question_id: str) -> Question:
        return _by_id([q for d in self.dimensions for q in d.questions], question_id)

    def rung(self, rung_id: str) -> Rung:
        return _by_id(self.rungs, rung_id)


def _by_id(items, item_id):
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)


# -- validation and building --------------------------------------------------------


def _rungs(c: Checker, data: dict, rules: int) -> tuple[Rung, ...]:
    rungs = []
    for i, raw in enumerate(c.array(data, "rungs", (), "the questionnaire", len(RUNGS), len(RUNGS))):
        path, what = ("rungs", i), f"rung {i + 1}"
        step = ("next_step",)
        c.table(
            raw,
            path,
            what,
            ("id", "label", "description", "easy_read") + (step if rules >= 2 else ()),
            () if rules >= 2 else step,
        )
        if raw["id"] != RUNGS[i]:
            c.fail(
                path + ("id",),
                f'{what} has id {raw["id"]!r}, expected "{RUNGS[i]}" (rungs: {", ".join(RUNGS)}, in that order)',
            )
        keys = ("label", "description", "easy_read") + (("next_step",) if rules >= 2 else ())
        rungs.append(Rung(RUNGS[i], *c.texts(raw, path, f'rung "{RUNGS[i]}"', *keys)))
    return tuple(rungs)


def _option(c: Checker, raw: dict, path: tuple, qid: str, seen: dict) -> Option:
    what = c.name(raw, path, f'question "{qid}" option')
    c.table(raw, path, what, ("id", "rung", "text", "easy_read"))
    c.ident(raw, path, f'question "{qid}" option', "", seen, "an earlier option")
    if raw["rung"] not in RUNGS:
        c.fail(path + ("rung",), f'{what} has rung "{raw["rung"]}", allowed: {", ".join(RUNGS)}')
    return Option(raw["id"], raw["rung"], *c.texts(raw, path, what, "text", "easy_read"))


def _question(c: Checker, raw: dict, path: tuple, did: str, seen: dict) -> Question:
    what = c.name(raw, path, "question", f' of dimension "{did}"')
    c.table(raw, path, what, ("id", "text", "easy_read", "options"), ("weight", "resident_text"))
    qid = c.ident(raw, path, "question", f' of dimension "{did}"', seen, f'a question in dimension "{did}"')
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
        c.fail(path + ("weight",), f"{what} has weight {weight!r}: use a number more than 0")
    texts, option_ids = c.texts(raw, path, what, "text", "easy_read"), {}
    options = [
        _option(c, o, path + ("options", i), qid, option_ids)
        for i, o in enumerate(c.array(raw, "options", path, what, MIN_OPTIONS))
    ]
    resident = c.texts(raw, path, what, "resident_text")[0] if raw.get("resident_text") not in (None, "") else ""
    return Question(qid, *texts, tuple(options), weight, resident)


def _band(c: Checker, raw: dict, path: tuple, did: str, seen: dict, expected_min: int) -> GuidanceBand:
    what = c.name(raw, path, f'dimension "{did}" guidance band')
    c.table(raw, path, what, ("id", "min", "max", "meaning", "misconception", "next_step"))
    c.ident(raw, path, f'dimension "{did}" guidance band', "", seen, "an earlier band")
    for key in ("min", "max"):
        if isinstance(raw[key], bool) or not isinstance(raw[key], int):
            c.fail(path + (key,), f"{what} {key} must be a whole number")
    if raw["min"] != expected_min:
        c.fail(
            path + ("min",),
            f"{what} starts at {raw['min']}, expected {expected_min} "
            "(bands must run from 0 to 100 in order, with no gaps or overlaps)",
        )
    if not raw["min"] <= raw["max"] <= 100:
        c.fail(path + ("max",), f"{what} ends at {raw['max']}, must be from {raw['min']} to 100")
    return GuidanceBand(
        raw["id"], raw["min"], raw["max"], *c.texts(raw, path, what, "meaning", "misconception", "next_step")
    )


def _dimension(c: Checker, raw: dict, path: tuple, seen: dict, question_ids: dict, rules: int) -> Dimension:
    what = c.name(raw, path, "dimension")
    c.table(raw, path, what, ("id", "title", "summary", "easy_read", "questions", "guidance"))
    did = c.ident(raw, path, "dimension", "", seen, "an earlier dimension")
    texts = c.texts(raw, path, what, "title", "summary", "easy_read")
    questions = [
        _question(c, q, path + ("questions", i), did, question_ids)
        for i, q in enumerate(c.array(raw, "questions", path, what, MIN_QUESTIONS, MAX_QUESTIONS))
    ]
    bands: list[GuidanceBand] = []
    band_ids: dict = {}
    for i, b in enumerate(c.array(raw, "guidance", path, what, MIN_BANDS)):
        bands.append(_band(c, b, path + ("guidance", i), did, band_ids, bands[-1].max + 1 if bands else 0))
    if bands[-1].max != 100:
        c.fail(path + ("guidance", len(bands) - 1, "max"), f"{what} guidance stops at {bands[-1].max}, must reach 100")
    if rules >= 2 and [(b.id, b.min, b.max) for b in bands] != list(RUNG_BANDS):
        expected = ", ".join(f"{r} {lo}-{hi}" for r, lo, hi in RUNG_BANDS)
        c.fail(path + ("guidance",), f"{what} guidance must have one band per rung under rules {rules}: {expected}")
    return Dimension(did, *texts, tuple(questions), tuple(bands))


def _build(data: Any, c: Checker) -> Questionnaire:
    c.table(
        data,
        (),
        "the questionnaire",
        ("version", "title", "intro", "easy_read_intro", "rungs", "dimensions"),
        ("rules",),
    )
    texts = c.texts(data, (), "the questionnaire", "version", "title", "intro", "easy_read_intro")
    rules = data.get("rules", 1)
    if isinstance(rules, bool) or rules not in RULES:
        c.fail(("rules",), f"the questionnaire has rules {rules!r}, allowed: {', '.join(map(str, RULES))}")
    seen: dict = {}
    question_ids: dict = {}
    rungs = _rungs(c, data, rules)
    dimensions = [
        _dimension(c, d, ("dimensions", i), seen, question_ids, rules)
        for i, d in enumerate(c.array(data, "dimensions", (), "the questionnaire", 1))
    ]
    return Questionnaire(*texts, rungs, tuple(dimensions), rules)


def parse_questionnaire(text: str, source: str = "questionnaire.toml") -> Questionnaire:
    """Validate TOML text; errors name `source` and the line."""
    data, lines = read_toml(text, source, QuestionnaireError)
    return _build(data, Checker(source, lines, QuestionnaireError))


def load_questionnaire(path: str | Path = STANDARD_PATH) -> Questionnaire:
    """Read and validate a questionnaire file (the standard one by default)."""
    return parse_questionnaire(Path(path).read_text(encoding="utf-8"), str(path))


@functools.cache
def standard_questionnaire() -> Questionnaire:
    """The bundled standard questionnaire, loaded once per process."""
    return load_questionnaire(STANDARD_PATH)


def questionnaire_from_dict(data: dict, source: str = "stored questionnaire") -> Questionnaire:
    """Validate a stored (JSON) copy with the same rules as the file."""
    return _build(data, Checker(source, None, QuestionnaireError))


def questionnaire_to_dict(q: Questionnaire) -> dict:
    """A plain, JSON-ready dict in the file's shape; questionnaire_from_dict reverses it."""
    return as_plain_dict(q)


# -- translatable texts -------------------------------------------------------------


def iter_messages(questionnaire: Questionnaire) -> Iterator[Message]:
    """Every translatable text of a questionnaire: (text, comment, path) tuples."""
    yield from iter_texts(questionnaire_to_dict(questionnaire))


def extract_questionnaire(fileobj, keywords, comment_tags, options):
    """Babel extraction method. In babel.cfg (Babel splits a section name at its first colon,
    so name the function with dots, or declare it under [extractors]):

        [coproduce_plugins.consultation_vs_coproduction.questionnaire.extract_questionnaire: **/questionnaire.toml]
    """
    yield from extract_toml_texts(fileobj, parse_questionnaire, getattr(fileobj, "name", "questionnaire.toml"))
