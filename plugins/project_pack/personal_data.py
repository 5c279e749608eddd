"""What the plugin holds about a person, for subject access and erasure requests.

A person is reached through their account (projects they lead or co-own, log entries they wrote,
documents they uploaded) and through their email address or phone number in the free text that
contacts and offers of help hold ("how to reach them").
"""

from __future__ import annotations

from coproduce.plugins import db
from coproduce_plugins.project_pack import consent
from coproduce_plugins.project_pack.models import Contact, Document, LogEntry, Offer, Project

REMOVED = "[removed]"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _contacts(person) -> list[Contact]:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(db.select(Contact).order_by(Contact.id)).scalars()
    return [c for c in rows if person.matches(c.reach) or person.matches(c.name)]


def _offers(person) -> list[Offer]:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(db.select(Offer).order_by(Offer.id)).scalars()
    return [o for o in rows if person.matches(o.reach) or person.matches(o.message) or person.matches(o.name)]


def _linked_projects(user) -> list[Project]:
    if user is None:
        return []
    return list(
        db.session.execute(
            db.select(Project)
            .where((Project.lead_user_id == user.id) | (Project.co_owner_user_id == user.id))
            .order_by(Project.id)
        ).scalars()
    )


def personal_data_of(person) -> dict:
    user = person.user
    data: dict = {}
    projects = _linked_projects(user)
    if projects:
        data["projects_led_or_co_owned"] = [
            {
                "id": p.id,
                "title": p.title,
                "lead_name": p.lead_name if p.lead_user_id == user.id else None,
                "co_owner_name": p.co_owner_name if p.co_owner_user_id == user.id else None,
                "names_on_public_page_consent": consent.described(
                    p.owners_public_wording, p.owners_public_at if p.owners_public else None
                ),
            }
            for p in projects
        ]
    if user is not None:
        entries = db.session.execute(db.select(LogEntry).where(LogEntry.author_id == user.id)).scalars().all()
        if entries:
            data["log_entries"] = [
                {
                    "project_id": e.project_id,
                    "date": e.happened_on.isoformat(),
                    "text": e.text,
                    "working_together": e.working_together,
                }
                for e in entries
            ]
    contacts = _contacts(person)
    if contacts:
        data["project_contacts"] = [
            {
                "project": c.project.title,
                "name": c.name,
                "role": c.role,
                "organisation": c.organisation,
                "how_to_reach": c.reach,
                "consent_to_show_on_public_page": consent.described(
                    c.consent_wording, c.consent_recorded_at if c.consent_to_publish else None
                ),
            }
            for c in contacts
        ]
    offers = _offers(person)
    if offers:
        data["offers_of_help"] = [
            {
                "received_at": _when(o.received_at),
                "project": o.project.title if o.project else None,
                "name": o.name,
                "organisation": o.organisation,
                "how_to_reach": o.reach,
                "message": o.message,
                "skills": o.skill_list,
                "consent_to_be_contacted": consent.described(o.consent_wording, o.consent_recorded_at),
            }
            for o in offers
        ]
    return data


def _same_name(name: str, user) -> bool:
    return (name or "").strip().casefold() == (user.display_name or "").strip().casefold()


def erase_personal_data_of(person) -> None:
    """Unlink the account and remove the person's own words and details; projects, their log and the
    pool of skills keep their counts.

    A project may name one person and link another's account (a resident co-owner whose entry points at
    the staff member who typed it in): erasing the account unlinks it, and blanks the name only when the
    name is the erased person's own.
    """
    user = person.user
    if user is not None:
        for project in _linked_projects(user):
            if project.lead_user_id == user.id:
                project.lead_user_id = None
                if _same_name(project.lead_name, user):
                    project.lead_name = REMOVED
            if project.co_owner_user_id == user.id:
                project.co_owner_user_id = None
                if _same_name(project.co_owner_name, user):
                    project.co_owner_name, project.co_owner_role = REMOVED, ""
        for entry in db.session.execute(db.select(LogEntry).where(LogEntry.author_id == user.id)).scalars():
            entry.author_id, entry.author_name = None, REMOVED
        for doc in db.session.execute(db.select(Document).where(Document.uploaded_by_id == user.id)).scalars():
            doc.uploaded_by_id = None
    for contact in _contacts(person):
        db.session.delete(contact)
    for offer in _offers(person):
        offer.name, offer.organisation, offer.reach, offer.message = REMOVED, "", "", ""
