"""axe-core on every page a crawler reaches in the demo installation, signed out and signed in,
in English and Urdu: no WCAG 2.2 AA violations, and no sideways scrolling at 320 CSS pixels."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from coproduce.testing.browser import horizontal_overflow, overflowing_element
from coproduce.testing.fixtures import PASSWORD, add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parent.parent / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_PAGES = 40
SKIP_PATHS = ("/sign-out", "/static/", "/theme/", "/healthz")
SKIP_ENDINGS = (".csv", ".json", ".zip", ".pdf", ".png", ".svg", "/export", "/download")


@pytest.fixture
def demo_site(live_server):
    """The demo installation: what `coproduce init --demo` makes, plus a signed-in site admin."""
    from coproduce.cli import _demo_teams

    app = live_server.app
    with app.app_context():
        add_user("admin@example.org", admin=True)
        with app.test_request_context():
            _demo_teams()
    return live_server


def shape(url: str) -> str:
    """Pages that differ only by ids are one kind of page: check one of each."""
    return re.sub(r"\d+", "N", url)


def crawl(page, base: str, starts: list[str]) -> list[str]:
    seen, shapes, queue = [], set(), list(starts)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or shape(url) in shapes:
            continue
        shapes.add(shape(url))
        try:
            response = page.goto(base + url)
        except PlaywrightError as error:  # a link that downloads a file is not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(base + url, href))
            if target.netloc != urlsplit(base).netloc:
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path.startswith(SKIP_PATHS) or target.path.endswith(SKIP_ENDINGS) or "lang=" in target.query:
                continue
            if path not in seen and path not in queue:
                queue.append(path)
    return seen


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]]


def check_pages(chromium, base: str, pages: list[str], storage_state=None) -> list[str]:
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


def test_axe_finds_nothing_on_any_page_signed_out_or_in(demo_site, chromium, tmp_path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `bash frontend/build.sh` (make test does)")
    base = demo_site.url
    context = chromium.new_context()
    page = context.new_page()
    public = crawl(page, base, ["/"])
    assert len(public) >= 8, public

    page.goto(base + "/sign-in")
    page.fill("#email", "admin@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    state = context.storage_state(path=str(tmp_path / "state.json"))
    signed_in = crawl(
        page,
        base,
        ["/", "/account", "/admin/"]
        + [f"/t/{slug}/dashboard" for slug in ("readiness-demo", "projects-demo", "social-value-demo", "dummy-demo")],
    )
    context.close()
    assert any(p.startswith("/admin/") for p in signed_in)

    problems = check_pages(chromium, base, public) + check_pages(chromium, base, signed_in, storage_state=state)
    assert problems == [], "\n".join(problems)
