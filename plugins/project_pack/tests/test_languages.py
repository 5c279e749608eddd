"""Every page of the plugin in every shipped language."""

import pytest

from coproduce.testing.fixtures import sign_in
from coproduce_plugins.project_pack.tests.route_matrix import MATRIX, seed

EXPECTED = {"cy": "Pecynnau prosiect", "pl": "Pakiety projektów", "ur": "منصوبوں کے پیک"}


@pytest.mark.parametrize("locale", ["cy", "pl", "ur"])
def test_every_page_in_every_language(app, people, youth, locale):
    with app.app_context():
        values = seed(app, people)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    for endpoint, (method, url, _statuses) in sorted(MATRIX.items()):
        if method != "GET" or endpoint.endswith(("pack_zip", "pack_pdf", "document")):
            continue
        response = client.get(url.format(**values) + f"?lang={locale}")
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert f'lang="{locale}"' in page, url
        assert EXPECTED[locale] in page, url  # the plugin's own name in the navigation, translated
    log_form = client.get(f"/t/youth/projects/{values['project_id']}/log/new?lang={locale}").get_data(as_text=True)
    assert {"cy": "Diwrnod", "pl": "Dzień", "ur": "دن"}[locale] in log_form
    assert "What did you learn" not in log_form
