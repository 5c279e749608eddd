"""axe-core on the plugin's pages (the list, the map with JavaScript on and off, an initiative, the forms with
their errors, the skills map), in English and Urdu: no WCAG 2.2 AA violations, no sideways scrolling at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coproduce.testing.browser import AXE, LiveServer, axe_violations, check_pages
from coproduce.testing.fixtures import add_team, add_user
from coproduce_plugins.initiatives.demo import create_demo
from coproduce_plugins.initiatives.tests.conftest import PLUGINS

pytestmark = pytest.mark.browser
B = "/t/youth/initiatives"


@pytest.fixture
def server(make_app):
    app = make_app(plugins=PLUGINS, SERVER_NAME=None)
    with app.app_context():
        team = add_team("youth", members=(add_user("member@example.org"),), plugins=("initiatives",))
        create_demo(team)
    with LiveServer(app) as live:
        yield live


def test_the_plugins_pages_pass_axe(server, chromium):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `bash frontend/build.sh`")
    pages = [f"{B}/", f"{B}/map", f"{B}/1", f"{B}/add", f"{B}/skills", f"{B}/skills/offer", f"{B}/1/volunteer"]
    problems = check_pages(chromium, server.url, pages)
    assert problems == [], "\n".join(problems)
    # A form sent empty: the error summary and messages pass too; and the map without JavaScript.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server.url}{B}/add")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(1)  # waits for the answer to the post
    assert axe_violations(page) == []
    context.close()
    plain = chromium.new_context(java_script_enabled=False).new_page()
    plain.goto(f"{server.url}{B}/map")
    assert plain.locator(".initiatives-map__svg").is_visible()
    plain.context.close()
