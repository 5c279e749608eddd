"""Every page of the plugin in every shipped language."""

import pytest

from coproduce.testing.fixtures import sign_in
from coproduce_plugins.initiatives.tests.route_matrix import MATRIX, seed

EXPECTED = {"cy": "Mentrau", "pl": "Inicjatywy", "ur": "سرگرمیاں"}


@pytest.mark.parametrize("locale", ["cy", "pl", "ur"])
def test_every_page_in_every_language(app, people, youth, locale):
    with app.app_context():
        values = seed(app, people)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    for endpoint, (method, url, statuses) in sorted(MATRIX.items()):
        if method != "GET" or statuses[4] != 200 or "/openreferral/" in url or url.endswith(".json"):
            continue
        response = client.get(url.format(**values) + f"?lang={locale}")
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert f'lang="{locale}"' in page, url
        assert EXPECTED[locale] in page, url  # the plugin's own name in the navigation, translated
