"""The readiness questionnaire as data: load, validate, convert to and from dicts, extract texts.

Flask-free. The standard questionnaire is questionnaire.toml next to this file; a team's
adapted copy is stored as JSON and goes through questionnaire_from_dict, so both meet the
same rules. Every problem raises QuestionnaireError with one line naming the file (or the
stored copy) and, for files, the line: "questionnaire.toml line 42: question ...".
Texts stay English source strings (gettext msgids); views translate them.
"""
from __future__ import annotations

import functools
import json
import math
import re
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator, NamedTuple, NoReturn

RUNGS = ("informing", "consulting", "involving", "co_designing", "co_producing")
STANDARD_PATH = Path(__file__).with_name("questionnaire.toml")
MIN_QUESTIONS, MAX_QUESTIONS = 3, 5
MIN_OPTIONS, MIN_BANDS = 2, 3
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class QuestionnaireError(Exception):
    """A questionnaire (file or stored copy) that breaks the rules. str() is one line."""

    def __init__(self, message: str, *, source: str, line: int | None = None):
        self.message, self.source, self.line = message, source, line
        super().__init__(f"{source} line {line}: {message}" if line else f"{source}: {message}")


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


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    intro: str
    easy_read_intro: str
    rungs: tuple[Rung, ...]
    dimensions: tuple[Dimension, ...]

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


# -- reading TOML with line numbers (scenarios.py uses these too) -------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY_LINE = re.compile(rf"\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_HEADER_LINE = re.compile(r"\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")


def _key_parts(key: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in re.findall(_KEY, key))


class LineMap:
    """Best-effort map from a data path such as ("dimensions", 2, "questions", 0, "id")
    to the line it is written on, for tables, arrays of tables and key = value lines."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        table: tuple = ()
        closing = None
        for number, line in enumerate(text.splitlines(), 1):
            if closing:  # inside a multi-line string
                closing = None if closing in line else closing
                continue
            header = _HEADER_LINE.match(line) if line.lstrip().startswith("[") else None
            if header:
                parts = _key_parts(header.group(2))
                table = self._resolve(parts[:-1], counts) + parts[-1:]
                if header.group(1) == "[[":
                    self.lines.setdefault(table, number)  # the array itself: its first header
                    counts[table] = counts.get(table, 0) + 1
                    table += (counts[table] - 1,)
                self.lines.setdefault(table, number)
            elif key := _KEY_LINE.match(line):
                self.lines.setdefault(table + _key_parts(key.group(1)), number)
                rest = line[key.end():]
                closing = next((q for q in ('"""', "'''") if rest.count(q) % 2), None)

    @staticmethod
    def _resolve(parts: tuple, counts: dict) -> tuple:
        path: tuple = ()
        for part in parts:
            path += (part,)
            if path in counts:
                path += (counts[path] - 1,)
        return path

    def line_for(self, path: tuple) -> int:
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def read_toml(text: str, source: str, error: type[QuestionnaireError] = QuestionnaireError):
    """Parse TOML text; a syntax error raises `error` with tomllib's own line number."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(exc))
        if found:
            reason, line = f"{str(exc)[:found.start()]} (column {found.group(2)})", int(found.group(1))
        else:
            reason, line = re.sub(r"\s*\(at end of document\)$", " (at the end of the file)", str(exc)), text.count("\n") + 1
        raise error(f"TOML syntax error: {reason}", source=source, line=line) from None
    return data, LineMap(text)


class Checker:
    """Shared validation helpers; `fail` turns a data path into the error's line."""

    def __init__(self, source: str, lines: LineMap | None = None, error=QuestionnaireError):
        self.source, self.lines, self.error = source, lines, error

    def fail(self, path: tuple, message: str) -> NoReturn:
        raise self.error(message, source=self.source, line=self.lines.line_for(path) if self.lines else None)

    @staticmethod
    def name(raw: Any, path: tuple, kind: str, where: str = "") -> str:
        """'question "power-3"' when the table has a text id, else 'question 3 of dimension "power"'."""
        if isinstance(raw, dict) and isinstance(raw.get("id"), str) and ID_RE.fullmatch(raw["id"]):
            return f'{kind} "{raw["id"]}"'
        return f"{kind} {path[-1] + 1}{where}"

    def table(self, value: Any, path: tuple, what: str, required: tuple, optional: tuple = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"{what} must be a table of fields")
        for key in value:
            if key not in required + optional:
                self.fail(path + (key,), f'{what} has an unknown field "{key}" (allowed: {", ".join(required + optional)})')
        for key in required:
            if key not in value:
                self.fail(path, f'{what} has no "{key}"')
        return value

    def texts(self, table: dict, path: tuple, what: str, *keys: str) -> list[str]:
        for key in keys:
            if not isinstance(table[key], str) or not table[key].strip():
                self.fail(path + (key,), f'{what} has an empty or non-text "{key}"')
        return [table[key] for key in keys]

    def ident(self, table: dict, path: tuple, kind: str, where: str, seen: dict, label: str) -> str:
        """Check table["id"] is well formed and not in `seen`; then record it there as `label`."""
        value, what = table["id"], f"{kind} {path[-1] + 1}{where}"
        if not isinstance(value, str) or not ID_RE.fullmatch(value):
            self.fail(path + ("id",), f"{what} has id {value!r}: use 1-40 lower-case letters, digits, - or _")
        if value in seen:
            first_label, first_path = seen[value]
            at = f" at line {self.lines.line_for(first_path)}" if self.lines else ""
            self.fail(path + ("id",), f'{what} has id "{value}", already used by {first_label}{at}')
        seen[value] = (label, path + ("id",))
        return value

    def array(self, table: dict, key: str, path: tuple, what: str, low: int, high: int | None = None) -> list:
        items = table[key]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(path + (key,), f'{what} "{key}" must be a list of tables')
        if len(items) < low or (high is not None and len(items) > high):
            wanted = f"{low} to {high}" if high is not None else f"at least {low}"
            self.fail(path, f"{what} has {len(items)} {key}, needs {wanted}")
        return items


# -- validation and building --------------------------------------------------------

def _rungs(c: Checker, data: dict) -> tuple[Rung, ...]:
    rungs = []
    for i, raw in enumerate(c.array(data, "rungs", (), "the questionnaire", len(RUNGS), len(RUNGS))):
        path, what = ("rungs", i), f"rung {i + 1}"
        c.table(raw, path, what, ("id", "label", "description", "easy_read"))
        if raw["id"] != RUNGS[i]:
            c.fail(path + ("id",), f'{what} has id {raw["id"]!r}, expected "{RUNGS[i]}" (rungs: {", ".join(RUNGS)}, in that order)')
        rungs.append(Rung(RUNGS[i], *c.texts(raw, path, f'rung "{RUNGS[i]}"', "label", "description", "easy_read")))
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
    c.table(raw, path, what, ("id", "text", "easy_read", "options"), ("weight",))
    qid = c.ident(raw, path, "question", f' of dimension "{did}"', seen, f'a question in dimension "{did}"')
    weight = raw.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
        c.fail(path + ("weight",), f"{what} has weight {weight!r}: use a number more than 0")
    texts, option_ids = c.texts(raw, path, what, "text", "easy_read"), {}
    options = [_option(c, o, path + ("options", i), qid, option_ids)
               for i, o in enumerate(c.array(raw, "options", path, what, MIN_OPTIONS))]
    return Question(qid, *texts, tuple(options), weight)


def _band(c: Checker, raw: dict, path: tuple, did: str, seen: dict, expected_min: int) -> GuidanceBand:
    what = c.name(raw, path, f'dimension "{did}" guidance band')
    c.table(raw, path, what, ("id", "min", "max", "meaning", "misconception", "next_step"))
    c.ident(raw, path, f'dimension "{did}" guidance band', "", seen, "an earlier band")
    for key in ("min", "max"):
        if isinstance(raw[key], bool) or not isinstance(raw[key], int):
            c.fail(path + (key,), f"{what} {key} must be a whole number")
    if raw["min"] != expected_min:
        c.fail(path + ("min",), f"{what} starts at {raw['min']}, expected {expected_min} "
                                "(bands must run from 0 to 100 in order, with no gaps or overlaps)")
    if not raw["min"] <= raw["max"] <= 100:
        c.fail(path + ("max",), f"{what} ends at {raw['max']}, must be from {raw['min']} to 100")
    return GuidanceBand(raw["id"], raw["min"], raw["max"], *c.texts(raw, path, what, "meaning", "misconception", "next_step"))


def _dimension(c: Checker, raw: dict, path: tuple, seen: dict, question_ids: dict) -> Dimension:
    what = c.name(raw, path, "dimension")
    c.table(raw, path, what, ("id", "title", "summary", "easy_read", "questions", "guidance"))
    did = c.ident(raw, path, "dimension", "", seen, "an earlier dimension")
    texts = c.texts(raw, path, what, "title", "summary", "easy_read")
    questions = [_question(c, q, path + ("questions", i), did, question_ids)
                 for i, q in enumerate(c.array(raw, "questions", path, what, MIN_QUESTIONS, MAX_QUESTIONS))]
    bands: list[GuidanceBand] = []
    band_ids: dict = {}
    for i, b in enumerate(c.array(raw, "guidance", path, what, MIN_BANDS)):
        bands.append(_band(c, b, path + ("guidance", i), did, band_ids, bands[-1].max + 1 if bands else 0))
    if bands[-1].max != 100:
        c.fail(path + ("guidance", len(bands) - 1, "max"), f"{what} guidance stops at {bands[-1].max}, must reach 100")
    return Dimension(did, *texts, tuple(questions), tuple(bands))


def _build(data: Any, c: Checker) -> Questionnaire:
    c.table(data, (), "the questionnaire", ("version", "title", "intro", "easy_read_intro", "rungs", "dimensions"))
    texts = c.texts(data, (), "the questionnaire", "version", "title", "intro", "easy_read_intro")
    seen: dict = {}
    question_ids: dict = {}
    rungs = _rungs(c, data)
    dimensions = [_dimension(c, d, ("dimensions", i), seen, question_ids)
                  for i, d in enumerate(c.array(data, "dimensions", (), "the questionnaire", 1))]
    return Questionnaire(*texts, rungs, tuple(dimensions))


def parse_questionnaire(text: str, source: str = "questionnaire.toml") -> Questionnaire:
    """Validate TOML text; errors name `source` and the line."""
    data, lines = read_toml(text, source)
    return _build(data, Checker(source, lines))


def load_questionnaire(path: str | Path = STANDARD_PATH) -> Questionnaire:
    """Read and validate a questionnaire file (the standard one by default)."""
    return parse_questionnaire(Path(path).read_text(encoding="utf-8"), str(path))


@functools.cache
def standard_questionnaire() -> Questionnaire:
    """The bundled standard questionnaire, loaded once per process."""
    return load_questionnaire(STANDARD_PATH)


def questionnaire_from_dict(data: dict, source: str = "stored questionnaire") -> Questionnaire:
    """Validate a stored (JSON) copy with the same rules as the file."""
    return _build(data, Checker(source))


def questionnaire_to_dict(q: Questionnaire) -> dict:
    """A plain, JSON-ready dict in the file's shape; questionnaire_from_dict reverses it."""
    return as_plain_dict(q)


def as_plain_dict(obj: Any) -> dict:
    """dataclasses.asdict with lists for tuples: equal to its own JSON round trip."""
    return json.loads(json.dumps(asdict(obj)))


# -- translatable texts -------------------------------------------------------------

TEXT_KEYS = frozenset({"title", "intro", "easy_read_intro", "label", "description", "easy_read", "summary",
                       "text", "meaning", "misconception", "next_step", "why"})


class Message(NamedTuple):
    text: str
    comment: str  # where the text is used, for translators: 'question "power-3", option "b", easy read'
    path: tuple  # the data path, e.g. ("dimensions", 1, "questions", 2, "text")


_KINDS = {"dimensions": "dimension", "questions": "question", "options": "option", "guidance": "guidance band",
          "rungs": "rung", "cards": "card", "choices": "choice"}


def iter_texts(data: Any, path: tuple = (), where: tuple = ()) -> Iterator[Message]:
    """Every translatable text in a questionnaire- or scenario-shaped dict, in order."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        kind = _KINDS.get(key, key)
        if key in TEXT_KEYS and isinstance(value, str):
            yield Message(value, ", ".join(where + (key.replace("_", " "),)), path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                name = item.get("id") if isinstance(item, dict) else None
                label = f'{kind} "{name}"' if isinstance(name, str) else f"{kind} {i + 1}"
                yield from iter_texts(item, path + (key, i), where + (label,))


def iter_messages(questionnaire: Questionnaire) -> Iterator[Message]:
    """Every translatable text of a questionnaire: (text, comment, path) tuples."""
    yield from iter_texts(questionnaire_to_dict(questionnaire))


def extract_toml_texts(fileobj, build, source: str):
    """Babel extractor body: validate with `build`, then yield (lineno, None, text, [comment])."""
    text = fileobj.read()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    build(text, source)  # a broken file fails extraction loudly, with its line
    data, lines = read_toml(text, source)
    for message in iter_texts(data):
        yield lines.line_for(message.path), None, message.text, [message.comment]


def extract_questionnaire(fileobj, keywords, comment_tags, options):
    """Babel extraction method. In babel.cfg (Babel splits a section name at its first colon,
    so name the function with dots, or declare it under [extractors]):

        [plugins.consultation_vs_coproduction.questionnaire.extract_questionnaire: **/questionnaire.toml]
    """
    yield from extract_toml_texts(fileobj, parse_questionnaire, getattr(fileobj, "name", "questionnaire.toml"))
