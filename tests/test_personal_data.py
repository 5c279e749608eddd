"""Subject access exports everything held about a person; erasure anonymises it and keeps the counts."""

import json

import pytest

from coproduce.extensions import db
from coproduce.models import AuditEvent, Membership, User
from coproduce.testing.fixtures import sign_in
from tests.dummy_plugin.models import DummyNote


@pytest.fixture
def admin(app, people):
    client = app.test_client()
    sign_in(client, "admin@example.org")
    with app.app_context():
        db.session.add(DummyNote(team_id=people["team"], author_id=people["member"], text="my idea"))
        db.session.commit()
    return client


@pytest.mark.hook("personal_data")
def test_site_admin_downloads_everything_held_about_a_person(app, people, admin):
    response = admin.get(f"/admin/users/{people['member']}/personal-data")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    assert data["account"]["email"] == "member@example.org"
    assert data["teams"] == [{"team": "youth", "role": "member", "since": data["teams"][0]["since"]}]
    assert data["plugins"]["dummy_plugin"] == {"notes": ["my idea"]}
    assert "password" not in json.dumps(data).lower()


@pytest.mark.hook("erase_personal_data")
def test_erasure_anonymises_everywhere_and_keeps_aggregates(app, people, admin):
    assert admin.post(f"/admin/users/{people['member']}/erase").status_code == 302
    with app.app_context():
        user = db.session.get(User, people["member"])
        assert "member@example.org" not in user.email and user.display_name == "Erased person"
        assert user.is_disabled and not user.password_hash
        assert db.session.execute(db.select(Membership).where(Membership.user_id == user.id)).first() is None
        assert db.session.execute(db.select(db.func.count(DummyNote.id))).scalar_one() == 1
        assert db.session.execute(db.select(DummyNote.text)).scalar_one() == "[removed]"
        actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
        assert "user.erased" in actions
    member = app.test_client()
    response = member.post("/sign-in", data={"email": "member@example.org", "password": "correct horse battery staple"})
    assert response.status_code == 200  # no account answers to that address any more


def test_an_erased_account_cannot_be_enabled_or_made_site_admin(app, people, admin):
    assert admin.post(f"/admin/users/{people['member']}/erase").status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    row = page[page.index("Erased person") :].split("</tr>")[0]
    assert "Erased" in row and "Enable" not in row and "Make site admin" not in row
    for action in ("enable", "make-admin"):
        admin.post(f"/admin/users/{people['member']}/{action}")
    with app.app_context():
        user = db.session.get(User, people["member"])
        assert user.is_disabled and not user.is_site_admin
