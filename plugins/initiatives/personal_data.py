"""What the plugin holds about a person, found by their email address or phone number (people here seldom
have an account), for subject access and erasure requests."""

from __future__ import annotations

from coproduce.plugins import Person, db
from coproduce_plugins.initiatives.models import Initiative, SkillOffer, Volunteer

REMOVED = "[removed]"


def _matches(model, email_column, phone_column, person):
    """Rows holding the person's email address (any case) or phone number (however it is spaced or prefixed)."""
    email = getattr(person, "email", None)
    phone = getattr(person, "phone", None)
    if not email and getattr(person, "user", None) is not None:
        email = (getattr(person.user, "email", "") or "").lower() or None
    found = {}
    if email:
        rows = db.session.execute(db.select(model).where(db.func.lower(email_column) == email.lower())).scalars()
        found.update((row.id, row) for row in rows)
    if phone:
        caller = Person(phone=phone)
        rows = db.session.execute(db.select(model).where(phone_column != "").order_by(model.id)).scalars()
        found.update((row.id, row) for row in rows if caller.matches_phone(getattr(row, phone_column.key)))
    return [found[key] for key in sorted(found)]


def personal_data_of(person) -> dict:
    if person is None:
        return {}
    initiatives = _matches(Initiative, Initiative.contact_email, Initiative.contact_phone, person)
    volunteers = _matches(Volunteer, Volunteer.email, Volunteer.phone, person)
    offers = _matches(SkillOffer, SkillOffer.email, SkillOffer.phone, person)
    held = {
        "initiative_contacts": [
            {
                "initiative_id": i.id,
                "initiative": i.name,
                "name": i.contact_name,
                "email": i.contact_email,
                "phone": i.contact_phone,
                "shown_publicly": i.contact_public,
                "agreed_to_wording": i.consent_version,
                "agreed_at": i.consent_at.isoformat() if i.consent_at else None,
            }
            for i in initiatives
        ],
        "volunteering": [
            {
                "initiative_id": v.initiative_id,
                "name": v.name,
                "email": v.email,
                "phone": v.phone,
                "message": v.message,
                "agreed_to_wording": v.consent_version,
                "agreed_at": v.consent_at.isoformat(),
            }
            for v in volunteers
        ],
        "skills_offered": [
            {
                "name": o.name,
                "email": o.email,
                "phone": o.phone,
                "area": o.ward,
                "skills": o.skill_list,
                "agreed_to_wording": o.consent_version,
                "agreed_at": o.consent_at.isoformat(),
            }
            for o in offers
        ],
    }
    return {kind: rows for kind, rows in held.items() if rows}  # empty: nothing is held about them


def erase_personal_data_of(person) -> None:
    """Remove the contact details; the initiatives, and the counts of volunteers and skills, stay."""
    if person is None:
        return
    for initiative in _matches(Initiative, Initiative.contact_email, Initiative.contact_phone, person):
        initiative.contact_name, initiative.contact_email, initiative.contact_phone = "", "", ""
        initiative.contact_public, initiative.consent_version, initiative.consent_at = False, "", None
    for found in _matches(Volunteer, Volunteer.email, Volunteer.phone, person):
        found.name, found.email, found.phone, found.message = REMOVED, "", "", ""
    for found in _matches(SkillOffer, SkillOffer.email, SkillOffer.phone, person):
        found.name, found.email, found.phone = REMOVED, "", ""
    db.session.flush()
