"""Small helpers for the plugin's tests."""

import re

from coproduce.plugins import db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.initiatives.models import Initiative

BASE = "/t/youth/initiatives"
NEW = {
    "name": "Maple Street Soup Kitchen",
    "summary": "Hot soup on cold evenings for anyone who turns up.",
    "runner": "informal",
    "runner_name": "Maple Street neighbours",
    "ward": "brookside",
    "get_involved": "Bring a pan.",
    "times": "Fridays 6pm",
    "creche": "y",
    "languages": "English, Polish",
    "contact_name": "Ada",
    "contact_email": "Ada@Example.org",
    "consent": "y",
    "not_listed": "y",
}


def member_client(app, email="member@example.org"):
    client = app.test_client()
    sign_in(client, email)
    return client


def by_name(app, name):
    with app.app_context():
        return db.session.execute(db.select(Initiative).where(Initiative.name == name)).scalar_one_or_none()


def token_of(page: str) -> str | None:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else None
