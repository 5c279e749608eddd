"""Emails about the work waiting for people's teams (the waiting_items hook), as each person chose:
at once (the worker looks every minute and tells them about what is new), a daily digest (07:00 UTC), or none.
Each email is in the person's own language and links straight to where each thing is dealt with."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext as _

from coproduce.extensions import db
from coproduce.mail import send_mail
from coproduce.models import Membership, Team, User
from coproduce.models.notify import AT_ONCE, DAILY, DEFAULT_CHOICE, NotificationChoice, WaitingNotice


def choice_of(user: User) -> str:
    found = db.session.get(NotificationChoice, user.id)
    return found.choice if found else DEFAULT_CHOICE


def _people_choosing(choice: str) -> list[tuple[User, list[Team]]]:
    """Active people who chose `choice`, each with their teams (not archived)."""
    chosen = db.select(NotificationChoice.choice).where(NotificationChoice.user_id == User.id).scalar_subquery()
    rows = db.session.execute(
        db.select(User, Team)
        .join(Membership, Membership.user_id == User.id)
        .join(Team, Team.id == Membership.team_id)
        .where(
            User.is_disabled.is_(False), Team.archived_at.is_(None), db.func.coalesce(chosen, DEFAULT_CHOICE) == choice
        )
        .order_by(User.id, Team.name)
    ).all()
    people: dict[int, tuple[User, list[Team]]] = {}
    for user, team in rows:
        people.setdefault(user.id, (user, []))[1].append(team)
    return list(people.values())


def _locale(user: User) -> str:
    return user.preferred_locale or current_app.config["DEFAULT_LOCALE"]


def _items(team: Team) -> list:
    return current_app.extensions["plugins"].hooks_for(team).collect("waiting_items", team=team)


def _link(path: str) -> str:
    base = (current_app.config.get("SITE_URL") or "").rstrip("/")
    return base + path if base and path.startswith("/") else path


def _lines(team: Team, items: list) -> list[str]:
    from flask_babel import get_locale

    lines: list[str] = [team.localised("name", str(get_locale()))]
    for item in items:
        lines.append(f"- {item.kind}: {item.title}\n  {_link(item.url)}")
    return lines


def notify_at_once() -> int:
    """Email each person who chose "at once" about waiting things they have not been told about. Returns emails."""
    sent = 0
    for user, teams in _people_choosing(AT_ONCE):
        told = set(
            db.session.execute(db.select(WaitingNotice.item_url).where(WaitingNotice.user_id == user.id)).scalars()
        )
        with current_app.test_request_context(), force_locale(_locale(user)):
            sections, new_urls = [], []
            for team in teams:
                fresh = [item for item in _items(team) if item.url not in told]
                if fresh:
                    sections.append("\n".join(_lines(team, fresh)))
                    new_urls += [item.url for item in fresh]
            if not sections:
                continue
            subject = _("New work is waiting for your team")
            body = (
                _("Hello %(name)s,", name=user.display_name)
                + "\n\n"
                + _("This is new since we last wrote:")
                + "\n\n"
                + "\n\n".join(sections)
                + "\n\n"
                + _("You chose to hear at once. To change that, go to your account, then Email notifications.")
            )
        for url in dict.fromkeys(new_urls):
            db.session.add(WaitingNotice(user_id=user.id, item_url=url[:500]))
        db.session.commit()
        send_mail(user.email, subject, body)
        sent += 1
    return sent


def daily_digest() -> int:
    """Email each person who chose the daily digest everything waiting for their teams (nothing: no email)."""
    sent = 0
    for user, teams in _people_choosing(DAILY):
        with current_app.test_request_context(), force_locale(_locale(user)):
            sections = ["\n".join(_lines(team, items)) for team in teams if (items := _items(team))]
            if not sections:
                continue
            subject = _("Your daily digest: what is waiting for your teams")
            body = (
                _("Hello %(name)s,", name=user.display_name)
                + "\n\n"
                + _("This is waiting for your teams today:")
                + "\n\n"
                + "\n\n".join(sections)
                + "\n\n"
                + _("You chose a daily digest. To change that, go to your account, then Email notifications.")
            )
        send_mail(user.email, subject, body)
        sent += 1
    return sent
