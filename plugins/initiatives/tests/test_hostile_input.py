"""Hostile input posted to every form of the plugin (see coproduce.testing.hostile): never a 500, an invalid
post stores nothing and shows the GOV.UK error summary with a message beside the field, and a stored payload
is never shown unescaped."""

from __future__ import annotations

import json

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team
from coproduce.testing.hostile import (
    IMG,
    SCRIPT,
    Clients,
    HostileForm,
    Upload,
    check_coverage,
    check_csrf_refusals,
    run_hostile_posts,
    table_names,
)
from coproduce_plugins.initiatives.demo import create_demo
from coproduce_plugins.initiatives.directory import token_hash
from coproduce_plugins.initiatives.models import Comment, Initiative, Theme, Volunteer
from coproduce_plugins.initiatives.tests.conftest import PLUGINS
from coproduce_plugins.initiatives.tests.helpers import BASE

NAME = "initiatives"
MEMBER = "member@example.org"
OWNER = "owner@example.org"
TOKEN = "a-private-token-for-the-hostile-tests"
P = f"{BASE}/{{initiative_id}}"
INITIATIVE = {
    "name": f"{SCRIPT} Soup Night",
    "summary": f"{IMG} soup for all",
    "runner": "informal",
    "runner_name": SCRIPT,
    "themes": "{theme_id}",
    "ward": "brookside",
    "lat": "53.73",
    "lon": "-1.58",
    "get_involved": SCRIPT,
    "times": IMG,
    "creche": "y",
    "step_free": "y",
    "languages": SCRIPT,
    "website": "https://example.org/soup",
    "contact_name": SCRIPT,
    "contact_email": "ada@example.org",
    "contact_phone": "01632 960 001",
    "consent": "y",
    "contact_public": "y",
}
STAFF = {
    **INITIATIVE,
    "project_links": "/t/youth/projects/1\n12",
    "need_links": "https://example.org/need/1",
    # The same payloads in the other languages' inputs (coproduce.plugins.translated).
    "name-cy": f"{SCRIPT} Noson Gawl",
    "summary-ur": f"{IMG}\n{SCRIPT}",
    "get_involved-pl": IMG,
    "times-cy": SCRIPT,
}
PERSON = {"name": f"{SCRIPT} Lee", "email": "lee@example.org", "phone": "01632 960 002", "consent": "y"}
FEED = json.dumps(
    {
        "contents": [
            {
                "id": "5b0f3c9e-7d2a-4e61-8f0e-2c4b6a8d9e10",
                "name": f"{SCRIPT} Counselling",
                "description": IMG,
                "url": "https://example.org/c",
                "status": "active",
                "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": IMG, "description": "x"},
            }
        ]
    }
).encode()
EDGES = {"lat": ["nan", "1e999", "-91", "٤٢"], "lon": ["inf", "181"], "themes": [" ", "999999"], "ward": [" "]}
FORMS = [
    HostileForm(
        f"{NAME}.add",
        f"{BASE}/add",
        None,
        {**INITIATIVE, "not_listed": "y"},
        edges=EDGES,
        shown=((MEMBER, f"{BASE}/manage"),),
    ),
    HostileForm(
        f"{NAME}.edit_own", f"{BASE}/edit/{TOKEN}", None, INITIATIVE, edges=EDGES, shown=((MEMBER, f"{BASE}/manage"),)
    ),
    HostileForm(
        f"{NAME}.new", f"{BASE}/manage/new", MEMBER, STAFF, edges=EDGES, shown=((None, f"{BASE}/"), f"{BASE}/map")
    ),
    HostileForm(
        f"{NAME}.edit",
        f"{BASE}/manage/{{initiative_id}}/edit",
        MEMBER,
        STAFF,
        edges=EDGES,
        shown=(
            (None, P),
            (None, f"{BASE}/?q=soup"),
            (None, f"{P}?lang=cy"),
            (None, f"{BASE}/?lang=ur"),
            f"{BASE}/manage/{{initiative_id}}",
        ),
    ),
    HostileForm(
        f"{NAME}.discuss", f"{P}/discuss", None, {"name": SCRIPT, "body": IMG}, shown=((MEMBER, f"{BASE}/manage"),)
    ),
    HostileForm(
        f"{NAME}.pledge", f"{P}/pledge", None, {"name": IMG, "body": SCRIPT}, shown=((MEMBER, f"{BASE}/manage"),)
    ),
    HostileForm(
        f"{NAME}.volunteer",
        f"{P}/volunteer",
        None,
        {**PERSON, "message": SCRIPT},
        shown=((MEMBER, f"{BASE}/manage/volunteers"),),
    ),
    HostileForm(
        f"{NAME}.offer_skills",
        f"{BASE}/skills/offer",
        None,
        {**PERSON, "ward": "riverside", "skills": ["cooking", "driving"]},
        edges={"ward": [" "], "skills": ["nope"]},
        shown=((None, f"{BASE}/skills"), (MEMBER, f"{BASE}/manage/volunteers")),
    ),
    HostileForm(
        f"{NAME}.themes",
        f"{BASE}/manage/themes",
        MEMBER,
        {"name": f"{SCRIPT} Play", "name-cy": SCRIPT},
        shown=((None, f"{BASE}/add"), (None, f"{BASE}/add?lang=cy")),
    ),
    HostileForm(
        f"{NAME}.map_settings_page",
        f"{BASE}/manage/map",
        OWNER,
        {"boundary_file": "", "wards_file": "", "tile_url": "https://tiles.example.org/{z}/{x}/{y}.png"},
        edges={"boundary_file": ["../etc/passwd.json", "a/b.json"], "tile_url": ["javascript:alert(1)//{z}"]},
        shown=((None, f"{BASE}/map"),),
    ),
    HostileForm(
        f"{NAME}.import_feed",
        f"{BASE}/manage/import",
        MEMBER,
        {"file": Upload(FEED, "feed.json")},
        shown=((None, f"{BASE}/"), f"{BASE}/manage"),
        examples=5,
    ),
    HostileForm(f"{NAME}.appreciate", f"{P}/appreciate", None),
    HostileForm(f"{NAME}.report", f"{BASE}/comments/{{comment_id}}/report", None),
    HostileForm(f"{NAME}.decide", f"{BASE}/manage/{{pending_id}}/publish", MEMBER),
    HostileForm(f"{NAME}.moderate", f"{BASE}/manage/comments/{{pledge_id}}/publish", MEMBER),
    HostileForm(
        f"{NAME}.edit_theme",
        f"{BASE}/manage/themes/{{theme_id}}/edit",
        MEMBER,
        {"name": f"{SCRIPT} Chwarae", "name-pl": IMG, "name-ur": SCRIPT},
        shown=((None, f"{BASE}/add?lang=pl"), (None, f"{BASE}/?lang=ur"), f"{BASE}/manage/themes"),
    ),
    HostileForm(f"{NAME}.delete_theme", f"{BASE}/manage/themes/{{theme_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.volunteer_handled", f"{BASE}/manage/volunteers/{{volunteer_id}}/handled", MEMBER),
]
# POST routes left out of FORMS, each with its reason (test_every_post_route_has_a_hostile_test).
EXCLUDED: dict[str, str] = {}


@pytest.fixture
def seeded(app, people, youth):
    with app.app_context():
        create_demo(get_team("youth"))
        first = db.session.execute(
            db.select(Initiative).where(Initiative.name == "Brookside Community Fridge")
        ).scalar_one()
        pending = db.session.execute(db.select(Initiative).where(Initiative.status == "pending")).scalars().first()
        pending.edit_token_hash = token_hash(TOKEN)
        db.session.commit()
        comment = db.session.execute(db.select(Comment).where(Comment.status == "published")).scalars().first()
        pledge = db.session.execute(db.select(Comment).where(Comment.status == "pending")).scalars().first()
        return {
            "initiative_id": first.id,
            "pending_id": pending.id,
            "comment_id": comment.id,
            "pledge_id": pledge.id,
            "theme_id": db.session.execute(db.select(Theme.id).order_by(Theme.id.desc())).scalars().first(),
            "volunteer_id": db.session.execute(db.select(Volunteer.id)).scalars().first(),
        }


@pytest.mark.parametrize("form", FORMS, ids=[f.id for f in FORMS])
def test_hostile_posts_never_break_the_form(app, seeded, form):
    with app.app_context():
        tables = table_names("initiatives_")
    run_hostile_posts(app, Clients(app), form, seeded, tables)


def test_every_post_route_has_a_hostile_test(app):
    check_coverage(app, NAME, FORMS, EXCLUDED)


def test_a_post_without_a_valid_csrf_token_stores_nothing(make_app, seeded):
    app = make_app(plugins=PLUGINS, WTF_CSRF_ENABLED=True)
    with app.app_context():
        tables = table_names("initiatives_")
    check_csrf_refusals(app, FORMS, seeded, tables)
