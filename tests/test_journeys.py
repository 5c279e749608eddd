"""Whole journeys through the UI in headless Chromium, each with JavaScript on and with it off.

1. A citizen answers a readiness self-assessment in Welsh with the keyboard alone, saves part way,
   resumes from the private link on another device, and sees the result.
2. A team owner switches project packs on, creates a project, uploads a document, exports the pack,
   and a signed-out visitor sees the public project page.
3. A supplier reports delivery through the private link an officer created, the officer verifies it,
   and a signed-out visitor sees it on the transparency page.

The server runs with CSRF protection on, as in production: every form posts its token.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coproduce.plugins import utcnow
from coproduce.testing.browser import LiveServer, screenshot
from coproduce.testing.fixtures import PASSWORD, add_team, add_user
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import make_assessment
from tests.journeys_helpers import (
    choose_radio,
    fresh_visitor,
    press,
    small_pdf,
    translated,
    type_into,
    welsh,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODES = {"javascript": "page", "no-javascript": "no_js_page"}


@pytest.fixture(params=list(MODES))
def mode(request):
    """(page, javascript on?, name) for each run of a journey."""
    return request.getfixturevalue(MODES[request.param]), request.param == "javascript", request.param


@pytest.fixture
def server(make_app):
    """The app on a real HTTP server, with CSRF checks on as in production."""
    app = make_app(SERVER_NAME=None, WTF_CSRF_ENABLED=True)
    with LiveServer(app) as live:
        live.app = app
        yield live


def sign_in(page, server, email, javascript):
    """Sign in from the link in the service navigation, filling the fields by their labels."""
    page.goto(f"{server.url}/")
    check_javascript(page, javascript)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign in").click()
    expect(page.locator("main form input[name=csrf_token]")).to_have_count(1)  # CSRF is on, as in production
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_team_dashboard(page, team_name):
    page.get_by_role("link", name=team_name, exact=True).first.click()
    page.get_by_role("link", name="Go to the team dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def check_javascript(page, javascript):
    """The run is what it says: GOV.UK Frontend's script marks the page only when JavaScript runs."""
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1 if javascript else 0)


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


# -- 1. readiness self-assessment, in Welsh, keyboard only ------------------------------------------

Q = standard_questionnaire()


def top_answer(question):
    return next(o for o in question.options if o.rung == "co_producing")


def answer_with_keyboard(page, app, questions):
    """Choose the co-producing answer to each question: legend and label found by their Welsh text.

    Returns the key that reached each question's group."""
    keys = []
    for question in questions:
        group = page.get_by_role("group", name=welsh(app, question.text_for("resident")), exact=True)
        keys.append(choose_radio(page, group.get_by_label(welsh(app, top_answer(question).text), exact=True)))
    return keys


def test_a_citizen_answers_in_welsh_with_the_keyboard_and_resumes_on_another_device(server, mode, chromium):
    page, javascript, name = mode
    app = server.app
    with app.app_context():
        add_team("youth", owner=add_user("owner@example.org"), plugins=("consultation_vs_coproduction",))
    make_assessment(app)
    cy = lambda message, **values: welsh(app, message, **values)  # noqa: E731
    first, second = Q.dimensions[0], Q.dimensions[1]

    # The team sent the link; the citizen opens it and switches to Welsh from the header.
    page.goto(f"{server.url}/t/youth/readiness/a/abc123defg")
    check_javascript(page, javascript)
    press(page, page.get_by_role("link", name="Cymraeg"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Play areas check")

    choose_radio(
        page,
        page.get_by_role("group", name=cy("Which of these describes you best?")).get_by_label(
            cy("Resident or service user"), exact=True
        ),
    )
    expect(page.get_by_label(cy("Standard"), exact=True)).to_be_checked()  # the default version
    press(page, page.get_by_role("button", name=cy("Start now")))

    # Page 1: a first thought on question 1, the other questions, then back with Shift+Tab to change
    # question 1 (a checked group keeps its place in the tab order), then Continue with Enter.
    expect(page.get_by_role("heading", level=1)).to_have_text(cy(first.title))
    opening = page.get_by_role("group", name=cy(first.questions[0].text_for("resident")), exact=True)
    lowest = next(o for o in first.questions[0].options if o.rung == "informing")
    choose_radio(page, opening.get_by_label(cy(lowest.text), exact=True))
    answer_with_keyboard(page, app, first.questions[1:])
    assert answer_with_keyboard(page, app, first.questions[:1]) == ["Shift+Tab"]
    expect(opening.get_by_label(cy(lowest.text), exact=True)).not_to_be_checked()
    press(page, page.get_by_role("button", name=cy("Continue")))

    # Page 2: one answer, then Save and come back later with Space.
    expect(page.get_by_role("heading", level=1)).to_have_text(cy(second.title))
    answer_with_keyboard(page, app, second.questions[:1])
    press(page, page.get_by_role("button", name=cy("Save and come back later")), "Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(cy("Your answers are saved"))
    link = page.locator("main a[href*='/r/']")
    expect(link).to_have_count(1)
    resume_url = link.get_attribute("href")
    assert link.inner_text() == resume_url  # the link is written out in full, to copy or write down

    # Another device: no cookies, so the link alone must bring back the answers and the language.
    with fresh_visitor(chromium, javascript) as other:
        other.goto(resume_url)
        check_javascript(other, javascript)
        expect(other.locator("html")).to_have_attribute("lang", "cy")
        expect(other.get_by_role("heading", level=1)).to_have_text(cy(second.title))
        kept = other.get_by_role("group", name=cy(second.questions[0].text_for("resident")), exact=True)
        expect(kept.get_by_label(cy(top_answer(second.questions[0]).text), exact=True)).to_be_checked()

        answer_with_keyboard(other, app, second.questions[1:])
        press(other, other.get_by_role("button", name=cy("Continue")))
        for dimension in Q.dimensions[2:]:
            expect(other.get_by_role("heading", level=1)).to_have_text(cy(dimension.title))
            answer_with_keyboard(other, app, dimension.questions)
            press(other, other.get_by_role("button", name=cy("Continue")))
        expect(other.get_by_role("heading", level=1)).to_have_text(cy("Anything else?"))
        comment = "Mwy o weithwyr ieuenctid, os gwelwch yn dda – diolch!"
        type_into(other, other.get_by_label(cy("Anything else you want to tell the team? (optional)")), comment)
        press(other, other.get_by_role("button", name=cy("Continue")))

        # Check answers: those given before saving are there, in Welsh.
        expect(other.get_by_role("heading", level=1)).to_have_text(cy("Check your answers before sending them"))
        main = other.locator("main")
        for question in first.questions + second.questions[:1]:
            row = main.locator(
                ".govuk-summary-list__row", has=other.get_by_text(cy(question.text_for("resident")), exact=True)
            )
            expect(row.locator(".govuk-summary-list__value")).to_have_text(cy(top_answer(question).text))
        expect(main).to_contain_text(comment)
        press(other, other.get_by_role("button", name=cy("Send my answers")))

        # The result, in Welsh, counting the answers from both devices.
        expect(other.get_by_role("heading", level=1)).to_have_text(cy("Your result"))
        expect(main).to_contain_text(cy("Thank you. Your answers have been sent."))
        expect(main.locator(".readiness-headline strong")).to_have_text(cy("Co-producing"))
        expect(main).to_contain_text(cy("Overall score: %(score)d out of 100.", score=100))
        table = main.locator("table.govuk-table")
        for dimension in Q.dimensions:
            row = table.locator("tr", has=other.get_by_role("rowheader", name=cy(dimension.title), exact=True))
            total = len(dimension.questions)
            expect(row.locator("td").last).to_have_text(
                translated(app, "%(answered)d of %(total)d", "cy", answered=total, total=total)
            )
        screenshot(other, f"journey-readiness-welsh-keyboard-{name}")


# -- 2. project pack: switch on, create, upload, export, public page ---------------------------------


def test_an_owner_builds_a_project_pack_and_the_public_sees_the_project(server, mode, chromium, tmp_path):
    page, javascript, name = mode
    with server.app.app_context():
        add_team("youth", owner=add_user("owner@example.org", name="Olu Owner"))
    document = tmp_path / "first-meeting-notes.pdf"
    document.write_bytes(small_pdf(chromium, "Notes of the first meeting"))
    assert document.read_bytes().startswith(b"%PDF-")

    sign_in(page, server, "owner@example.org", javascript)
    open_team_dashboard(page, "Youth")
    page.get_by_role("link", name="Modules").click()
    page.get_by_role("button", name="Switch on Project packs").click()
    expect(success_banner(page)).to_be_visible()
    expect(page.get_by_role("button", name="Switch off Project packs")).to_be_visible()

    page.get_by_role("navigation", name="Team pages").get_by_role("link", name="Project packs").click()
    page.get_by_role("link", name="Manage projects").first.click()
    page.get_by_role("link", name="Start a project").click()
    page.get_by_label("Project title", exact=True).fill("Skate park by the river")
    page.get_by_label("Summary", exact=True).fill("A skate park the young people design")
    page.get_by_role("group", name="Status").get_by_label("Active").check()
    page.get_by_label("Goals agreed at the outset", exact=True).fill("Somewhere safe to skate")
    page.get_by_label("Set in stone", exact=True).fill("Budget: £20,000")
    page.get_by_label("Up for grabs", exact=True).fill("Where it goes\nWhat it looks like")
    page.get_by_role("button", name="Save project").click()
    expect(success_banner(page)).to_contain_text("Project created.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skate park by the river")

    page.get_by_role("link", name="Upload a document").click()
    page.get_by_label("What the document is", exact=True).fill("Notes of the first meeting")
    page.get_by_label("File", exact=True).set_input_files(document)
    page.get_by_role("button", name="Upload").click()
    expect(success_banner(page)).to_contain_text("Document uploaded.")
    documents = page.get_by_role("table", name="Data and documents")
    expect(documents.get_by_role("link", name="Notes of the first meeting")).to_be_visible()
    expect(documents).to_contain_text("first-meeting-notes.pdf")
    document_url = documents.get_by_role("link", name="Notes of the first meeting").get_attribute("href")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the pack (ZIP, every contact)").click()
    download = waiting.value
    assert download.suggested_filename == "skate-park-by-the-river-pack.zip"
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as pack:
        names = pack.namelist()
        assert "documents/001-first-meeting-notes.pdf" in names, names
        assert pack.read("documents/001-first-meeting-notes.pdf") == document.read_bytes()
        assert "Skate park by the river" in pack.read("index.html").decode()
    # There is no publishing step: a project is on the team's public list once it exists.
    page.get_by_role("link", name="See the public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skate park by the river")

    with fresh_visitor(chromium, javascript) as visitor:
        visitor.goto(f"{server.url}/")
        check_javascript(visitor, javascript)
        visitor.get_by_role("link", name="Youth", exact=True).click()
        visitor.get_by_role("main").get_by_role("link", name="Project packs").click()
        visitor.get_by_role("link", name="Skate park by the river").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Skate park by the river")
        main = visitor.get_by_role("main")
        expect(main).to_contain_text("A skate park the young people design")
        expect(main).to_contain_text("Budget: £20,000")
        # Documents are the team's only (served after a membership check): the public page has no link.
        expect(main).not_to_contain_text("Notes of the first meeting")
        expect(main.locator("a[href*='/documents/']")).to_have_count(0)
        expect(main.get_by_role("link", name="Open the team's page for this project")).to_have_count(0)
        screenshot(visitor, f"journey-project-pack-public-{name}")
        visitor.goto(f"{server.url}{document_url}")
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Sign in")


# -- 3. social value: private link, supplier report, officer check, transparency page ----------------


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_supplier_reports_an_officer_verifies_and_the_public_sees_it(server, mode, chromium):
    page, javascript, name = mode
    with server.app.app_context():
        add_team(
            "youth", owner=add_user("officer@example.org", name="Sam Officer"), plugins=("procurement_social_value",)
        )
    today = utcnow().date()

    # The officer adds the contract, a commitment and a private link for the supplier.
    sign_in(page, server, "officer@example.org", javascript)
    open_team_dashboard(page, "Youth")
    page.get_by_role("navigation", name="Manage this team").get_by_role("link", name="Social value dashboard").click()
    page.get_by_role("navigation", name="Social value pages").get_by_role("link", name="Contracts").click()
    page.get_by_role("link", name="Add a contract").click()
    page.get_by_label("Contract reference", exact=True).fill("C-2026-014")
    page.get_by_label("What the contract is for", exact=True).fill("Road repairs in Northgate")
    page.get_by_label("Supplier", exact=True).fill("Acme Works Ltd")
    page.get_by_label("Contract value in pounds", exact=True).fill("250000")
    fill_date(page, "Start date", today - timedelta(days=100))
    fill_date(page, "End date", today + timedelta(days=400))
    page.get_by_label("Show this contract and its commitments on the public page", exact=True).check()
    page.get_by_role("button", name="Save contract").click()
    expect(success_banner(page)).to_contain_text("Contract saved.")

    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Measure", exact=True).select_option(
        label="JS2.1 Weeks of apprenticeship completed by local apprentices (weeks)"
    )
    page.get_by_label("Target quantity", exact=True).fill("12")
    fill_date(page, "Due date", today + timedelta(days=200))
    page.get_by_role("button", name="Save commitment").click()
    expect(success_banner(page)).to_contain_text("Commitment saved.")

    expect(page.get_by_label("Days the link works for")).to_have_value("90")
    page.get_by_role("button", name="Create a private link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Private link created")
    supplier_url = page.locator("#supplier-link").inner_text().strip()
    assert supplier_url.startswith(f"{server.url}/t/youth/social-value/supplier/")

    # The supplier, with no account, reports through the link.
    with fresh_visitor(chromium, javascript) as supplier:
        supplier.goto(supplier_url)
        check_javascript(supplier, javascript)
        expect(supplier.get_by_role("heading", level=1)).to_have_text("Report social value delivered")
        supplier.get_by_label("Commitment").select_option(
            label="C-2026-014-1: JS2.1 Weeks of apprenticeship completed by local apprentices"
        )
        fill_date(supplier, "Start of the period reported on", today - timedelta(days=60))
        fill_date(supplier, "End of the period reported on", today - timedelta(days=1))
        supplier.get_by_label("Quantity delivered in the period").fill("12")
        supplier.get_by_label("What was done (optional)").fill("Three apprentices finished four weeks each")
        supplier.get_by_role("button", name="Send delivery report").click()
        expect(success_banner(supplier)).to_contain_text("Your report is saved")
        supplier_table = supplier.get_by_role("table", name="Your commitments")
        expect(supplier_table).to_contain_text("Delivered, awaiting check")

    # The officer checks it and verifies it.
    page.get_by_role("link", name="Back to the contract").click()
    page.get_by_role("link", name="C-2026-014-1").click()
    reports = page.get_by_role("table", name="Delivery reports")
    expect(reports).to_contain_text("Reported by the supplier")
    expect(reports).to_contain_text("Waiting for a check")
    reports.get_by_role("link", name="Verify or dispute").click()
    page.get_by_role("group", name="Your decision").get_by_label("Verify: the evidence shows it was delivered").check()
    page.get_by_label("Reason", exact=True).fill("Apprenticeship records seen at the depot")
    page.get_by_role("button", name="Save decision").click()
    expect(success_banner(page)).to_contain_text("Decision saved.")
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text("Verified")

    # Anyone, signed out, sees the verified delivery on the team's transparency page.
    with fresh_visitor(chromium, javascript) as visitor:
        visitor.goto(f"{server.url}/")
        check_javascript(visitor, javascript)
        visitor.get_by_role("link", name="Youth", exact=True).click()
        visitor.get_by_role("main").get_by_role("link", name="Social value in procurement").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(
            "Social value: what suppliers promised and delivered"
        )
        main = visitor.get_by_role("main")
        expect(main.get_by_role("link", name="C-2026-014: Road repairs in Northgate")).to_be_visible()
        promises = main.get_by_role("table", name="Promises in contract C-2026-014")
        row = promises.locator("tbody tr", has_text="Weeks of apprenticeship completed by local apprentices")
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text("12 weeks")  # target
        expect(cells.nth(4)).to_have_text("12")  # verified
        expect(cells.nth(5)).to_have_text("Verified")
        screenshot(visitor, f"journey-social-value-public-{name}")
