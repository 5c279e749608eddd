"""Every public form that creates something stores it once, however often the same page is sent."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from coproduce.extensions import db
from coproduce.plugins import utcnow
from coproduce.testing.browser import LiveServer
from coproduce.testing.fixtures import get_team


def once_key(page: str) -> str:
    found = re.search(r'<input[^>]*name="once"[^>]*>', page)
    assert found, "the form carries no one-time key"
    return re.search(r'value="([^"]+)"', found.group(0)).group(1)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _enable(app, plugin):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), plugin, True)


def need_form(app):
    from coproduce_plugins.procurement_social_value.models import Need

    _enable(app, "procurement_social_value")
    return "/t/youth/social-value/needs/new", {"title": "A bench by the bus stop"}, Need


def community_check(app):
    from coproduce_plugins.procurement_social_value.models import CommunityCheck
    from coproduce_plugins.procurement_social_value.tests.helpers import make_contract

    _enable(app, "procurement_social_value")
    ids = make_contract(app)
    return (
        f"/t/youth/social-value/commitments/{ids['commitment']}/check",
        {"happened": "yes", "met_need": "yes", "comment": "Saw it myself"},
        CommunityCheck,
    )


def supplier_report(app):
    from coproduce_plugins.procurement_social_value.models import DeliveryReport
    from coproduce_plugins.procurement_social_value.tests.helpers import date_fields, make_contract
    from coproduce_plugins.procurement_social_value.tests.test_public_and_supplier import make_link

    _enable(app, "procurement_social_value")
    ids = make_contract(app)
    _, token = make_link(app, ids["contract"])
    today = utcnow().date()
    return (
        f"/t/youth/social-value/supplier/{ids['contract']}/{token}",
        {
            "commitment": str(ids["commitment"]),
            "quantity": "3",
            "note": "Three trainees started",
            **date_fields("period_start", today - timedelta(20)),
            **date_fields("period_end", today),
        },
        DeliveryReport,
    )


def offer_of_skills(app):
    from coproduce_plugins.project_pack.models import Offer

    _enable(app, "project_pack")
    return (
        "/t/youth/projects/offer-skills",
        {"name": "Nina", "reach": "nina@example.net", "skills": ["design"], "consent": "y"},
        Offer,
    )


def card_sort(app):
    from coproduce_plugins.consultation_vs_coproduction.models import Sort
    from coproduce_plugins.consultation_vs_coproduction.scenarios import standard_deck

    _enable(app, "consultation_vs_coproduction")
    deck = standard_deck()
    return ("/t/youth/readiness/exercise", {card.id: card.answer for card in deck.cards}, Sort)


FORMS = [need_form, community_check, supplier_report, offer_of_skills, card_sort]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_the_same_page_sent_twice_is_stored_once_and_both_answers_agree(app, people, form):
    path, data, model = form(app)
    client = app.test_client()
    key = once_key(client.get(path).get_data(as_text=True))
    first = client.post(path, data={**data, "once": key})
    again = client.post(path, data={**data, "once": key})
    assert first.status_code in (200, 302, 303) and again.status_code in (200, 302, 303)
    assert first.headers.get("Location") == again.headers.get("Location")
    assert _count(app, model) == 1
    fresh = once_key(client.get(path).get_data(as_text=True))
    assert fresh != key
    client.post(path, data={**data, "once": fresh})
    assert _count(app, model) == 2, "a new visit to the form is a new submission"


@pytest.mark.parametrize("form", [need_form, supplier_report], ids=lambda f: f.__name__)
def test_ten_copies_sent_at_the_same_moment_are_stored_once(make_app, people, form):
    app = make_app(SERVER_NAME=None)
    path, data, model = form(app)
    with LiveServer(app) as server:
        key = once_key(httpx.get(server.url + path).text)
        with ThreadPoolExecutor(10) as pool:
            sent = list(
                pool.map(lambda _: httpx.post(server.url + path, data={**data, "once": key}, timeout=60), range(10))
            )
    assert {r.status_code for r in sent} <= {302, 303}
    assert len({r.headers["Location"] for r in sent}) == 1
    assert _count(app, model) == 1


def test_a_page_sent_with_an_invalid_key_is_still_stored(app, people):
    path, data, model = need_form(app)
    client = app.test_client()
    assert client.post(path, data={**data, "once": "made-up"}).status_code == 302
    assert _count(app, model) == 1
