"""Subject access and erasure (UK GDPR): what core and every plugin hold about a person."""

from __future__ import annotations

from flask import current_app

from coproduce.extensions import db
from coproduce.models import AuditEvent, Membership, NotificationChoice, OutgoingMail, Team, User, WaitingNotice
from coproduce.notify import choice_of


def collect(user: User) -> dict:
    """Everything held about the person, as JSON-ready data (no password hash)."""
    memberships = db.session.execute(
        db.select(Membership, Team).join(Team, Team.id == Membership.team_id).where(Membership.user_id == user.id)
    ).all()
    actions = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).scalars()
    data = {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_locale": user.preferred_locale,
            "is_site_admin": user.is_site_admin,
            "is_disabled": user.is_disabled,
            "created_at": user.created_at.isoformat(),
        },
        "teams": [{"team": team.slug, "role": m.role, "since": m.created_at.isoformat()} for m, team in memberships],
        "actions_recorded": [{"at": e.at.isoformat(), "action": e.action, "target": e.target} for e in actions],
        "emails": [
            {"subject": m.subject, "status": m.status, "queued_at": m.created_at.isoformat()}
            for m in db.session.execute(
                db.select(OutgoingMail).where(OutgoingMail.recipient == user.email).order_by(OutgoingMail.id)
            ).scalars()
        ],
        "email_notifications": choice_of(user),
        "plugins": {},
    }
    for plugin, found in current_app.extensions["plugins"].all_hooks().each("personal_data", user=user):
        data["plugins"][plugin] = found
    return data


def erase(user: User) -> None:
    """Anonymise the account and ask every plugin to do the same; counts and history stay."""
    list(current_app.extensions["plugins"].all_hooks().each("erase_personal_data", user=user))
    for membership in db.session.execute(db.select(Membership).where(Membership.user_id == user.id)).scalars():
        db.session.delete(membership)
    db.session.execute(db.delete(OutgoingMail).where(OutgoingMail.recipient == user.email))
    db.session.execute(db.delete(NotificationChoice).where(NotificationChoice.user_id == user.id))
    db.session.execute(db.delete(WaitingNotice).where(WaitingNotice.user_id == user.id))
    user.email = f"erased-{user.id}@erased.invalid"
    user.display_name = "Erased person"
    user.password_hash = ""  # nosec B105
    user.preferred_locale = None
    user.is_disabled = True
    user.is_site_admin = False
    user.session_version += 1
