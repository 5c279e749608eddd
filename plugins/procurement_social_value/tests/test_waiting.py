"""What social value puts on the team's "Waiting for you" page, and how each item goes away."""

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract


def member(app):
    client = app.test_client()
    sign_in(client, "member@example.org")
    return client


def waiting(client) -> str:
    return client.get("/t/youth/waiting").get_data(as_text=True)


@pytest.mark.hook("waiting_items")
def test_a_delivery_report_waits_for_a_check_until_an_officer_decides(app, people):
    enable(app)
    ids = make_contract(app, reports=[("4", "pending"), ("2", "verified")])
    client = member(app)
    page = waiting(client)
    assert "Delivery reports awaiting a check" in page
    pending, verified = ids["reports"]
    assert f'href="/t/youth/social-value/manage/reports/{pending}/decide">C-1-1:' in page
    assert f"/manage/reports/{verified}/decide" not in page
    assert "Delivery reports awaiting a check: <strong>1</strong>" in client.get("/t/youth/dashboard").get_data(
        as_text=True
    )
    client.post(f"{S}/manage/reports/{pending}/decide", data={"verdict": "verified", "reason": "Payroll seen"})
    assert "Delivery reports awaiting a check" not in waiting(client)


def test_a_new_need_waits_until_it_is_put_on_the_register_or_set_aside(app, people):
    from coproduce_plugins.procurement_social_value.models import Need

    enable(app)
    public = app.test_client()
    for title in ("A bench by the bus stop", "Lights on the towpath"):
        assert public.post(f"{S}/needs/new", data={"title": title, "area": "Eastfield"}).status_code == 302
    with app.app_context():
        bench, lights = db.session.execute(db.select(Need.id).order_by(Need.id)).scalars().all()
    client = member(app)
    page = waiting(client)
    assert f'href="/t/youth/social-value/manage/needs#need-{bench}">A bench by the bus stop</a>' in page
    assert f'id="need-{bench}"' in client.get(f"{S}/manage/needs").get_data(as_text=True)
    client.post(f"{S}/manage/needs/{bench}/curate", data={"state": "accepted"})
    client.post(f"{S}/manage/needs/{lights}/curate", data={"state": "declined"})
    assert "New needs to curate" not in waiting(client)


def test_a_community_check_waits_until_it_is_moderated(app, people):
    from coproduce_plugins.procurement_social_value.models import CommunityCheck

    enable(app)
    ids = make_contract(app)
    public = app.test_client()
    public.post(
        f"{S}/commitments/{ids['commitment']}/check",
        data={"happened": "yes", "met_need": "yes", "comment": "Two apprentices from our estate"},
    )
    with app.app_context():
        check_id = db.session.execute(db.select(CommunityCheck.id)).scalar_one()
    client = member(app)
    page = waiting(client)
    assert "Community checks to moderate" in page
    assert f'href="/t/youth/social-value/manage/moderation#check-{check_id}">' in page
    assert f'id="check-{check_id}"' in client.get(f"{S}/manage/moderation").get_data(as_text=True)
    client.post(f"{S}/manage/checks/{check_id}/moderate", data={"decision": "shown"})
    assert "Community checks to moderate" not in waiting(client)
