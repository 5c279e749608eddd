"""Every page of the plugin in every shipped language: translated, with no English left in our own words."""

import pytest

from coproduce.testing.fixtures import sign_in
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.tests.test_team import add

# English phrases from our templates and forms that must not survive translation
ENGLISH = (
    "Which of these describes you best?",
    "Perception gap",
    "Check your answers",
    "Responses by group",
    "Type in a paper response",
    "Questionnaires and adapted versions",
    "Show the answer",
    "Start now",
    "How everyone has sorted the cards",
    "Your answers are saved",
    "Copy a questionnaire",
)


@pytest.mark.parametrize("lang", ["cy", "pl", "ur"])
def test_every_page_is_translated(app, people, lang):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "co_producing", 5)
    add(app, aid, "resident", "consulting", 5)
    citizen = app.test_client()
    start = citizen.post(f"{BASE}/a/abc123defg?lang={lang}", data={"group": "resident", "easy_read": "standard"})
    base = start.headers["Location"].rsplit("/", 1)[0]
    citizen.post(f"{base}/1", data={"options-1": "a"})
    public = [
        f"{BASE}/",
        f"{BASE}/a/abc123defg",
        f"{base}/1",
        f"{base}/8",
        f"{base}/about",
        f"{base}/saved",
        f"{base}/check",
        f"{BASE}/a/abc123defg/paper",
        f"{BASE}/a/abc123defg/paper?easy=1",
        f"{BASE}/exercise",
        f"{BASE}/exercise?easy=1",
        f"{BASE}/exercise/facilitate/1",
        f"{BASE}/exercise/facilitate/1?answer=1",
        f"{BASE}/exercise/results",
    ]
    for url in public:
        page = citizen.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        assert page.status_code == 200, url
        assert f'lang="{lang}"' in page.text
        assert not [e for e in ENGLISH if e in page.text], url
    citizen.post(f"{base}/check")
    result = citizen.get(f"{base}/result?lang={lang}")
    assert result.status_code == 200 and "Your result" not in result.text and "What would move it up" not in result.text
    staff = app.test_client()
    sign_in(staff, "member@example.org")
    staff.get(f"{BASE}/questionnaires")
    for url in (
        f"{BASE}/assessments",
        f"{BASE}/assessments/new",
        f"{BASE}/assessments/{aid}",
        f"{BASE}/assessments/{aid}/poster",
        f"{BASE}/assessments/{aid}/paper-entry",
        f"{BASE}/questionnaires",
    ):
        page = staff.get(f"{url}?lang={lang}")
        assert page.status_code == 200, url
        assert not [e for e in ENGLISH if e in page.text], url
        assert ">Day<" not in page.text and ">Year<" not in page.text


def test_one_locked_version_asks_in_each_language_in_turn(app, people):
    """A locked version's wording is worked out once per language and kept: each page still gets its own."""
    import re

    enable(app)
    make_assessment(app)
    citizen = app.test_client()
    start = citizen.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    first = start.headers["Location"].split("?")[0]

    def legends(lang: str) -> list[str]:
        page = citizen.get(f"{first}?lang={lang}")
        assert page.status_code == 200 and f'lang="{lang}"' in page.text
        found = re.findall(r'class="govuk-fieldset__legend[^"]*">\s*(?:<[^>]+>\s*)*([^<]+)', page.text)
        assert found, "no question on the page"
        return [text.strip() for text in found]

    asked = {lang: legends(lang) for lang in ("en", "cy", "ur")}
    assert asked["en"] != asked["cy"] and asked["cy"] != asked["ur"] and asked["en"] != asked["ur"]
    assert {lang: legends(lang) for lang in ("ur", "en", "cy")} == asked
