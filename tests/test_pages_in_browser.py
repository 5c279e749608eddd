"""The pages in a real browser: screenshots in English and Urdu, keyboard, no JavaScript, 320 px."""

import pytest
from playwright.sync_api import expect

from coproduce.testing.browser import horizontal_overflow, screenshot
from coproduce.testing.fixtures import PASSWORD, add_team, add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(live_server):
    with live_server.app.app_context():
        owner = add_user("owner@example.org", name="Olu Owner")
        add_team("youth-services", owner=owner, plugins=("dummy_plugin", "project_pack"))
    return live_server


def sign_in(page, site, email="owner@example.org", password=PASSWORD):
    page.goto(f"{site.url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit], input[type=submit]")


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("ur", "rtl")])
def test_screenshots_of_home_dashboard_and_form_errors(site, page, lang, direction):
    page.goto(f"{site.url}/?lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert page.locator("h1").count() == 1
    screenshot(page, f"home-{lang}")

    page.goto(f"{site.url}/sign-in?lang={lang}")
    page.click("form button[type=submit], form input[type=submit]")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend's script moves focus to the summary
    expect(page.locator("#email-error")).to_be_visible()
    screenshot(page, f"sign-in-errors-{lang}")

    sign_in(page, site)
    page.goto(f"{site.url}/t/youth-services/dashboard?lang={lang}")
    assert page.locator("h1").count() == 1
    expect(page.locator("text=Dummy widget")).to_be_visible()
    screenshot(page, f"dashboard-{lang}")


@pytest.mark.parametrize("path", ["/", "/sign-in", "/t/youth-services/", "/accessibility", "/cookies"])
def test_no_sideways_scrolling_at_320_pixels(site, chromium, path):
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for lang in ("en", "ur"):
        page.goto(f"{site.url}{path}?lang={lang}")
        assert horizontal_overflow(page) == 0, f"{path} in {lang} scrolls sideways"
    context.close()


def test_sign_in_and_switch_a_module_with_javascript_off(site, no_js_page):
    page = no_js_page
    sign_in(page, site)
    assert page.url.endswith("/")
    page.goto(f"{site.url}/t/youth-services/manage/plugins")
    page.click("button:has-text('Switch off Project packs')")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.locator("text=is now off for this team")).to_be_visible()
    page.goto(f"{site.url}/t/youth-services/projects/")
    assert page.locator("h1").inner_text() == "Page not found"


def test_keyboard_reaches_the_skip_link_first(site, page):
    page.goto(f"{site.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
