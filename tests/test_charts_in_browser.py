"""Every chart in a real browser, in English and in Urdu (right to left): each text label lies inside its chart, clear
of every other label and of the chart's bars and rails, and the start button's arrow points the reading way."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing.browser import ARTIFACTS, LiveServer, screenshot
from coproduce.testing.fixtures import PASSWORD, add_team, add_user

pytestmark = pytest.mark.browser
READINESS = "coproduce_plugins.consultation_vs_coproduction"
SOCIAL_VALUE = "coproduce_plugins.procurement_social_value"
LANGUAGES = ("en", "ur", "pl", "cy")

# Each <svg> in the page: its box, its labels' boxes and the boxes of its shapes (bars, rails, lines). A shape
# marked data-backdrop is drawn behind its own label on purpose (the ladder's highlighted rung).
GEOMETRY = """() => Array.from(document.querySelectorAll('main svg[role=img]')).map(svg => {
  const box = r => { const b = r.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  return {
    name: svg.querySelector('title') ? svg.querySelector('title').textContent : '',
    box: box(svg),
    labels: Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, box(t)]),
    shapes: Array.from(svg.querySelectorAll('rect:not([data-backdrop]), line')).map(box),
  };
})"""


def overlap(a, b, slack=0.5) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def inside(inner, outer, slack=1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def chart_problems(page, where: str) -> list[str]:
    problems = []
    charts = page.evaluate(GEOMETRY)
    for chart in charts:
        name = f"{where}, chart {chart['name'][:40]!r}"
        labels = [(text, b) for text, b in chart["labels"] if b[2] > b[0]]
        for text, b in labels:
            if not inside(b, chart["box"]):
                problems.append(f"{name}: label {text!r} {b} sticks out of the chart {chart['box']}")
            for shape in chart["shapes"]:
                if overlap(b, shape):
                    problems.append(f"{name}: label {text!r} {b} lies over a bar or rail {shape}")
                    break
        for i, (text, b) in enumerate(labels):
            for other, c in labels[i + 1 :]:
                if overlap(b, c):
                    problems.append(f"{name}: labels {text!r} and {other!r} overlap")
    return problems


@pytest.fixture
def site(make_app):
    from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
    from coproduce_plugins.consultation_vs_coproduction.demo import _answers, create_demo
    from coproduce_plugins.consultation_vs_coproduction.versions import questionnaire_of
    from coproduce_plugins.procurement_social_value.demo import create_demo as social_value_demo

    app = make_app(plugins=[READINESS, SOCIAL_VALUE], SERVER_NAME=None)
    with app.app_context():
        owner = add_user("owner@example.org", name="Olu Owner")
        team = add_team("youth", owner=owner, plugins=("consultation_vs_coproduction", "procurement_social_value"))
        with app.test_request_context():
            assessment = create_demo(team)
            # Months of earlier responses, so the dashboard shows the gap in each period.
            questionnaire = questionnaire_of(assessment.version)
            rng = random.Random(7)  # nosec B311 - test data
            assessment.opens_on -= timedelta(days=240)
            for day in range(30, 240, 3):
                for group, centre in (("resident", 1.2), ("staff", 2.9)):
                    record_response(
                        assessment,
                        questionnaire,
                        _answers(questionnaire, centre, rng),
                        group=group,
                        created_at=utcnow() - timedelta(days=day),
                    )
            social_value_demo(team, utcnow().date())
            db.session.commit()
        ids = (assessment.id, assessment.code)
    client = app.test_client()
    with app.app_context():
        from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire

        q = standard_questionnaire()
    started = client.post(f"/t/youth/readiness/a/{ids[1]}", data={"group": "resident", "easy_read": "standard"})
    base = started.headers["Location"].rsplit("/", 1)[0]
    for number, dimension in enumerate(q.dimensions, 1):
        data = {
            question.id: question.options[min(number, len(question.options) - 1)].id for question in dimension.questions
        }
        assert client.post(f"{base}/{number}", data=data).status_code == 302
    client.post(f"{base}/{len(q.dimensions) + 1}", data={"comment": ""})
    assert client.post(f"{base}/check").status_code == 302
    with LiveServer(app) as live:
        live.assessment, live.code, live.result = ids[0], ids[1], f"{base}/result"
        yield live


def signed_in_context(chromium, live, **options):
    context = chromium.new_context(**options)
    page = context.new_page()
    page.goto(live.url + "/sign-in")
    page.fill("#email", "owner@example.org")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    return context, page


def chart_pages(live) -> list[str]:
    return [
        live.result,
        f"/t/youth/readiness/assessments/{live.assessment}",
        "/t/youth/social-value/manage/",
    ]


@pytest.mark.parametrize("width", [1200, 320])
def test_every_chart_label_fits_its_chart_in_every_language(site, chromium, width):
    context, page = signed_in_context(chromium, site, viewport={"width": width, "height": 900})
    problems, seen = [], 0
    for number, path in enumerate(chart_pages(site)):
        for lang in LANGUAGES:
            page.goto(f"{site.url}{path}?lang={lang}")
            count = page.locator("main svg[role=img]").count()
            assert count, f"{path} in {lang} has no chart"
            seen += count
            problems += chart_problems(page, f"{path}?lang={lang} at {width} px")
            if width == 1200 and lang in ("en", "ur"):
                name = f"charts-{('result', 'readiness-dashboard', 'social-value-dashboard')[number]}-{lang}"
                screenshot(page, name)
                for i in range(count):
                    page.locator("main svg[role=img]").nth(i).screenshot(
                        path=str(ARTIFACTS / "screenshots" / f"{name}-{i}.png")
                    )
    context.close()
    assert seen >= 6 * len(LANGUAGES)
    assert problems == [], "\n".join(problems)


def test_the_charts_are_drawn_the_reading_way(site, chromium):
    """In Urdu the ladder's labels sit on the left of its rails, and part names on the right of their bars."""
    context, page = signed_in_context(chromium, site, viewport={"width": 1200, "height": 900})
    for lang, rtl in (("en", False), ("ur", True)):
        page.goto(f"{site.url}{site.result}?lang={lang}")
        ladder = page.locator("main svg[role=img]").first
        rail = ladder.locator("rect").first.bounding_box()
        label = ladder.locator("text").first.bounding_box()
        assert (label["x"] + label["width"] <= rail["x"]) if rtl else (label["x"] >= rail["x"] + rail["width"])
        assert ladder.get_attribute("direction") == ("rtl" if rtl else "ltr")
    context.close()


def test_the_start_buttons_arrow_points_the_reading_way(site, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    for lang, rtl in (("en", False), ("ur", True)):
        page.goto(f"{site.url}/t/youth/readiness/a/{site.code}?lang={lang}")
        button = page.locator(".govuk-button--start")
        icon = button.locator(".govuk-button__start-icon")
        assert icon.count() == 1
        matrix = icon.evaluate("el => new DOMMatrix(getComputedStyle(el).transform)")
        assert (matrix["a"] < 0) == rtl, f"the arrow in {lang} is {'not ' if rtl else ''}mirrored"
        arrow, words = icon.bounding_box(), button.bounding_box()
        # The arrow follows the words: on the right in English, on the left in Urdu.
        middle = words["x"] + words["width"] / 2
        assert (arrow["x"] + arrow["width"] / 2 < middle) == rtl
        screenshot(page, f"start-button-{lang}")
    context.close()
