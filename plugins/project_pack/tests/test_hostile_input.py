"""Hostile input posted to every form of the project pack (see tests/hostile.py): never a 500, an invalid
post stores nothing and shows the GOV.UK error summary with a message beside the field, and a stored
payload is never shown unescaped (Markdown included)."""

from __future__ import annotations

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team
from coproduce.testing.hostile import (
    IMG,
    NUMBER_EDGES,
    SCRIPT,
    Clients,
    HostileForm,
    Upload,
    check_coverage,
    check_csrf_refusals,
    run_hostile_posts,
    table_names,
)
from coproduce_plugins.project_pack.demo import create_demo
from coproduce_plugins.project_pack.models import Offer, Project
from coproduce_plugins.project_pack.tests.conftest import PLUGINS
from coproduce_plugins.project_pack.tests.helpers import BASE

NAME = "project_pack"
MEMBER = "member@example.org"
DAY = ["27", "3", "2026"]
P = f"{BASE}/{{project_id}}"
MANAGE = f"{P}/manage"
PUBLIC = (None, P)
PROJECT = {
    "title": f"{SCRIPT} Skate park",
    "summary": f"{IMG} by young people",
    "status": "active",
    "background": f"Asked for by **young people**. {SCRIPT}\n\n[click](javascript:alert(1))"
    " <img src=x onerror=alert(1)>",
    "goals": SCRIPT,
    "set_in_stone": f"Budget: £20,000 {IMG}",
    "up_for_grabs": f"Where it goes\n{SCRIPT}",
    "lead_name": f"{SCRIPT} Lee",
    "lead_user": "",
    "co_owner_name": f"{IMG} Casey",
    "co_owner_role": "Young person",
    "co_owner_user": "",
    "owners_public": "y",
    # The same payloads in the other languages' inputs (coproduce.plugins.translated).
    "title-cy": f"{SCRIPT} Parc sglefrio",
    "background-cy": f"Gan **bobl ifanc**. {SCRIPT}\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "goals-ur": SCRIPT,
    "summary-pl": IMG,
}
OFFER = {
    "name": f"{SCRIPT} Sam",
    "organisation": IMG,
    "reach": f"sam@example.org {SCRIPT}",
    "activities": ["youth_club", "carer"],
    "skills": ["cooking"],
    "message": f"{SCRIPT}\n{IMG}",
    "consent": "y",
}
CSV = f'Name,Score\n{SCRIPT},3\n=HYPERLINK("http://evil"),4\n'.encode()
FORMS = [
    HostileForm(
        f"{NAME}.new",
        f"{BASE}/new",
        MEMBER,
        {**PROJECT, "criteria": f"People using it | Count on Saturdays | 30\n{SCRIPT} | {IMG} | 1"},
        shown=(f"{BASE}/manage", (None, f"{BASE}/"), (None, f"{BASE}/?q=skate")),
    ),
    HostileForm(
        f"{NAME}.edit",
        f"{P}/edit",
        MEMBER,
        PROJECT,
        edges={"lead_user": [" "], "co_owner_user": ["\t"]},
        shown=(MANAGE, PUBLIC, (None, f"{BASE}/"), (None, f"{P}?lang=cy"), (None, f"{BASE}/?lang=pl")),
    ),
    HostileForm(
        f"{NAME}.add_contact",
        f"{P}/contacts/new",
        MEMBER,
        {"name": f"{SCRIPT} Alice", "role": IMG, "organisation": SCRIPT, "reach": f"{IMG} 0770", "consent": "y"},
        shown=(MANAGE, PUBLIC),
    ),
    HostileForm(
        f"{NAME}.add_skill",
        f"{P}/skills/new",
        MEMBER,
        {"skill": "cooking", "note": f"{SCRIPT} snacks", "note-pl": SCRIPT},
        shown=(MANAGE, PUBLIC, (None, f"{BASE}/?skill=cooking")),
    ),
    HostileForm(
        f"{NAME}.add_log",
        f"{P}/log/new",
        MEMBER,
        {"kind": "learning", "happened_on": DAY, "text": f"{SCRIPT} we met", "working_together": IMG},
        shown=(MANAGE,),
    ),
    HostileForm(
        f"{NAME}.add_criterion",
        f"{P}/criteria/new",
        MEMBER,
        {"what": f"{SCRIPT} people", "measure": IMG, "target": f"{SCRIPT} 30", "what-cy": SCRIPT, "target-ur": IMG},
        shown=(MANAGE, PUBLIC),
    ),
    HostileForm(
        f"{NAME}.add_evidence",
        f"{P}/criteria/{{criterion_id}}/evidence/new",
        MEMBER,
        {"note": f"{SCRIPT} counted", "figure": "1,234.5", "observed_on": DAY, "document": "{document_id}"},
        edges={"figure": NUMBER_EDGES, "document": [" "]},
        shown=(MANAGE, PUBLIC),
    ),
    HostileForm(
        f"{NAME}.new_template",
        f"{BASE}/templates/new",
        MEMBER,
        {
            "name": f"{SCRIPT} youth project",
            "goals": IMG,
            "set_in_stone": SCRIPT,
            "up_for_grabs": IMG,
            "criteria": f"{SCRIPT} | {IMG} | 3",
        },
        shown=(f"{BASE}/templates", f"{BASE}/new"),
    ),
    HostileForm(
        f"{NAME}.offer_help",
        f"{P}/offer-help",
        None,
        OFFER,
        shown=((MEMBER, f"{BASE}/inbox"), (MEMBER, MANAGE), (MEMBER, f"{BASE}/manage")),
    ),
    HostileForm(
        f"{NAME}.offer_skills", f"{BASE}/offer-skills", None, OFFER, shown=((MEMBER, f"{BASE}/inbox"), (MEMBER, MANAGE))
    ),
    HostileForm(
        f"{NAME}.upload",
        f"{P}/documents/new",
        MEMBER,
        {"title": f"{SCRIPT} scores", "file": Upload(CSV, f"{SCRIPT}.csv")},
        shown=(MANAGE,),
    ),
    HostileForm(
        f"{NAME}.import_form", f"{BASE}/import", MEMBER, {"file": "{pack}"}, shown=(f"{BASE}/manage",), examples=5
    ),
    HostileForm(f"{NAME}.delete_contact", f"{P}/contacts/{{contact_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.delete_skill", f"{P}/skills/{{skill_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.delete_document", f"{P}/documents/{{document_id}}/delete", MEMBER),
    HostileForm(f"{NAME}.offer_handled", f"{BASE}/inbox/{{offer_id}}/handled", MEMBER),
]
# POST routes left out of FORMS, each with its reason (test_every_post_route_has_a_hostile_test).
EXCLUDED: dict[str, str] = {
    f"{NAME}.pack_pdf": "a button with no fields that starts a core background job: test_pack_jobs.py",
    f"{NAME}.pack_zip": "a button with no fields that starts a core background job: test_pack_jobs.py",
}


@pytest.fixture
def seeded(app, people, youth):
    with app.app_context():
        create_demo(get_team("youth"))
        project = db.session.execute(db.select(Project).where(Project.title.like("Friday%"))).scalar_one()
        offer = db.session.execute(db.select(Offer).where(Offer.handled.is_(False))).scalars().first()
        return {
            "project_id": project.id,
            "document_id": project.documents[0].id,
            "criterion_id": project.criteria[0].id,
            "contact_id": project.contacts[0].id,
            "skill_id": project.skills[0].id,
            "offer_id": offer.id,
        }


@pytest.mark.parametrize("form", FORMS, ids=[f.id for f in FORMS])
def test_hostile_posts_never_break_the_form(app, seeded, form):
    clients = Clients(app)
    if form.valid.get("file") == "{pack}":  # a real pack, exported from this site
        pack = clients[MEMBER].get(f"{BASE}/{seeded['project_id']}/pack.zip")
        assert pack.status_code == 200
        seeded = {**seeded, "pack": Upload(pack.data, "pack.zip")}
    with app.app_context():
        tables = table_names("project_pack_")
    run_hostile_posts(app, clients, form, seeded, tables)


def test_every_post_route_has_a_hostile_test(app):
    check_coverage(app, NAME, FORMS, EXCLUDED)


def test_a_post_without_a_valid_csrf_token_stores_nothing(make_app, seeded):
    app = make_app(plugins=PLUGINS, WTF_CSRF_ENABLED=True)
    with app.app_context():
        tables = table_names("project_pack_")
    check_csrf_refusals(app, FORMS, {**seeded, "pack": Upload(b"PK\x03\x04", "pack.zip")}, tables)
