"""Every hook is documented, implemented by the dummy plugin, and exercised by a test."""

import ast
import inspect
from pathlib import Path

import pytest

from coproduce import hookspecs
from tests.dummy_plugin import hooks as dummy_hooks

REPO = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name
    for name, value in vars(hookspecs).items()
    if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
)


def signature(name: str) -> str:
    return f"{name}{inspect.signature(getattr(hookspecs, name))}"


def hooks_marked_in_tests() -> set[str]:
    """Names given to @pytest.mark.hook("...") anywhere in the test files."""
    marked = set()
    files = list((REPO / "tests").rglob("test_*.py")) + list((REPO / "plugins").glob("*/tests/test_*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "hook"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                marked.add(node.args[0].value)
    return marked


def test_the_hook_list_is_the_one_in_the_design():
    assert len(HOOKS) == 19
    assert {"register_blueprints", "nav_items", "project_panels", "health_checks"} <= set(HOOKS)


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented_with_its_signature(name):
    docs = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"`{signature(name)}`" in docs, f"docs/plugins.md does not show `{signature(name)}`"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_implemented_by_the_dummy_plugin(name):
    assert hasattr(dummy_hooks, name), f"tests/dummy_plugin/hooks.py does not implement {name}"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_exercised_by_a_test(name):
    assert name in hooks_marked_in_tests(), f'no test is marked @pytest.mark.hook("{name}")'


def test_hook_docstrings_say_what_each_argument_is():
    for name in HOOKS:
        function = getattr(hookspecs, name)
        doc = inspect.getdoc(function) or ""
        for argument in inspect.signature(function).parameters:
            assert f"{argument}:" in doc, f"{name} does not explain its argument {argument}"
