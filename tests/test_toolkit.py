"""The plugin toolkit: one surface, documented name for name, and one CSV rule for every export."""

from __future__ import annotations

import ast
import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import coproduce.plugins as toolkit
from coproduce.plugins import csv_cell, csv_lines, csv_text, csv_unsafe

REPO = Path(__file__).resolve().parent.parent


def test_docs_list_every_toolkit_name_and_nothing_else():
    docs = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    table = docs.split("<!-- toolkit -->", 1)[1].split("<!-- /toolkit -->", 1)[0]
    named = {name for row in table.splitlines()[2:] for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert named == set(toolkit.__all__)
    assert all(hasattr(toolkit, name) for name in toolkit.__all__)


def test_the_toolkit_module_only_re_exports():
    tree = ast.parse((REPO / "core" / "plugins.py").read_text(encoding="utf-8"))
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "Import", "Assign"}, (
        "coproduce.plugins holds code; move it to its own module"
    )


def test_plugins_import_only_the_toolkit_from_core():
    offenders = []
    for path in sorted((REPO / "plugins").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "coproduce":
                allowed = node.module == "coproduce.plugins" or (
                    "tests" in path.parts and node.module.startswith("coproduce.testing")
                )
                if not allowed:
                    offenders.append(f"{path.relative_to(REPO)}: from {node.module}")
    assert offenders == []


def test_view_modules_do_not_borrow_each_others_private_helpers():
    offenders = []
    for path in sorted((REPO / "plugins").glob("*/views*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and ".views" in node.module:
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert offenders == []


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+A1",
        "-2+3",
        "@SUM(A1)",
        "\t=x",
        "\r=x",
        "\n=x",
        " =HYPERLINK(1)",
        "\u00a0=cmd",
        "\uff1d1+1",
        "\u3000+x",
        "\u200b=x",
        "-1+A1",
    ],
)
def test_formula_text_is_shown_as_text(text):
    assert csv_cell(text) == "'" + text
    assert csv_unsafe(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["Plain text", "'quoted", "-1.5", "+44", "12", "a=b", ""])
def test_ordinary_text_and_plain_numbers_are_left_alone(text):
    assert csv_cell(text) == text
    assert csv_unsafe(text) == text


def test_numbers_and_empty_cells():
    from decimal import Decimal

    assert [csv_cell(v) for v in (None, -5, Decimal("-1.50"), 2.5, True)] == ["", "-5", "-1.50", "2.5", "True"]


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=5))
def test_a_file_read_back_gives_the_cells_and_no_cell_can_run(rows):
    text = csv_text(["h"] * 4, rows)
    assert text == "".join(csv_lines(["h"] * 4, rows))
    read = list(csv.reader(io.StringIO(text, newline="")))[1:]
    for written, original in zip(read, rows):
        assert [csv_unsafe(cell) for cell in written] == [str(c) for c in original]
        for cell in written:
            visible = unicodedata.normalize("NFKC", cell).lstrip().lstrip("\u200b\u200c\u200d\u2060\ufeff")
            if (
                visible[:1]
                and visible[0] in "=+-@"
                and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", visible)
            ):
                assert cell.startswith("'"), cell
