"""The audit log as people read it: a translated sentence per kind of event, GOV.UK dates, who did it
(a person, a supplier through their private link, the command line), and before and after values.

Plugins give sentences for their own events in PluginMeta.audit_events; an event with no sentence is
shown by its name, so nothing is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from flask import current_app, request
from flask_babel import gettext as _, lazy_gettext as _l, lazy_pgettext

from coproduce.extensions import db
from coproduce.i18n import format_moment
from coproduce.models import AuditEvent, Team, User

CORE_EVENTS = {
    "team.created": _l("Created the team %(target)s"),
    "team.archived": _l("Archived the team %(target)s"),
    "team.restored": _l("Restored the team %(target)s"),
    "team.member_added": _l("Added %(target)s to the team"),
    "team.member_removed": _l("Removed %(target)s from the team"),
    "team.details_changed": _l("Changed the team's name or description"),
    "user.invited": _l("Invited %(target)s to make an account"),
    "user.created": _l("Made an account for %(target)s"),
    "user.disable": _l("Disabled the account of %(target)s"),
    "user.enable": _l("Enabled the account of %(target)s"),
    "user.make_admin": _l("Made %(target)s a site admin"),
    "user.remove_admin": _l("Took site admin access away from %(target)s"),
    "user.password_reset": _l("Reset the password of %(target)s"),
    "user.password_changed": _l("Changed their own password"),
    "user.personal_data_exported": _l("Downloaded the personal data of %(target)s (%(kind)s)"),
    "user.erased": _l("Erased the personal data of %(target)s"),
    "person.personal_data_viewed": _l("Looked up what is held about a person"),
    "person.personal_data_exported": _l("Downloaded what is held about a person (%(kind)s)"),
    "person.erased": _l("Erased a person's data from: %(plugins)s"),
    "plugin.enabled": _l("Switched on the module %(target)s"),
    "plugin.disabled": _l("Switched off the module %(target)s"),
    "site.settings_changed": _l("Changed the site settings"),
}
KINDS = {"full": _l("everything"), "share": _l("the version to share")}
FIELDS = {
    "access": _l("Access"),
    "name": lazy_pgettext("team", "Name"),  # a team's name (a person's is "person", "Name")
    "description": _l("Description"),
    "signup": _l("Sign-up"),
    "default_locale": _l("Default language"),
    "role": _l("Role"),
}

# Values some core events store in English, shown in the reader's language.
VALUES = {
    "disabled": _l("Disabled"),
    "site admin": _l("Site admin"),
    "account": _l("Account"),
    "yes": _l("Yes"),
    "no": _l("No"),
}


@dataclass
class Line:
    """One event, ready to show."""

    at: str
    who: str
    what: str
    team: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _sentences() -> dict:
    table = dict(CORE_EVENTS)
    for loaded in current_app.extensions["plugins"].loaded.values():
        table.update(getattr(loaded.meta, "audit_events", None) or {})
    return table


def _text(value) -> str:
    if value is None or value == "":
        return _("(none)")
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(VALUES.get(value, value)) if isinstance(value, str) else str(value)


def describe(events: list[AuditEvent]) -> list[Line]:
    user_ids = {e.actor_id for e in events if e.actor_id}
    for e in events:
        if e.target.startswith("user:") and e.target[5:].isdigit():
            user_ids.add(int(e.target[5:]))
    people = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(user_ids))).scalars()}
    team_ids = {e.team_id for e in events if e.team_id}
    teams = {t.id: t for t in db.session.execute(db.select(Team).where(Team.id.in_(team_ids))).scalars()}
    slugs = {t.slug: t for t in teams.values()}
    sentences = _sentences()
    titles = {name: str(p.meta.title) for name, p in current_app.extensions["plugins"].loaded.items()}
    lines = []
    for e in events:
        details = e.details or {}
        lines.append(
            Line(
                at=format_moment(e.at),
                who=_who(e, details, people),
                what=_what(e, details, sentences, people, slugs, titles),
                team=teams[e.team_id].name if e.team_id in teams else "",
                action=e.action,
                changes=[
                    (str(FIELDS.get(name, name.replace("_", " ").capitalize())), _text(pair[0]), _text(pair[1]))
                    for name, pair in (details.get("changes") or {}).items()
                    if isinstance(pair, (list, tuple)) and len(pair) == 2
                ],
            )
        )
    return lines


def _who(event, details, people) -> str:
    if event.actor_id in people:
        return people[event.actor_id].display_name
    if details.get("source") == "supplier":
        return _("A supplier, through their private link")
    if details.get("via"):
        return _("The command line")
    return _("The system")


def _what(event, details, sentences, people, slugs, titles) -> str:
    kind, _sep, rest = event.target.partition(":")
    if kind == "user" and rest.isdigit() and int(rest) in people:
        target = people[int(rest)].display_name
    elif kind == "team" and rest in slugs:
        target = slugs[rest].name
    elif event.action.startswith("plugin.") and event.target in titles:
        target = titles[event.target]
    else:
        target = event.target.replace(":", " ")
    sentence = sentences.get(event.action)
    if sentence is None:
        return f"{event.action} {target}".strip()
    plugins = ", ".join(
        titles.get(p, _("Accounts and the audit log") if p == "core" else p) for p in details.get("plugins") or []
    )
    values = _Blank(
        target=target,
        kind=str(KINDS.get(details.get("kind"), details.get("kind") or "")),
        plugins=plugins or _("(none)"),
    )
    try:
        return str(sentence) % values
    except (TypeError, ValueError):  # a sentence written with a placeholder of the wrong kind
        return f"{event.action} {target}".strip()


class _Blank(dict):
    """A placeholder the event does not fill reads as empty instead of failing the page."""

    def __missing__(self, key):
        return ""


PAGE_SIZE = 50


def _date_arg(name: str, end: bool = False) -> datetime | None:
    value = request.args.get(name, "")
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


def filtered_page(team: Team | None = None):
    """The page of events the request's filters ask for; `team` limits it to one team's events.

    Filters are taken literally: % and _ in "action starts with" are not wildcards.
    """
    query = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    keys = ("action", "actor", "from", "to") + (() if team is not None else ("team",))
    filters = {k: request.args.get(k, "").strip() for k in keys}
    if team is not None:
        query = query.where(AuditEvent.team_id == team.id)
    if filters["action"]:
        query = query.where(AuditEvent.action.startswith(filters["action"][:80], autoescape=True))
    if filters.get("team"):
        query = query.join(Team, Team.id == AuditEvent.team_id).where(Team.slug == filters["team"][:50])
    if filters["actor"]:
        query = query.join(User, User.id == AuditEvent.actor_id).where(User.email == filters["actor"].lower()[:254])
    if (start := _date_arg("from")) is not None:
        query = query.where(AuditEvent.at >= start)
    if (end := _date_arg("to", end=True)) is not None:
        query = query.where(AuditEvent.at <= end)
    page = db.paginate(query, per_page=PAGE_SIZE, error_out=False, count=True)
    return page, describe(list(page.items)), filters
