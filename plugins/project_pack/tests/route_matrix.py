"""This plugin's routes in the authorisation matrix (see tests/route_roles.py)."""

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team
from coproduce.testing.roles import EVERYONE, MEMBER_ACTIONS, MEMBERS

P = "/t/youth/projects"
MATRIX = {
    "project_pack.index": ("GET", f"{P}/", EVERYONE),
    "project_pack.public_project": ("GET", f"{P}/{{project_id}}", EVERYONE),
    "project_pack.offer_help": ("GET", f"{P}/{{project_id}}/offer-help", EVERYONE),
    "project_pack.offer_skills": ("GET", f"{P}/offer-skills", EVERYONE),
    "project_pack.manage": ("GET", f"{P}/manage", MEMBERS),
    "project_pack.new": ("GET", f"{P}/new", MEMBERS),
    "project_pack.project": ("GET", f"{P}/{{project_id}}/manage", MEMBERS),
    "project_pack.edit": ("GET", f"{P}/{{project_id}}/edit", MEMBERS),
    "project_pack.add_contact": ("GET", f"{P}/{{project_id}}/contacts/new", MEMBERS),
    "project_pack.delete_contact": (
        "POST",
        f"{P}/{{project_id}}/contacts/999999/delete",
        (302, 403, 403, 404, 404, 404),
    ),
    "project_pack.upload": ("GET", f"{P}/{{project_id}}/documents/new", MEMBERS),
    "project_pack.document": ("GET", f"{P}/{{project_id}}/documents/{{document_id}}", MEMBERS),
    "project_pack.document_preview": ("GET", f"{P}/{{project_id}}/documents/{{document_id}}/preview", MEMBERS),
    "project_pack.delete_document": (
        "POST",
        f"{P}/{{project_id}}/documents/999999/delete",
        (302, 403, 403, 404, 404, 404),
    ),
    "project_pack.add_skill": ("GET", f"{P}/{{project_id}}/skills/new", MEMBERS),
    "project_pack.delete_skill": ("POST", f"{P}/{{project_id}}/skills/999999/delete", (302, 403, 403, 404, 404, 404)),
    "project_pack.add_log": ("GET", f"{P}/{{project_id}}/log/new", MEMBERS),
    "project_pack.add_criterion": ("GET", f"{P}/{{project_id}}/criteria/new", MEMBERS),
    "project_pack.add_evidence": ("GET", f"{P}/{{project_id}}/criteria/{{criterion_id}}/evidence/new", MEMBERS),
    "project_pack.inbox": ("GET", f"{P}/inbox", MEMBERS),
    "project_pack.offer_handled": ("POST", f"{P}/inbox/{{offer_id}}/handled", MEMBER_ACTIONS),
    "project_pack.templates": ("GET", f"{P}/templates", MEMBERS),
    "project_pack.new_template": ("GET", f"{P}/templates/new", MEMBERS),
    "project_pack.pack_zip": ("GET", f"{P}/{{project_id}}/pack.zip", MEMBERS),
    "project_pack.pack_pdf": ("GET", f"{P}/{{project_id}}/pack.pdf", MEMBERS),
    "project_pack.import_form": ("GET", f"{P}/import", MEMBERS),
}


def seed(app, people) -> dict:
    """A project of team "youth" with a CSV document, a criterion and an offer."""
    from coproduce_plugins.project_pack.demo import create_demo
    from coproduce_plugins.project_pack.models import Offer, Project

    create_demo(get_team("youth"))
    project = db.session.execute(db.select(Project).where(Project.title.like("Friday%"))).scalar_one()
    offer = db.session.execute(db.select(Offer)).scalars().first()
    return {
        "project_id": project.id,
        "document_id": project.documents[0].id,
        "criterion_id": project.criteria[0].id,
        "offer_id": offer.id,
    }
