"""Markdown to sanitised HTML, and a preview table for CSV documents."""

from __future__ import annotations

import csv
import io

import markdown
import nh3
from markupsafe import Markup

from coproduce.plugins import local_html, local_text

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "a": "govuk-link",
}


def render_markdown(text: str | None) -> Markup:
    """Markdown written by a team, as HTML holding only harmless tags (no raw HTML, scripts or styles)."""
    html = markdown.markdown(text or "", extensions=["tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    for tag, classes in CLASSES.items():
        opening = "<a " if tag == "a" else f"<{tag}>"
        replaced = f'<a class="{classes}" ' if tag == "a" else f'<{tag} class="{classes}">'
        clean = clean.replace(opening, replaced)
    return Markup(clean)  # nosec B704


def local_markdown(record, field: str) -> Markup:
    """A Markdown field in the reader's language, as a block marked with the language it is in."""
    text = local_text(record, field)
    return local_html(text, render_markdown(text))


def csv_preview(data: bytes, max_rows: int = 25, max_columns: int = 12) -> tuple[list[str], list[list[str]], int]:
    """(header, first rows, number of rows in all) of a CSV file; cells are shown as text, never evaluated."""
    text = data.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], [], 0
    header = [cell[:80] for cell in rows[0][:max_columns]]
    body = [[cell[:200] for cell in row[:max_columns]] for row in rows[1 : max_rows + 1]]
    return header, body, len(rows) - 1
