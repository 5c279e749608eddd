"""Small helpers for the plugin's tests."""

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.project_pack.models import Project

BASE = "/t/youth/projects"


def member_client(app, email="member@example.org"):
    client = app.test_client()
    sign_in(client, email)
    return client


def make_project(app, client, **fields) -> int:
    data = {
        "title": "Skate park",
        "summary": "A skate park the young people design",
        "status": "active",
        "background": "Asked for by **young people**.",
        "goals": "Somewhere to skate",
        "set_in_stone": "Budget: £20,000",
        "up_for_grabs": "Where it goes\nWhat it looks like",
        "lead_name": "Lee Lead",
        "co_owner_name": "Casey Coowner",
        "co_owner_role": "Young person",
        "lead_user": "",
        "co_owner_user": "",
        "criteria": "Young people using it | Count on Saturdays | 30",
    }
    data.update(fields)
    response = client.post(f"{BASE}/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        return (
            db.session.execute(db.select(Project.id).where(Project.title == data["title"]).order_by(Project.id.desc()))
            .scalars()
            .first()
        )


def youth_id(app):
    with app.app_context():
        return get_team("youth").id
