"""One function decides what the public sees of a project: the public page, the PDF and the ZIP to share."""

import io
import json
import zipfile

import pytest

from coproduce.plugins import db
from coproduce.testing import job_file
from coproduce.testing.fixtures import add_user
from coproduce_plugins.project_pack.models import Evidence, LogEntry, Project
from coproduce_plugins.project_pack.public_view import CONSENT_RULES, shared_view, team_view
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client

# One value per field that has a consent rule, none of them agreed to publication.
HIDDEN = {
    "project.lead_name": "Lorna Leadwell",
    "project.co_owner_name": "Cyril Coownerby",
    "project.co_owner_role": "Chair of the tenants association",
    "project.lead_user": "Ursula Accountholder",
    "project.co_owner_user": "Ursula Accountholder",
    "contact.name": "Nadia Noconsent",
    "contact.role": "Caretaker of the hall",
    "contact.organisation": "Hidden Hall Trust",
    "contact.reach": "nadia.private@example.net",
    "log.author_name": "Arthur Logwriter",
    "evidence.author_name": "Evie Evidencegiver",
}
AGREED = ["Yasmin Agreed", "yasmin@example.net"]


def test_every_personal_field_has_a_rule_and_a_case():
    assert set(HIDDEN) == set(CONSENT_RULES)


def private_project(app):
    client = member_client(app)
    with app.app_context():
        account = add_user("ursula@example.org", name="Ursula Accountholder")
        db.session.commit()
        account_id = account.id
    pid = make_project(
        app,
        client,
        title="Community garden",
        lead_name=HIDDEN["project.lead_name"],
        co_owner_name=HIDDEN["project.co_owner_name"],
        co_owner_role=HIDDEN["project.co_owner_role"],
    )  # owners_public left unticked: they did not agree
    client.post(
        f"{BASE}/{pid}/contacts/new",
        data={
            "name": HIDDEN["contact.name"],
            "role": HIDDEN["contact.role"],
            "organisation": HIDDEN["contact.organisation"],
            "reach": HIDDEN["contact.reach"],
        },
    )
    client.post(f"{BASE}/{pid}/contacts/new", data={"name": AGREED[0], "reach": AGREED[1], "consent": "y"})
    with app.app_context():
        project = db.session.get(Project, pid)
        project.lead_user_id = project.co_owner_user_id = account_id
        entry = LogEntry(project_id=pid, kind="progress", text="We dug the beds", author_name=HIDDEN["log.author_name"])
        entry.happened_on = project.created_at.date()
        db.session.add(entry)
        db.session.add(
            Evidence(criterion_id=project.criteria[0].id, note="Counted", author_name=HIDDEN["evidence.author_name"])
        )
        db.session.commit()
    return client, pid


def zip_text(response) -> str:
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist() if "/" not in name)


def pdf_text(response) -> str:
    pypdf = pytest.importorskip("pypdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot run here")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    return " ".join(text.split())  # table cells may wrap a name over two lines


def assert_only_agreed(text: str, where: str):
    for field, value in HIDDEN.items():
        assert value not in text, f"{field} ({value}) shown in {where}"
    assert AGREED[0] in text, f"the contact who agreed is missing from {where}"


def test_the_public_page_shows_only_what_people_agreed_to(app, people, youth):
    _, pid = private_project(app)
    page = app.test_client().get(f"{BASE}/{pid}")
    assert page.status_code == 200
    assert_only_agreed(page.get_data(as_text=True), "the public page")


def test_the_zip_to_share_shows_only_what_people_agreed_to(app, people, youth):
    client, pid = private_project(app)
    text = zip_text(client.get(f"{BASE}/{pid}/pack.zip?share=1"))
    assert_only_agreed(text, "the ZIP to share")
    full = zip_text(client.get(f"{BASE}/{pid}/pack.zip"))  # the team's own pack keeps everything
    assert HIDDEN["project.lead_name"] in full and HIDDEN["contact.reach"] in full
    assert HIDDEN["log.author_name"] in full


def test_the_pdf_to_share_shows_only_what_people_agreed_to(app, people, youth):
    client, pid = private_project(app)
    pdf = job_file(client, client.post(f"{BASE}/{pid}/pack.pdf?share=1"))
    assert_only_agreed(pdf_text(pdf), "the PDF to share")


def test_names_show_once_the_lead_and_co_owner_agree(app, people, youth):
    client, pid = private_project(app)
    with app.app_context():
        project = db.session.get(Project, pid)
        project.owners_public = True
        db.session.commit()
        view = shared_view(project)
        assert (view.lead_name, view.co_owner_name) == (HIDDEN["project.lead_name"], HIDDEN["project.co_owner_name"])
        assert [c.name for c in view.contacts] == [AGREED[0]]
        assert len(team_view(project).contacts) == 2
    page = app.test_client().get(f"{BASE}/{pid}").get_data(as_text=True)
    assert HIDDEN["project.lead_name"] in page and HIDDEN["project.co_owner_role"] in page
    shared = json.loads(
        zipfile.ZipFile(io.BytesIO(client.get(f"{BASE}/{pid}/pack.zip?share=1").data)).read("pack.json")
    )
    assert shared["project"]["lead_name"] == HIDDEN["project.lead_name"]
