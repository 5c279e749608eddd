"""Subject access and erasure (UK GDPR articles 15 and 17): what core and every plugin hold about a person.

A person is found by account, email address or phone number (coproduce.person.Person), so people
who took part without an account (an offer of help, a named need, a community check, a project
contact) are reached too.
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from flask import current_app

from coproduce import jobs
from coproduce.extensions import db
from coproduce.models import (
    AuditEvent,
    Membership,
    NotificationChoice,
    OutgoingMail,
    Team,
    User,
    UserSession,
    WaitingNotice,
)
from coproduce.notify import choice_of
from coproduce.person import Person

log = logging.getLogger("coproduce.personal_data")
ERASED_NAME = "Erased person"


def find_person(email: str | None = None, phone: str | None = None, user: User | None = None) -> Person:
    """The Person for a request: the account with that email address joins in when there is one."""
    person = Person(user=user, email=email, phone=phone)
    if user is None and person.email:
        user = db.session.execute(db.select(User).where(sa.func.lower(User.email) == person.email)).scalar_one_or_none()
        person = Person(user=user, email=person.email, phone=person.phone)
    if user is not None and not person.email:
        person = Person(user=user, email=user.email, phone=person.phone)
    return person


def _impls(hook_name: str, person: Person):
    """(plugin name, implementation) in plugin-name order; an older plugin taking only `user` is asked
    only about account holders."""
    host = current_app.extensions["plugins"]
    hook = getattr(host.pm.hook, hook_name)
    for impl in sorted(hook.get_hookimpls(), key=lambda i: i.plugin_name):
        if impl.plugin_name not in host.loaded:
            continue
        if "person" not in impl.argnames and person.user is None:
            continue
        yield impl.plugin_name, impl


def _call(impl, person: Person):
    given = {"user": person.user, "person": person}
    return impl.function(*[given[arg] for arg in impl.argnames])


def _audit_mentions(person: Person):
    """Audit events whose target or details hold the person's email address or phone number."""
    if not person.email and not person.phone:
        return
    rows = db.session.execute(
        db.select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.target, AuditEvent.details).order_by(
            AuditEvent.id
        )
    )
    for row in rows:
        text = f"{row.target} {json.dumps(row.details or {}, ensure_ascii=False)}"
        if person.matches(text):
            yield row


def core_data(person: Person) -> dict:
    """What core holds: the account, its memberships, the actions it took, audit entries naming the person."""
    data: dict = {}
    user = person.user
    if user is not None:
        memberships = db.session.execute(
            db.select(Membership, Team).join(Team, Team.id == Membership.team_id).where(Membership.user_id == user.id)
        ).all()
        actions = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
        ).scalars()
        data["account"] = {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "preferred_locale": user.preferred_locale,
            "is_site_admin": user.is_site_admin,
            "is_disabled": user.is_disabled,
            "created_at": user.created_at.isoformat(),
        }
        data["teams"] = [
            {"team": team.slug, "role": m.role, "since": m.created_at.isoformat()} for m, team in memberships
        ]
        data["actions_recorded"] = [{"at": e.at.isoformat(), "action": e.action, "target": e.target} for e in actions]
        data["emails"] = [
            {"subject": m.subject, "status": m.status, "queued_at": m.created_at.isoformat()}
            for m in db.session.execute(
                db.select(OutgoingMail).where(OutgoingMail.recipient == user.email).order_by(OutgoingMail.id)
            ).scalars()
        ]
        data["email_notifications"] = choice_of(user)
        data["files_asked_for"] = jobs.data_of(user)
    mentions = [{"at": r.at.isoformat(), "action": r.action} for r in _audit_mentions(person)]
    if mentions:
        data["audit_entries_naming_them"] = mentions
    return data


def collect(person: Person | User) -> dict:
    """Everything held about the person, as JSON-ready data (no password hash).

    Plugins that hold nothing are left out; a plugin that fails is named under "could_not_read",
    so the pack says plainly that it is incomplete.
    """
    if isinstance(person, User):
        person = Person.of_user(person)
    data = {"asked_for": {"email": person.email, "phone": person.phone}, **core_data(person), "plugins": {}}
    failed = []
    for plugin, impl in _impls("personal_data", person):
        try:
            found = _call(impl, person)
        except Exception:  # noqa: BLE001 - one faulty plugin must not hide the others
            log.exception("plugin %s failed in personal_data", plugin)
            if current_app.extensions["plugins"].raise_hook_errors:
                raise
            failed.append(plugin)
            continue
        if found:
            data["plugins"][plugin] = found
    if failed:
        data["could_not_read"] = failed
    return data


def holders(data: dict) -> list[str]:
    """Who holds something in a collected pack: "core" and plugin names."""
    core_keys = {"account", "teams", "actions_recorded", "audit_entries_naming_them", "emails", "files_asked_for"}
    return (["core"] if core_keys & set(data) else []) + sorted(data.get("plugins", {}))


def erase(person: Person | User) -> list[str]:
    """Anonymise the person in core and every plugin; counts and history stay. Returns who held something.

    A plugin that fails raises, so the caller rolls back and nothing is half-erased.
    """
    if isinstance(person, User):
        person = Person.of_user(person)
    held = holders(collect(person))
    for _plugin, impl in _impls("erase_personal_data", person):
        _call(impl, person)
    _erase_audit_mentions(person)
    jobs.forget_prepared_files()
    if person.email:  # emails queued or kept for someone without an account too
        db.session.execute(db.delete(OutgoingMail).where(sa.func.lower(OutgoingMail.recipient) == person.email))
    user = person.user
    if user is not None:
        for membership in db.session.execute(db.select(Membership).where(Membership.user_id == user.id)).scalars():
            db.session.delete(membership)
        db.session.execute(db.delete(UserSession).where(UserSession.user_id == user.id))
        db.session.execute(db.delete(OutgoingMail).where(OutgoingMail.recipient == user.email))
        db.session.execute(db.delete(NotificationChoice).where(NotificationChoice.user_id == user.id))
        db.session.execute(db.delete(WaitingNotice).where(WaitingNotice.user_id == user.id))
        jobs.delete_jobs_of(user)
        user.email = f"erased-{user.id}@erased.invalid"
        user.display_name = ERASED_NAME
        user.password_hash = ""  # nosec B105
        user.preferred_locale = None
        user.is_disabled = True
        user.is_site_admin = False
        user.session_version += 1
    return held


def _erase_audit_mentions(person: Person) -> None:
    """The audit log is append-only, except that erasure removes the person's details from it.

    A bulk UPDATE does not pass through the ORM's before_update guard, on purpose and only here.
    """
    ids = [row.id for row in _audit_mentions(person)]
    for start in range(0, len(ids), 500):
        db.session.execute(
            sa.update(AuditEvent)
            .where(AuditEvent.id.in_(ids[start : start + 500]))
            .values(target="[removed]", details={"removed": True})
            .execution_options(synchronize_session=False)
        )


def is_erased(user: User) -> bool:
    return user.email.endswith("@erased.invalid")
