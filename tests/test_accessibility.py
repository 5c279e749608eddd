"""axe-core on every page a crawler reaches in the demo installation, signed out and signed in,
in English and Urdu: no WCAG 2.2 AA violations, and no sideways scrolling at 320 CSS pixels."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from coproduce.testing.browser import AXE, axe_violations, check_pages
from coproduce.testing.fixtures import PASSWORD, add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


def test_the_axe_check_names_each_kind_of_violation_a_page_has(chromium):
    """The check the crawls rely on finds what is wrong: an image with no text, a field with no label, and a
    page with no language, each named once with where it is; the same page put right has none."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_content(
        "<!doctype html><html><head><title>Broken</title></head><body><main>"
        '<img src="data:," id="photo"><form><input type="text" id="postcode"></form></main></body></html>'
    )
    found = axe_violations(page)
    assert sorted(line.split(" ")[0] for line in found) == ["html-has-lang", "image-alt", "label"], found
    assert any("#photo" in line for line in found) and any("#postcode" in line for line in found), found
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Mended</title></head><body><main><h1>Mended</h1>'
        '<img src="data:," alt="A photo"><form><label for="postcode">Postcode</label>'
        '<input type="text" id="postcode"></form></main></body></html>'
    )
    assert axe_violations(page) == []
    context.close()


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
