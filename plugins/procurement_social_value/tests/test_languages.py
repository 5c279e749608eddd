"""Every page of the plugin in every shipped language, with the status rules translated."""

import pytest

from coproduce.plugins import utcnow
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable

PAGES = [
    "/",
    "/help",
    "/needs/new",
    "/manage/",
    "/manage/contracts",
    "/manage/moderation",
    "/manage/needs",
    "/manage/framework",
    "/manage/import",
    "/manage/contracts/new",
]
HEADINGS = {
    "cy": "Sut mae statwsau",
    "pl": "Jak ustalamy statusy",
    "ur": "حیثیت کیسے طے ہوتی ہے",
}


@pytest.mark.parametrize("lang", ["en", "cy", "pl", "ur"])
def test_every_page_answers_in_every_language(app, people, lang):
    from coproduce_plugins.procurement_social_value.demo import create_demo

    enable(app)
    with app.app_context():
        create_demo(get_team("youth"), utcnow().date())
    client = app.test_client()
    sign_in(client, "owner@example.org")
    for page in PAGES:
        response = client.get(f"{S}{page}?lang={lang}")
        assert response.status_code == 200, (page, lang)
        if lang != "en":
            assert "Social value dashboard" not in response.get_data(as_text=True), (page, lang)


@pytest.mark.parametrize("lang", ["cy", "pl", "ur"])
def test_help_page_shows_the_status_rules_translated(app, people, lang):
    enable(app)
    page = app.test_client().get(f"{S}/help?lang={lang}").get_data(as_text=True)
    assert HEADINGS[lang] in page
    rules = page.split('id="status-rules"')[1].split("</ol>")[0]
    assert "On the due date itself" not in rules and "none of the above applies" not in rules
