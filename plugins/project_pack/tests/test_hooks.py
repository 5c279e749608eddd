"""Other plugins' sections on the project page and pack (project_panels), demo data, personal data."""

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team
from coproduce_plugins.project_pack.models import Document, LogEntry, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client


@pytest.mark.hook("project_panels")
def test_panels_appear_for_each_audience(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    assert "for team" in client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    public = app.test_client().get(f"{BASE}/{pid}").get_data(as_text=True)
    assert "Dummy panel" in public and "for public" in public and "for team" not in public


@pytest.mark.hook("project_panels")
def test_panels_of_plugins_the_team_switched_off_do_not_appear(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "dummy_plugin", False)
    assert "Dummy panel" not in client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "Dummy panel" not in app.test_client().get(f"{BASE}/{pid}").get_data(as_text=True)


@pytest.mark.hook("demo_data")
def test_demo_data_fills_every_part_of_the_pack(app, people, youth):
    with app.app_context():
        from coproduce_plugins.project_pack.demo import create_demo

        create_demo(get_team("youth"))
        projects = db.session.execute(db.select(Project)).scalars().all()
        assert {p.status for p in projects} >= {"idea", "forming", "active", "completed"}
        assert db.session.execute(db.select(db.func.count(Document.id))).scalar_one() >= 2
        assert db.session.execute(db.select(db.func.count(LogEntry.id))).scalar_one() >= 3
        assert any(p.skills for p in projects) and any(c.evidence for p in projects for c in p.criteria)
        club = next(p for p in projects if p.status == "active")
        pid, did = club.id, club.documents[0].id
    client = member_client(app)
    assert client.get(f"{BASE}/{pid}/documents/{did}/preview").status_code == 200
    assert client.get(f"{BASE}/{pid}/manage").status_code == 200


@pytest.mark.hook("personal_data")
def test_personal_data_and_erasure(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client, lead_user=str(people["member"]), lead_name="Member")
    client.post(
        f"{BASE}/{pid}/log/new", data={"kind": "progress", "happened_on": ["1", "1", "2026"], "text": "Started"}
    )
    with app.app_context():
        from coproduce.plugins import User

        user = db.session.get(User, people["member"])
        from coproduce.plugins import Person

        hooks = app.extensions["plugins"].all_hooks()
        person = Person.of_user(user)
        data = dict(hooks.each("personal_data", user=user, person=person))["project_pack"]
        assert data["log_entries"][0]["text"] == "Started" and data["projects_led_or_co_owned"][0]["id"] == pid
        list(hooks.each("erase_personal_data", user=user, person=person))
        db.session.commit()
        project = db.session.get(Project, pid)
        assert project.lead_user_id is None and project.lead_name == "[removed]"
        assert project.log[0].author_name == "[removed]" and project.log[0].text == "Started"


@pytest.mark.hook("erase_personal_data")
def test_erasing_an_account_never_blanks_another_persons_name(app, people, youth):
    """A resident co-owner whose entry links the member who typed it in keeps their name."""
    client = member_client(app)
    pid = make_project(app, client, co_owner_user=str(people["member"]), co_owner_name="Casey Coowner")
    admin = member_client(app, "admin@example.org")
    assert admin.post(f"/admin/users/{people['member']}/erase").status_code == 302
    with app.app_context():
        project = db.session.get(Project, pid)
        assert project.co_owner_user_id is None
        assert project.co_owner_name == "Casey Coowner" and project.lead_name == "Lee Lead"


@pytest.mark.hook("personal_data")
def test_consents_keep_their_wording_version_and_time(app, people, youth):
    from coproduce.plugins import Person, User
    from coproduce_plugins.project_pack.models import Contact

    client = member_client(app)
    pid = make_project(app, client, lead_user=str(people["member"]), lead_name="Member", owners_public="y")
    client.post(f"{BASE}/{pid}/contacts/new", data={"name": "Ash", "reach": "ash@example.net", "consent": "y"})
    with app.app_context():
        contact = db.session.execute(db.select(Contact)).scalar_one()
        assert contact.consent_wording == "contact-publish-1" and contact.consent_recorded_at is not None
        member = db.session.get(User, people["member"])
        held = dict(
            app.extensions["plugins"].all_hooks().each("personal_data", user=member, person=Person.of_user(member))
        )
        names = held["project_pack"]["projects_led_or_co_owned"][0]["names_on_public_page_consent"]
        assert names["wording_version"] == "owners-public-1" and names["given_at"]
        ash = Person(email="ASH@example.net")
        shown = dict(app.extensions["plugins"].all_hooks().each("personal_data", user=None, person=ash))["project_pack"]
        assert shown["project_contacts"][0]["consent_to_show_on_public_page"]["wording_version"] == "contact-publish-1"
    client.post(
        f"{BASE}/{pid}/edit",
        data={"title": "Skate park", "status": "active", "lead_name": "Member", "lead_user": "", "co_owner_user": ""},
    )
    with app.app_context():
        project = db.session.get(Project, pid)
        assert not project.owners_public and project.owners_public_at is None


@pytest.mark.hook("dashboard_widgets")
def test_the_team_dashboard_shows_the_projects_widget(app, people, youth):
    client = member_client(app)
    page = client.get("/t/youth/dashboard").get_data(as_text=True)
    assert "Nothing to show yet" not in page and "No projects yet." in page
    make_project(app, client)
    page = client.get("/t/youth/dashboard").get_data(as_text=True)
    assert "Active: 1" in page and "0 offers of help in the inbox" in page
