"""Message contexts: one English word with two meanings gets two messages, so each language can say each
meaning its own way ("Name" of a person is "Imię i nazwisko" in Polish, of a cookie "Nazwa")."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

import coproduce.plugins as toolkit
from coproduce.testing.fixtures import sign_in

REPO = Path(__file__).resolve().parent.parent


def test_the_extractor_knows_the_context_keywords():
    import runpy

    keywords = runpy.run_path(str(REPO / "scripts" / "i18n.py"))["KEYWORDS"]
    for keyword in ("pgettext:1c,2", "lazy_pgettext:1c,2", "npgettext:1c,2,3"):
        assert keyword in keywords
    with (REPO / "core" / "translations" / "coproduce.pot").open("rb") as f:
        contexts = {(m.context, m.id) for m in read_po(f) if m.context}
    assert {("person", "Name"), ("cookie", "Name"), ("team", "Name"), ("team role", "Owner")} <= contexts


def test_the_toolkit_translates_with_a_context(app):
    with app.test_request_context("/?lang=pl"):
        app.preprocess_request()
        assert toolkit.pgettext("person", "Name") == "Imię i nazwisko"
        assert str(toolkit.lazy_pgettext("cookie", "Name")) == "Nazwa"
        assert toolkit.npgettext("none", "%(num)d page", "%(num)d pages", 2) == "2 pages"  # no such message: English


def test_a_page_shows_each_meaning_in_its_own_words(app, people):
    client = app.test_client()
    assert '<th scope="col" class="govuk-table__header">Nazwa</th>' in client.get("/cookies?lang=pl").text
    sign_in(client, "owner@example.org")
    assert "Imię i nazwisko" in client.get("/account?lang=pl").text
    members = client.get("/t/youth/manage/members?lang=pl").text
    assert "Imię i nazwisko" in members and "Właściciel" in members
