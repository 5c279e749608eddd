"""The whole journey in headless Chromium, with JavaScript on and with it off: a resident adds an initiative,
a moderator publishes it, another resident finds it on the map and by search, appreciates it and volunteers.
The server runs with CSRF protection on, as in production."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coproduce.testing.browser import LiveServer
from coproduce.testing.fixtures import PASSWORD, add_team, add_user
from coproduce_plugins.initiatives.demo import create_demo
from coproduce_plugins.initiatives.tests.conftest import PLUGINS

pytestmark = pytest.mark.browser
MODES = {"javascript": "page", "no-javascript": "no_js_page"}
NAME = "Maple Street Soup Night"


@pytest.fixture(params=list(MODES))
def mode(request):
    return request.getfixturevalue(MODES[request.param]), request.param == "javascript"


@pytest.fixture
def server(make_app):
    app = make_app(plugins=PLUGINS, SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with app.app_context():
        team = add_team("youth", members=(add_user("member@example.org"),), plugins=("initiatives",))
        create_demo(team)
    with LiveServer(app) as live:
        live.app = app
        yield live


def test_add_publish_find_appreciate_and_volunteer(server, mode, chromium):
    page, javascript = mode
    base = f"{server.url}/t/youth/initiatives"
    # A resident without an account adds an initiative.
    page.goto(f"{base}/")
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1 if javascript else 0)
    page.get_by_role("link", name="Add an initiative").click()
    page.get_by_label("Name of the initiative").fill(NAME)
    page.get_by_label("What it does").fill("Hot soup and bread on Friday evenings for neighbours.")
    page.get_by_label("An informal group of neighbours").check()
    page.get_by_label("Food").check()
    page.get_by_label("Area").select_option(label="Old Market")
    page.get_by_label("There is step-free access").check()
    page.get_by_label("I have checked").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.locator("#edit-link")).to_contain_text("/edit/")

    # A moderator publishes it.
    staff = page.context.browser.new_context(java_script_enabled=javascript).new_page()
    staff.goto(f"{server.url}/sign-in")
    staff.get_by_label("Email address").fill("member@example.org")
    staff.get_by_label("Password", exact=True).fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(f"{base}/manage")
    staff.get_by_role("link", name=NAME).click()
    staff.get_by_role("button", name="Publish").click()
    expect(staff.locator(".govuk-notification-banner--success")).to_contain_text("Published")
    staff.context.close()

    # Another resident finds it on the map, then by search.
    other = page.context.browser.new_context(java_script_enabled=javascript).new_page()
    other.goto(f"{base}/map?type=informal")
    if javascript:
        expect(other.locator(".initiatives-map__leaflet")).to_be_visible()
        expect(other.locator(".initiatives-map__svg")).to_be_hidden()
        expect(other.locator(".initiatives-map__marker").first).to_be_visible()
    else:
        expect(other.locator(".initiatives-map__svg")).to_be_visible()
    other.get_by_role("table").get_by_role("link", name="Old Market").click()
    expect(other.get_by_role("link", name=NAME)).to_be_visible()
    other.goto(f"{base}/")
    other.get_by_label("Search").fill("soup bread")
    other.get_by_role("button", name="Show initiatives").click()
    other.get_by_role("link", name=NAME).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(NAME)

    # Appreciates it (once) and volunteers.
    other.get_by_role("button", name="I appreciate this").click()
    expect(other.locator("#appreciations")).to_have_text(re.compile(r"^1 person"))
    expect(other.get_by_role("button", name="I appreciate this")).to_have_count(0)
    other.get_by_role("link", name="Volunteer", exact=True).click()
    other.get_by_label("Your name").fill("Robin")
    other.get_by_label("Email address").fill("robin@example.org")
    other.get_by_label("I agree").check()
    other.get_by_role("button", name="Offer to volunteer").click()
    expect(other.locator(".govuk-notification-banner--success")).to_contain_text("will contact you")
    other.context.close()
