"""What the project packs put on the team's "Waiting for you" page, and how each item goes away."""

from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing import once_key
from coproduce_plugins.project_pack.models import Offer, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client


def waiting(client) -> str:
    return client.get("/t/youth/waiting").get_data(as_text=True)


@pytest.mark.hook("waiting_items")
def test_an_offer_of_help_waits_until_someone_marks_it_dealt_with(app, people, youth):
    client = member_client(app)
    project_id = make_project(app, client)
    public = app.test_client()
    key = once_key(public.get(f"{BASE}/{project_id}/offer-help").get_data(as_text=True))
    form = {"name": "Robin Resident", "reach": "robin@example.org", "consent": "y", "message": "I can paint"}
    assert public.post(f"{BASE}/{project_id}/offer-help", data={**form, "once": key}).status_code == 302
    with app.app_context():
        offer = db.session.execute(db.select(Offer)).scalar_one()
        assert offer.project_id == project_id
    page = waiting(client)
    assert "Offers of help not yet answered" in page
    assert f'href="/t/youth/projects/inbox#offer-{offer.id}">Robin Resident offered to help with Skate park</a>' in page
    assert f'id="offer-{offer.id}"' in client.get(f"{BASE}/inbox").get_data(as_text=True)
    assert "Offers of help not yet answered: <strong>1</strong>" in client.get("/t/youth/dashboard").get_data(
        as_text=True
    )
    client.post(f"{BASE}/inbox/{offer.id}/handled")
    assert "Robin Resident" not in waiting(client)


def test_a_quiet_project_waits_until_someone_adds_to_its_log(app, people, youth):
    client = member_client(app)
    project_id = make_project(app, client, title="Community fridge")
    with app.app_context():
        project = db.session.get(Project, project_id)
        project.created_at = project.updated_at = utcnow() - timedelta(weeks=6)
        project.last_log_at = utcnow() - timedelta(weeks=5)
        db.session.commit()
    page = waiting(client)
    assert "Projects gone quiet: no log entry for 4 weeks" in page
    link = f'href="/t/youth/projects/{project_id}/log/new">Community fridge</a>'
    assert link in page
    added = client.post(
        f"{BASE}/{project_id}/log/new",
        data={"kind": "progress", "happened_on": ["1", "11", "2026"], "text": "Fridge installed"},
    )
    assert added.status_code == 302
    assert "Community fridge" not in waiting(client)


def test_nothing_waits_for_a_team_without_the_module(app, people):
    client = member_client(app)
    assert "Nothing is waiting for the team." in waiting(client)
