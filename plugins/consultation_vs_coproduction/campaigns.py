"""Assessments (campaigns): respondent groups, open and closed, private links. Flask-free.

Texts here are English source strings (gettext msgids), marked with _l only so that the
extractor finds them; views translate them when they show them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def _l(text: str) -> str:  # marks a msgid for extraction; the text itself is returned
    return text


RESIDENT, STAFF = "resident", "staff"
DEFAULT_GROUPS = (
    {"id": RESIDENT, "label": _l("Resident or service user")},
    {"id": STAFF, "label": _l("Member of staff")},
    {"id": "partner", "label": _l("Partner organisation")},
    {"id": "councillor", "label": _l("Councillor")},
)
DEFAULT_GROUP_IDS = tuple(g["id"] for g in DEFAULT_GROUPS)
SOURCES = ("web", "paper")
INSIDE = (STAFF, "councillor")  # answer about the council's own practice; everyone else about what they saw


def audience_of(group: str) -> str:
    """ "staff" for staff and councillors, "resident" for everyone else: which wording of a question they see."""
    return "staff" if group in INSIDE else "resident"


def uk_day(moment: datetime) -> date:
    """The date in the UK at `moment` (daily figures follow the UK calendar)."""
    return moment.astimezone(UK).date()


def status(opens_on: date, closes_on: date, today: date) -> str:
    """ "upcoming", "open" or "closed": open from the start of opens_on to the end of closes_on."""
    if today < opens_on:
        return "upcoming"
    return "open" if today <= closes_on else "closed"


def build_groups(default_ids: list[str], others: str) -> list[dict]:
    """The chosen default groups, then one custom group per non-empty line of `others`."""
    groups = [dict(g) for g in DEFAULT_GROUPS if g["id"] in default_ids]
    seen = {g["label"].casefold() for g in groups}
    for number, line in enumerate(item.strip() for item in (others or "").splitlines()):
        if line and line.casefold() not in seen:
            seen.add(line.casefold())
            groups.append({"id": f"other-{number + 1}", "label": line})
    return groups


def parse_other_groups(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def kept_other_groups(default_ids: list[str], others: str) -> list[int]:
    """Which of the non-empty lines of `others` build_groups makes a group of (it drops repeats)."""
    seen = {g["label"].casefold() for g in DEFAULT_GROUPS if g["id"] in default_ids}
    kept = []
    for number, line in enumerate(parse_other_groups(others)):
        if line.casefold() not in seen:
            seen.add(line.casefold())
            kept.append(number)
    return kept


def own_group_ids(groups: list[dict]) -> list[str]:
    """The ids of a team's own groups (not the default ones), in order: the lines of `other_groups`."""
    return [g["id"] for g in groups if str(g.get("id", "")).startswith("other-")]


def own_group_text(groups: list[dict]) -> str:
    """A team's own groups' names, one on each line (Assessment.other_groups, in every language)."""
    return "\n".join(g["label"] for g in groups if g["id"] in own_group_ids(groups))


def new_code() -> str:
    """The public part of an assessment's link: short, unguessable, easy to type from paper."""
    return re.sub(r"[^a-z0-9]", "", secrets.token_urlsafe(16).lower())[:10].ljust(10, "x")


def new_token() -> str:
    """A private save-and-resume token (only its hash is stored)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
