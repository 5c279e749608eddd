"""Table headings at 320 CSS pixels, in English, Urdu, Polish and Welsh: no word breaks inside itself (Welsh and
Polish words are long), and a table too wide for the screen scrolls in a region of its own that the keyboard can
reach, instead of pushing the page sideways.

The pages are found by walking the demo site (every module's demo team) as its site admin, so a new page with a
table is checked without being listed here."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from coproduce.plugins import db
from coproduce.testing.browser import LiveServer, horizontal_overflow
from coproduce.testing.fixtures import PASSWORD, add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LANGUAGES = ("en", "ur", "pl", "cy")
SKIP = re.compile(r"\.(csv|json|svg|pdf|zip|png|js|css)$|/sign-out|/files/|/a/[^/]+/r/|/qr|/poster|/paper$")

# Each heading cell's words, and the lines each lands on: a word spread over two lines broke inside itself. A
# compound may break after its own hyphen ("Cyd-|gynhyrchu", "e-|bost"), as print does: its parts are the words.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll('main th')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\-\u2010\u2011]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

# Tables wider than the screen must sit in a region that scrolls and takes keyboard focus.
UNREACHABLE = """() => Array.from(document.querySelectorAll('main table')).filter(table => {
  const width = document.documentElement.clientWidth;
  if (table.getBoundingClientRect().width <= width) return false;
  const region = table.closest('.coproduce-scroll');
  return !region || region.getAttribute('tabindex') !== '0' || !region.getAttribute('aria-label');
}).map(table => (table.querySelector('caption') || table.querySelector('th') || table).textContent.trim().slice(0, 50))"""


# What sticks out of the page and is not inside a scrolling region: what makes the page scroll sideways.
STICKING_OUT = """() => { const width = document.documentElement.clientWidth; const found = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right <= width + 1) continue;
    if (!el.closest('.coproduce-scroll, .coproduce-table-wrapper')) found.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 40) + '"');
  }
  return found.slice(0, 3).join('; ');
}"""


@pytest.fixture
def demo_site(make_app):
    from coproduce.cli import _demo_teams

    app = make_app(plugins=None, SERVER_NAME=None)
    with app.app_context():
        add_user("admin@example.org", admin=True)
        with app.test_request_context():
            _demo_teams()
        db.session.commit()
    with LiveServer(app) as live:
        yield live


def table_pages(page, base: str) -> list[str]:
    """Every page of the demo site with a table, one per kind of address (numbers in it ignored)."""
    seen_shapes, found, queue = set(), [], ["/", "/admin/", "/account", "/cookies"]
    while queue and len(seen_shapes) < 250:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        try:
            answer = page.goto(base + path)
        except PlaywrightError:  # a download (a personal-data pack), not a page
            continue
        if answer is None or answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        if page.locator("main table").count():
            found.append(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            parts = urlsplit(href)
            if parts.netloc or parts.query or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            if re.sub(r"\d+", "N", parts.path) not in seen_shapes:
                queue.append(parts.path)
    return found


def test_table_headings_never_break_inside_a_word_at_320_pixels(demo_site, chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(demo_site.url + "/sign-in")
    page.fill("#email", "admin@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    pages = table_pages(page, demo_site.url)
    assert len(pages) >= 20, pages
    for needed in ("/cookies", "/social-value/manage/", "/readiness/assessments/", "/manage/members"):
        assert any(needed in p for p in pages), f"no page with a table like {needed} was found: {pages}"
    problems = []
    for path in pages:
        for lang in LANGUAGES:
            page.goto(f"{demo_site.url}{path}?lang={lang}")
            broken = page.evaluate(BROKEN_WORDS)
            if broken:
                problems.append(f"{path}?lang={lang}: heading words broken across lines: {broken[:5]}")
            unreachable = page.evaluate(UNREACHABLE)
            if unreachable:
                problems.append(f"{path}?lang={lang}: wide tables outside a focusable scrolling region: {unreachable}")
            if horizontal_overflow(page) > 0:
                problems.append(f"{path}?lang={lang}: the page scrolls sideways ({page.evaluate(STICKING_OUT)})")
    context.close()
    assert problems == [], "\n".join(problems)
