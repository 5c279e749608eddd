"""Translations are complete, and no template or view shows a string outside gettext."""

import ast
import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import i18n  # noqa: E402  scripts/i18n.py

DOMAINS = i18n.domains()

# HTML that carries no words to translate: scripts, styles, code (cookie names) and postal addresses.
HIDDEN_BLOCKS = re.compile(r"<(script|style|code|address)\b.*?</\1>", re.S | re.I)
PLACEHOLDER = "\u00a7"
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
WORD = re.compile(r"[^\W\d_]{2,}")
VISIBLE_ATTRIBUTES = re.compile(r'\b(alt|title|aria-label|placeholder|value)="([^"]*)"')
# Names a person may see untranslated: the languages' own names are in their own language.
ALLOWED_WORDS = {"Cymraeg", "Polski", "English"}
SKIP_TEMPLATES = {"dummy_plugin"}


def template_files():
    roots = (
        [REPO / "core" / "templates"]
        + sorted((REPO / "plugins").glob("*/templates"))
        + sorted((REPO / "themes").glob("*/templates"))
    )
    return [p for root in roots for p in sorted(root.rglob("*.html"))]


def template_data(text: str) -> str:
    """The template's literal text, with every Jinja tag, expression and comment replaced by a mark."""
    from jinja2 import Environment

    parts = []
    for _, token, value in Environment(extensions=["jinja2.ext.i18n"]).lex(text):
        if token == "data":
            parts.append(value)
        elif token in ("variable_begin", "block_begin"):
            parts.append(PLACEHOLDER)
    return "".join(parts)


def untranslated_in_template(text: str) -> list[str]:
    found = []
    data = template_data(text)
    for name, value in VISIBLE_ATTRIBUTES.findall(data):
        if name != "value" and WORD.search(value):
            found.append(f'{name}="{value}"')
    stripped = TAG.sub(" ", HIDDEN_BLOCKS.sub(" ", data))
    for chunk in ENTITY.sub(" ", stripped).split("\n"):
        words = [w for w in WORD.findall(chunk) if w not in ALLOWED_WORDS]
        if words:
            found.append(chunk.strip())
    return found


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_template_text_goes_through_gettext(path):
    assert untranslated_in_template(path.read_text(encoding="utf-8")) == []


def test_the_template_check_catches_bare_text():
    assert untranslated_in_template("<p>Hello there</p>") == ["Hello there"]
    assert untranslated_in_template('<img alt="A logo" src="x">') == ['alt="A logo"']
    assert untranslated_in_template('<p>{{ _("Hello") }}</p><img alt="{{ _("Logo") }}">') == []


TEXT_CALLS = {"flash", "ValidationError", "Markup"}
FIELD_CLASSES = {
    "StringField",
    "PasswordField",
    "TextAreaField",
    "RadioField",
    "SelectField",
    "BooleanField",
    "SubmitField",
    "IntegerField",
    "DecimalField",
    "DateField",
    "FileField",
    "SelectMultipleField",
    "EmailField",
    "URLField",
    "HiddenField",
}
TEXT_KEYWORDS = {"message", "description", "label"}


def python_files():
    files = sorted((REPO / "core" / "views").glob("*.py")) + [REPO / "core" / "forms.py"]
    for plugin in sorted((REPO / "plugins").iterdir()):
        files += [p for p in (plugin / "views.py", plugin / "forms.py", plugin / "hooks.py") if p.exists()]
    return files


def is_bare_text(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(node.value)) and "<" not in node.value
    return isinstance(node, ast.JoinedStr)


def untranslated_in_python(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name in TEXT_CALLS | FIELD_CLASSES and node.args and is_bare_text(node.args[0]):
            found.append(f"line {node.lineno}: {name}({ast.unparse(node.args[0])})")
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS and is_bare_text(keyword.value):
                found.append(f"line {node.lineno}: {keyword.arg}={ast.unparse(keyword.value)}")
    return found


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_view_and_form_text_goes_through_gettext(path):
    assert untranslated_in_python(path.read_text(encoding="utf-8")) == []


def test_the_python_check_catches_bare_text():
    assert untranslated_in_python('flash("Saved")') == ["line 1: flash('Saved')"]
    assert untranslated_in_python('StringField("Name", validators=[InputRequired(message="Say")])') == [
        "line 1: StringField('Name')",
        "line 1: message='Say'",
    ]
    assert untranslated_in_python('flash(_("Saved"))') == []


@pytest.fixture(scope="module")
def fresh_templates(tmp_path_factory):
    """Extract every domain again now, so a string added without a translation is caught."""
    folder = tmp_path_factory.mktemp("pot")
    templates = {}
    for domain in DOMAINS:
        target = i18n.Domain(domain.name, domain.source, folder / domain.name)
        i18n.extract(target)
        with target.pot.open("rb") as handle:
            templates[domain.name] = read_po(handle)
    return templates


@pytest.mark.parametrize("locale", i18n.LOCALES)
@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_catalog_is_complete(domain, locale, fresh_templates):
    path = domain.po(locale)
    assert path.exists(), f"{path.relative_to(REPO)} is missing: run make i18n"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    template = fresh_templates[domain.name]
    missing = [
        (m.context, m.id) if m.context else m.id
        for m in template
        if m.id and not _translated(catalog.get(m.id, context=m.context))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    problems = [f"{m.id!r}: {errors}" for m, errors in catalog.check()]
    assert missing == [], f"{len(missing)} untranslated in {path.relative_to(REPO)}, e.g. {missing[:3]}"
    assert fuzzy == [], f"fuzzy in {path.relative_to(REPO)}: {fuzzy[:3]}"
    assert problems == [], f"placeholders differ in {path.relative_to(REPO)}: {problems[:3]}"


def _translated(message) -> bool:
    if message is None:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(s for s in strings)
