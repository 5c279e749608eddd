"""The retention page and each module's privacy notice are built from the rules and PluginMeta, translated."""

import pytest


def test_retention_page_lists_each_rule_with_its_period_and_reason(make_app):
    app = make_app(RETENTION_MONTHS={"consultation_vs_coproduction.drafts": 9})
    page = app.test_client().get("/privacy/retention").get_data(as_text=True)
    assert "Readiness answers in progress and private result links" in page
    assert "9 months" in page and "An unfinished answer is useful only while the person may come back" in page
    assert "One-time keys of public forms" in page and "1 month" in page
    assert "Kept until it is deleted" in page and "/privacy/project_pack" in page


@pytest.mark.parametrize(
    "plugin, words",
    [
        ("project_pack", ("Project packs", "Consent (article 6(1)(a))", "Members of the team that runs the project")),
        ("procurement_social_value", ("Social value in procurement", "Public task", "through their private link")),
        ("consultation_vs_coproduction", ("Co-production readiness", "6 months", "combined figures only")),
    ],
)
def test_each_module_has_a_privacy_notice(client, plugin, words):
    page = client.get(f"/privacy/{plugin}").get_data(as_text=True)
    for heading in ("What we keep", "Why we keep it", "Our lawful basis", "How long we keep it", "Who can see it"):
        assert heading in page
    for word in words:
        assert word in page


def test_notices_are_translated_and_linked_from_the_privacy_notice(client):
    welsh = client.get("/privacy/project_pack?lang=cy").get_data(as_text=True)
    assert "Pam rydym yn ei gadw" in welsh and "Ein sail gyfreithlon" in welsh
    assert "Tasg gyhoeddus" in welsh
    notice = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "/privacy/project_pack" in notice and "/privacy/retention" in notice
    assert client.get("/privacy/no_such_module").status_code == 404
