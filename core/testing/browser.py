"""Headless Chromium (Debian's package) driven by Playwright, against the app served on localhost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path.cwd() / "test-artifacts"
# axe-core, built by frontend/build.sh in the checkout the tests run from.
AXE = Path.cwd() / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, target: v.nodes[0].target})))"""


class LiveServer:
    """The app served by a real HTTP server in a thread, on a free port."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(make_app):
    app = make_app(SERVER_NAME=None)
    with LiveServer(app) as server:
        server.app = app
        yield server


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is not installed: run `make test` (it installs Debian's chromium) or `apt-get install chromium`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(chromium):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 means no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


WIDEST = """() => { const width = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('body *')) { const box = el.getBoundingClientRect();
    if (box.right > width + 1 || box.left < -1) return el.tagName.toLowerCase() + '.' + el.className + ' "' +
      (el.textContent || '').trim().slice(0, 40) + '"'; }
  return 'no single element'; }"""


def overflowing_element(page) -> str:
    """The first element that sticks out of the viewport, to name in a failure message."""
    return page.evaluate(WIDEST)


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it stands, one line each."""
    page.add_script_tag(path=str(AXE))
    # Only the violations are worked out in full (resultTypes) and sent back from the browser: the passes'
    # selectors and the whole result object cost more than the checks on a large page.
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['target']}" for v in violations]


def check_pages(chromium, base: str, pages: list[str], storage_state=None) -> list[str]:
    """Each page in English and Urdu: its axe violations, and any sideways scrolling at 320 CSS pixels."""
    problems = []
    wide = chromium.new_context(viewport={"width": 1200, "height": 900}, storage_state=storage_state, bypass_csp=True)
    narrow = chromium.new_context(viewport={"width": 320, "height": 640}, storage_state=storage_state)
    desk, phone = wide.new_page(), narrow.new_page()
    for url in pages:
        for lang in ("en", "ur"):
            joined = f"{url}{'&' if '?' in url else '?'}lang={lang}"
            desk.goto(base + joined)
            problems += [f"{joined}: {v}" for v in axe_violations(desk)]
            phone.goto(base + joined)
            if horizontal_overflow(phone) > 0:
                problems.append(
                    f"{joined}: scrolls sideways at 320 px by {horizontal_overflow(phone)} px "
                    f"({overflowing_element(phone)})"
                )
    wide.close()
    narrow.close()
    return problems
