"""Subject access and erasure for people without an account: found by email address or phone number
across core and every plugin, sent a readable pack, erased everywhere."""

import json

import pytest
import sqlalchemy as sa

from coproduce.extensions import db
from coproduce.models import AuditEvent
from coproduce.person import Person
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import make_contract
from coproduce_plugins.project_pack.tests.helpers import make_project

NAME, EMAIL, PHONE = "Rowan Quill", "rowan.quill@example.net", "07700 900 461"
PROJECTS, SV = "/t/youth/projects", "/t/youth/social-value"


def test_person_normalises_and_matches_email_and_phone():
    person = Person(email="  Rowan.Quill@Example.NET ", phone="+44 (0)7700 900461")
    assert person.email == EMAIL and person.phone == "07700900461"
    assert Person(phone="+447700900461").phone == Person(phone="07700-900-461").phone == "07700900461"
    assert Person(phone="+1 555 010 9999").phone == "+15550109999"
    assert person.matches_email(f"write to {EMAIL.upper()}, thanks")
    assert not person.matches_email("write to xrowan.quill@example.net or rowan.quill@example.network")
    assert person.matches_phone("ring 07700 900 461 after six") and person.matches_phone("(+44) 7700 900461")
    assert not person.matches_phone("ring 07700 900 462") and not person.matches_phone(None)
    assert not Person().matches_email(EMAIL) and not Person().matches_phone(PHONE)


def _all_text(app) -> str:
    """Every text, string and JSON column of every table in core and every plugin."""
    parts = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
            if not columns:
                continue
            for row in db.session.execute(sa.select(*columns)):
                parts.extend(json.dumps(v) if not isinstance(v, str) else v for v in row if v is not None)
    return "\n".join(parts).lower()


@pytest.fixture
def resident(app, people):
    """A resident without an account who offered help, named a need, sent a community check and is a
    project's contact."""
    with app.app_context():
        for plugin in ("project_pack", "procurement_social_value"):
            app.extensions["plugins"].set_enabled(get_team("youth"), plugin, True)
    member = app.test_client()
    sign_in(member, "member@example.org")
    pid = make_project(app, member)
    ids = make_contract(app)
    public = app.test_client()
    offer = {"name": NAME, "reach": EMAIL, "message": f"Or ring {PHONE}", "skills": ["design"], "consent": "y"}
    assert public.post(f"{PROJECTS}/{pid}/offer-help", data=offer).status_code == 302
    need = {"title": "A safe crossing by the school", "description": f"From {NAME}, {EMAIL}", "area": "Northgate"}
    assert public.post(f"{SV}/needs/new", data=need).status_code == 302
    check = {"happened": "no", "met_need": "unsure", "comment": f"Nothing yet. {NAME}, {EMAIL}"}
    assert public.post(f"{SV}/commitments/{ids['commitment']}/check", data=check).status_code == 302
    contact = {"name": NAME, "role": "Neighbour", "reach": f"{PHONE} or {EMAIL}"}  # no consent to publish
    assert member.post(f"{PROJECTS}/{pid}/contacts/new", data=contact).status_code == 302
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    return admin


def test_a_resident_is_found_sent_a_pack_and_erased_everywhere(app, resident):
    admin = resident
    before = _all_text(app)
    assert EMAIL in before and NAME.lower() in before and PHONE in before

    found = admin.post("/admin/people/find", data={"email": EMAIL.upper()})
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    for shown in ("Offers of help", "Needs named", "Community checks sent", "Project contacts", NAME):
        assert shown in page

    pack = admin.post("/admin/people/pack", data={"email": EMAIL, "format": "html"})
    assert pack.status_code == 200 and pack.headers["Content-Disposition"].startswith("attachment;")
    html = pack.get_data(as_text=True)
    assert html.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in html[:200]
    for listed in ("Offers of help", "Needs named", "Community checks sent", "Project contacts", "Consent"):
        assert listed in html
    data = json.loads(admin.post("/admin/people/pack", data={"email": EMAIL, "format": "json"}).data)
    assert set(data["plugins"]["project_pack"]) == {"offers_of_help", "project_contacts"}
    assert set(data["plugins"]["procurement_social_value"]) == {"needs_named", "community_checks_sent"}
    offered = data["plugins"]["project_pack"]["offers_of_help"][0]["consent_to_be_contacted"]
    assert offered["wording_version"] == "offer-contact-1" and offered["given_at"]
    assert offered["wording"].startswith("I agree that the team may keep these details")
    assert data["plugins"]["project_pack"]["project_contacts"][0]["consent_to_show_on_public_page"]["given"] is False

    confirm = admin.post("/admin/people/erase", data={"email": EMAIL})
    assert confirm.status_code == 200 and "Are you sure" in confirm.get_data(as_text=True)
    assert EMAIL in _all_text(app)  # nothing is erased before the confirmation
    done = admin.post("/admin/people/erase", data={"email": EMAIL, "confirmed": "yes"})
    assert done.status_code == 302

    after = _all_text(app)
    digits = PHONE.replace(" ", "")
    assert EMAIL not in after and NAME.lower() not in after and PHONE not in after and digits not in after
    with app.app_context():
        erased = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "person.erased")).scalar_one()
        assert erased.actor_id is not None and erased.at is not None
        assert erased.details["plugins"] == ["procurement_social_value", "project_pack"]
        exported = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "person.personal_data_exported")
        ).scalars()
        assert {e.details["format"] for e in exported} == {"html", "json"}
    # The community check still counts in the public figures, without the resident's words.
    again = json.loads(admin.post("/admin/people/pack", data={"email": EMAIL, "format": "json"}).data)
    assert again["plugins"] == {}


def test_finding_needs_an_email_or_a_phone_and_says_so(app, people):
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    for data, message in (
        ({}, "Enter an email address or a phone number"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"phone": "12"}, "at least 6 digits"),
    ):
        response = admin.post("/admin/people/find", data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    nobody = admin.post("/admin/people/find", data={"phone": "01632 960 001"}).get_data(as_text=True)
    assert "Nothing is held about this person" in nobody
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert member.post("/admin/people/find", data={"email": EMAIL}).status_code == 403
    assert member.post("/admin/people/erase", data={"email": EMAIL, "confirmed": "yes"}).status_code == 403
