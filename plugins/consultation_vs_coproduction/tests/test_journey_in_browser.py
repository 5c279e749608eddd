"""The check in Chromium with JavaScript: one request per page, the address follows, back and refresh work."""

import pytest
from playwright.sync_api import expect

from coproduce.testing.browser import screenshot
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.slow]

Q = standard_questionnaire()
PAGES = len(Q.dimensions) + 1
MAIN_BUTTON = "main form button.govuk-button:not(.govuk-button--secondary)"
TOP_ANSWERS = """() => {
  for (const name of new Set([...document.querySelectorAll('main input[type=radio]')].map(r => r.name))) {
    const group = [...document.querySelectorAll(`main input[type=radio][name="${name}"]`)];
    group[group.length - 1].checked = true;
  }
}"""


@pytest.fixture
def site(live_server, people):
    enable(live_server.app)
    make_assessment(live_server.app)
    return live_server


def press(page, requests: list, button: str = MAIN_BUTTON) -> list:
    """Press the form's button and wait for the next page; returns the requests that took."""
    requests.clear()
    page.evaluate("document.querySelector('main').dataset.shown = 'before'")
    page.locator(button).first.click()
    page.wait_for_function("() => document.querySelector('main') && !document.querySelector('main').dataset.shown")
    return [(r.method, r.resource_type) for r in requests]


def test_each_page_of_the_check_is_one_request_and_the_address_follows(site, page):
    requests: list = []
    page.on("request", lambda r: requests.append(r) if r.resource_type in ("document", "fetch", "xhr") else None)
    page.goto(f"{site.url}{BASE}/a/abc123defg?lang=ur")
    page.check("input[name=group][value=resident]")
    assert press(page, requests) == [("POST", "fetch")]
    base = page.url.rsplit("/", 1)[0]
    assert page.url == f"{base}/1"
    assert page.get_attribute("html", "dir") == "rtl"  # still in Urdu
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")  # GOV.UK's script styles
    for number in range(1, PAGES):
        page.evaluate(TOP_ANSWERS)
        assert press(page, requests) == [("POST", "fetch")], f"page {number}"
        assert page.url == f"{base}/{number + 1}"
        assert page.evaluate("document.activeElement.tagName") == "H1"  # a screen reader hears the new page
        assert page.title() == page.evaluate("document.title") and page.title()
        if number == 1:
            screenshot(page, "readiness-page-2-shown-in-place-ur")

    # Back shows the page before, with the answers given; refresh keeps the page shown.
    page.go_back()
    expect(page).to_have_url(f"{base}/{PAGES - 1}")
    expect(page.locator("main input[type=radio]:checked")).to_have_count(len(Q.dimensions[-1].questions))
    page.go_forward()
    expect(page).to_have_url(f"{base}/{PAGES}")
    page.reload()
    expect(page.locator("main textarea")).to_be_visible()

    page.fill("main textarea", "A youth forum")
    assert press(page, requests) == [("POST", "fetch")]
    assert page.url == f"{base}/check"
    expect(page.locator("main")).to_contain_text("A youth forum")
    assert press(page, requests) == [("POST", "fetch")]
    assert page.url == f"{base}/result"
    expect(page.locator("main svg").first).to_be_visible()
    page.reload()  # refreshing the result asks for it again; nothing is sent twice
    expect(page).to_have_url(f"{base}/result")


def test_a_wrong_answer_shows_the_error_summary_with_the_focus_on_it(site, page):
    requests: list = []
    page.on("request", lambda r: requests.append(r) if r.resource_type in ("document", "fetch") else None)
    page.goto(f"{site.url}{BASE}/a/abc123defg")
    assert press(page, requests) == [("POST", "fetch")]  # no group chosen
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.url == f"{site.url}{BASE}/a/abc123defg" and page.title().startswith("Error:")


def test_a_first_visit_fetches_gov_uk_frontends_script_once(site, page):
    scripts: list = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{site.url}{BASE}/a/abc123defg")
    page.wait_for_load_state("networkidle")
    assert len([url for url in scripts if "govuk-frontend" in url]) == 1, scripts
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")


def test_save_and_come_back_later_sends_the_button_pressed(site, page):
    requests: list = []
    page.on("request", lambda r: requests.append(r) if r.resource_type in ("document", "fetch") else None)
    page.goto(f"{site.url}{BASE}/a/abc123defg")
    page.check("input[name=group][value=resident]")
    press(page, requests)
    base = page.url.rsplit("/", 1)[0]
    page.evaluate(TOP_ANSWERS)
    assert press(page, requests, "main form button[name=save]") == [("POST", "fetch")]
    assert page.url == f"{base}/saved?number=1"
    expect(page.locator("main")).to_contain_text(f"{base}/1")  # the link to come back to


def test_when_the_in_place_send_fails_the_form_goes_the_ordinary_way_and_nothing_is_lost(site, page):
    requests: list = []
    page.on("request", lambda r: requests.append(r) if r.resource_type in ("document", "fetch") else None)
    page.goto(f"{site.url}{BASE}/a/abc123defg")
    page.check("input[name=group][value=resident]")
    press(page, requests)
    base = page.url.rsplit("/", 1)[0]
    # The connection drops as the script sends page 1: the browser then sends the form itself.
    page.route(
        f"{base}/1", lambda route: route.abort() if route.request.resource_type == "fetch" else route.continue_()
    )
    page.evaluate(TOP_ANSWERS)
    assert press(page, requests) == [("POST", "fetch"), ("POST", "document"), ("GET", "document")]
    expect(page).to_have_url(f"{base}/2")
    page.go_back()
    expect(page.locator("main input[type=radio]:checked")).to_have_count(len(Q.dimensions[0].questions))
