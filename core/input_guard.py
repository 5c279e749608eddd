"""The one input layer every request passes before any view: ids in URLs bounded to what the database
holds, and requests carrying characters or sizes no person sends refused with the site's 400 page.

What is refused, and why it is refused here rather than in each form:
- NUL and other control characters in the path, the query string, form fields and header values
  (PostgreSQL refuses NUL in text; CR and LF would end up in Location headers and log lines);
- a path segment longer than any file name (the file system raises on it when a static file is looked up);
- query values that are whole numbers beyond a database integer (page numbers, ids);
- more than MAX_QUERY_ARGS query parameters, or one longer than MAX_QUERY_VALUE;
- header values longer than MAX_HEADER_VALUE;
- JSON bodies that do not parse, nest deeper than MAX_JSON_DEPTH, or hold NUL in a string.
"""

from __future__ import annotations

import json
import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, ValidationError

#: The largest id or number a URL may carry: PostgreSQL's `integer` (SQLite's is larger).
MAX_ID = 2**31 - 1
MAX_QUERY_ARGS = 100
MAX_QUERY_VALUE = 4096
MAX_HEADER_VALUE = 8192
MAX_JSON_DEPTH = 32
#: No file system takes a name longer than this (in bytes), and no slug, code or token is near it.
MAX_SEGMENT_BYTES = 255
#: C0 control characters and DEL; tab is allowed in form fields (pasted text), nowhere else.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_FIELDS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What int() reads as a whole number (it also takes underscores and non-ASCII digits).
_WHOLE_NUMBER = re.compile(r"^\s*[+-]?\d[\d_]*\s*$")
#: Query parameters that hold free text a person typed (a search may be a long number).
FREE_TEXT_ARGS = frozenset({"q"})


class BoundedIntConverter(IntegerConverter):
    """The `int` URL converter, refusing (404) numbers too large for a database integer column
    and digit strings too long for int() to read."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)
        self.max = MAX_ID if self.max is None or self.max > MAX_ID else self.max

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)) + 1:
            raise ValidationError()
        return super().to_python(value)


def out_of_range(value: str) -> bool:
    """A whole number (as int() would read it) beyond a database integer."""
    if not _WHOLE_NUMBER.match(value):
        return False
    digits = value.strip().lstrip("+-").replace("_", "")
    if len(digits) > 12:
        return True
    try:
        return abs(int(digits)) > MAX_ID
    except ValueError:
        return True


def json_depth_exceeds(value, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the parsed JSON nests deeper than limit (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _json_has_nul(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _check_json() -> None:
    if not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data:
        return
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's own limit
        abort(400)
    if json_depth_exceeds(parsed) or _json_has_nul(parsed):
        abort(400)
    request._cached_json = (parsed, parsed)  # what get_json() returns, without parsing again


def header_refused(value: str) -> bool:
    """A header value no browser sends: longer than MAX_HEADER_VALUE, or holding NUL, CR or LF."""
    return len(value) > MAX_HEADER_VALUE or "\x00" in value or "\r" in value or "\n" in value


def check_request(_endpoint=None, _values=None) -> None:
    """Refuse (400) what no browser or honest client sends. Runs as the first URL value preprocessor,
    so before the team is looked up from the URL and before every before_request function."""
    if _CONTROL.search(request.path):
        abort(400)
    if any(len(segment.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES for segment in request.path.split("/")):
        abort(400)
    args = request.args
    if len(args) > MAX_QUERY_ARGS:
        abort(400)
    for name, value in args.items(multi=True):
        if len(value) > MAX_QUERY_VALUE or _CONTROL.search(name) or _CONTROL.search(value):
            abort(400)
        if name not in FREE_TEXT_ARGS and out_of_range(value):
            abort(400)
        if name == "next" and "\\" in value:
            abort(400)  # browsers read "/\evil.example" as "//evil.example": another site
    if any(header_refused(value) for value in request.headers.values()):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in request.form.items(multi=True):
                if _CONTROL_IN_FIELDS.search(name) or _CONTROL_IN_FIELDS.search(value):
                    abort(400)
        _check_json()


def init_input_guard(app: Flask) -> None:
    """Call before any route is added: rules take their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["id"] = BoundedIntConverter
    app.url_value_preprocessor(check_request)
