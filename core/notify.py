"""Emails about the work waiting for people's teams (the waiting_items hook), as each person chose:
at once (the worker looks every minute and tells them about what is new), a daily digest (07:00 UTC), or none.
Each email is in the person's own language (Welsh and English together on a bilingual Welsh site) and links
straight to where each thing is dealt with."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale, get_locale, gettext as _

from coproduce.extensions import db
from coproduce.mail import send_mail_in_print_languages
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
    lines: list[str] = [team.localised("name", str(get_locale()))]
    for item in items:
        lines.append(f"- {item.kind}: {item.title}\n  {_link(item.url)}")
    return lines


def _email(user: User, teams: list[Team], wanted: Callable[[Team, list], list], texts: Callable[[], tuple]):
    """(compose, items): compose() for send_mail_in_print_languages writes the email in the language it is
    called in, listing for each team the waiting items `wanted` keeps; items are those found in the current
    language. (None, []) when there are none. texts() gives the subject, the line before the list and the line
    after it. The items are collected once; a second language (a bilingual site) collects them in its words."""
    found = [(team, items) for team in teams if (items := wanted(team, _items(team)))]
    if not found:
        return None, []
    language = str(get_locale())

    def compose() -> tuple[str, str]:
        here = found if str(get_locale()) == language else [(team, wanted(team, _items(team))) for team, _ in found]
        written = ["\n".join(_lines(team, items)) for team, items in here if items]
        subject, lead, why = texts()
        body = _("Hello %(name)s,", name=user.display_name) + "\n\n" + lead + "\n\n"
        return subject, body + "\n\n".join(written) + "\n\n" + why

    return compose, [item for _team, items in found for item in items]


def notify_at_once() -> int:
    """Email each person who chose "at once" about waiting things they have not been told about. Returns emails."""
    sent = 0
    for user, teams in _people_choosing(AT_ONCE):
        told = set(
            db.session.execute(db.select(WaitingNotice.item_url).where(WaitingNotice.user_id == user.id)).scalars()
        )

        def fresh(_team: Team, items: list, told=told) -> list:
            return [item for item in items if item.url not in told]

        with current_app.test_request_context(), force_locale(_locale(user)):
            compose, waiting = _email(
                user,
                teams,
                fresh,
                lambda: (
                    _("New work is waiting for your team"),
                    _("This is new since we last wrote:"),
                    _("You chose to hear at once. To change that, go to your account, then Email notifications."),
                ),
            )
            if compose is None:
                continue
            for url in dict.fromkeys(item.url for item in waiting):
                db.session.add(WaitingNotice(user_id=user.id, item_url=url[:500]))
            db.session.commit()
            send_mail_in_print_languages(user.email, compose)
        sent += 1
    return sent


def daily_digest() -> int:
    """Email each person who chose the daily digest everything waiting for their teams (nothing: no email)."""
    sent = 0
    for user, teams in _people_choosing(DAILY):
        with current_app.test_request_context(), force_locale(_locale(user)):
            compose, _waiting = _email(
                user,
                teams,
                lambda _team, items: items,
                lambda: (
                    _("Your daily digest: what is waiting for your teams"),
                    _("This is waiting for your teams today:"),
                    _("You chose a daily digest. To change that, go to your account, then Email notifications."),
                ),
            )
            if compose is None:
                continue
            send_mail_in_print_languages(user.email, compose)
        sent += 1
    return sent
