"""Reading data files in TOML with line numbers, shared checks, and their translatable texts. Flask-free.

questionnaire.py and scenarios.py build on these: a problem raises DataFileError (or a subclass)
whose str() is one line naming the file and, for files, the line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any, NamedTuple, NoReturn

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class DataFileError(Exception):
    """A data file (or stored copy) that breaks the rules. str() is one line."""

    def __init__(self, message: str, *, source: str, line: int | None = None):
        self.message, self.source, self.line = message, source, line
        super().__init__(f"{source} line {line}: {message}" if line else f"{source}: {message}")


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
                rest = line[key.end() :]
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


def read_toml(text: str, source: str, error: type[DataFileError] = DataFileError):
    """Parse TOML text; a syntax error raises `error` with tomllib's own line number."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(exc))
        if found:
            reason, line = f"{str(exc)[: found.start()]} (column {found.group(2)})", int(found.group(1))
        else:
            reason, line = (
                re.sub(r"\s*\(at end of document\)$", " (at the end of the file)", str(exc)),
                text.count("\n") + 1,
            )
        raise error(f"TOML syntax error: {reason}", source=source, line=line) from None
    return data, LineMap(text)


class Checker:
    """Shared validation helpers; `fail` turns a data path into the error's line."""

    def __init__(self, source: str, lines: LineMap | None = None, error=DataFileError):
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
                self.fail(
                    path + (key,), f'{what} has an unknown field "{key}" (allowed: {", ".join(required + optional)})'
                )
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


def as_plain_dict(obj: Any) -> dict:
    """dataclasses.asdict with lists for tuples: equal to its own JSON round trip."""
    return json.loads(json.dumps(asdict(obj)))


# -- translatable texts -------------------------------------------------------------

TEXT_KEYS = frozenset(
    {
        "title",
        "intro",
        "easy_read_intro",
        "label",
        "description",
        "easy_read",
        "resident_text",
        "summary",
        "text",
        "meaning",
        "misconception",
        "next_step",
        "why",
    }
)


class Message(NamedTuple):
    text: str
    comment: str  # where the text is used, for translators: 'question "power-3", option "b", easy read'
    path: tuple  # the data path, e.g. ("dimensions", 1, "questions", 2, "text")


_KINDS = {
    "dimensions": "dimension",
    "questions": "question",
    "options": "option",
    "guidance": "guidance band",
    "rungs": "rung",
    "cards": "card",
    "choices": "choice",
}


def iter_texts(data: Any, path: tuple = (), where: tuple = ()) -> Iterator[Message]:
    """Every translatable text in a questionnaire- or scenario-shaped dict, in order."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        kind = _KINDS.get(key, key)
        if key in TEXT_KEYS and isinstance(value, str) and value:
            yield Message(value, ", ".join(where + (key.replace("_", " "),)), path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                name = item.get("id") if isinstance(item, dict) else None
                label = f'{kind} "{name}"' if isinstance(name, str) else f"{kind} {i + 1}"
                yield from iter_texts(item, path + (key, i), where + (label,))


def extract_toml_texts(fileobj, build, source: str):
    """Babel extractor body: validate with `build`, then yield (lineno, None, text, [comment])."""
    text = fileobj.read()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    build(text, source)  # a broken file fails extraction loudly, with its line
    data, lines = read_toml(text, source)
    for message in iter_texts(data):
        yield lines.line_for(message.path), None, message.text, [message.comment]
