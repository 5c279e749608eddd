"""The team's "Waiting for you" page and the dashboard's summary, from the waiting_items hook."""

import pytest

from coproduce.extensions import db
from coproduce.testing import sign_in
from tests.dummy_plugin.models import DummyNote


@pytest.mark.hook("waiting_items")
def test_waiting_items_appear_on_the_page_and_dashboard_and_go_when_dealt_with(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert "Nothing is waiting for the team." in client.get("/t/youth/waiting").get_data(as_text=True)
    with app.app_context():
        db.session.add(DummyNote(team_id=people["team"], text="Ring the youth club"))
        db.session.add(DummyNote(team_id=people["team"], text="Book the hall"))
        db.session.commit()
    page = client.get("/t/youth/waiting").get_data(as_text=True)
    assert "2 things are waiting for the team." in page
    assert '<h2 class="govuk-heading-m">Dummy notes to read</h2>' in page
    assert 'href="/t/youth/dummy/">Ring the youth club</a>' in page or "Ring the youth club</a>" in page
    dashboard = client.get("/t/youth/dashboard").get_data(as_text=True)
    assert "Dummy notes to read: <strong>2</strong>" in dashboard
    assert "See all 2 things waiting" in dashboard
    with app.app_context():
        db.session.execute(db.delete(DummyNote).where(DummyNote.text == "Ring the youth club"))
        db.session.commit()
    page = client.get("/t/youth/waiting").get_data(as_text=True)
    assert "Ring the youth club" not in page and "Book the hall" in page
    assert "Dummy notes to read" not in client.get("/t/parks/waiting").get_data(as_text=True)  # 403 to this member


def test_only_members_see_what_is_waiting(app, people):
    assert app.test_client().get("/t/youth/waiting").status_code == 302
    outsider = app.test_client()
    sign_in(outsider, "outsider@example.org")
    assert outsider.get("/t/youth/waiting").status_code == 403
