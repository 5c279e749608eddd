"""What the public may see of a project: the one place that applies the consent rules (no Flask).

The public page, the "to share" PDF and the "to share" ZIP (its index.html, pack.json and CSV files)
all take their people from ``shared_view(project)``; the team's own pack takes ``team_view(project)``.

The consent rules, field by field (``CONSENT_RULES`` holds the same list for tests and docs):

- the lead's name, the co-owner's name and the co-owner's role: shown only when the project records
  that they agreed to publication (``owners_public``);
- the accounts linked as lead or co-owner: never shown (they are the team's sign-in accounts);
- a contact (name, role, organisation, how to reach them): shown only when that contact agreed to
  publication (``consent_to_publish``); otherwise the contact is left out altogether;
- the author of a log entry or of a piece of evidence: never shown, since nobody was asked.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every field about a person, and the rule that lets the public see it.
CONSENT_RULES = {
    "project.lead_name": "owners_public",
    "project.co_owner_name": "owners_public",
    "project.co_owner_role": "owners_public",
    "project.lead_user": "never",
    "project.co_owner_user": "never",
    "contact.name": "consent_to_publish",
    "contact.role": "consent_to_publish",
    "contact.organisation": "consent_to_publish",
    "contact.reach": "consent_to_publish",
    "log.author_name": "never",
    "evidence.author_name": "never",
}


@dataclass(frozen=True)
class PersonView:
    name: str
    role: str = ""
    organisation: str = ""
    reach: str = ""
    agreed: bool = False  # the contact agreed to publication
    agreed_at: str | None = None  # when that agreement was recorded (ISO 8601), if it was


@dataclass(frozen=True)
class ProjectView:
    """The people of a project, as one audience may see them."""

    shared: bool  # True: what the public may see; False: the team's own view
    owners_shown: bool
    lead_name: str
    co_owner_name: str
    co_owner_role: str
    contacts: tuple[PersonView, ...]
    authors_shown: bool

    def author(self, name: str | None) -> str:
        """A log entry's or evidence's author, or "" where it may not be shown."""
        return (name or "") if self.authors_shown else ""


def _contact(c) -> PersonView:
    when = c.consent_recorded_at.isoformat() if c.consent_recorded_at else None
    return PersonView(c.name, c.role or "", c.organisation or "", c.reach or "", bool(c.consent_to_publish), when)


def shared_view(project) -> ProjectView:
    """What the public may see of the people of ``project`` (see the rules above)."""
    shown = bool(project.owners_public)
    return ProjectView(
        shared=True,
        owners_shown=shown,
        lead_name=(project.lead_name or "") if shown else "",
        co_owner_name=(project.co_owner_name or "") if shown else "",
        co_owner_role=(project.co_owner_role or "") if shown else "",
        contacts=tuple(_contact(c) for c in project.contacts if c.consent_to_publish),
        authors_shown=False,
    )


def team_view(project) -> ProjectView:
    """Everything, for the team's own pack (it says it holds personal data)."""
    return ProjectView(
        shared=False,
        owners_shown=True,
        lead_name=project.lead_name or "",
        co_owner_name=project.co_owner_name or "",
        co_owner_role=project.co_owner_role or "",
        contacts=tuple(_contact(c) for c in project.contacts),
        authors_shown=True,
    )


def view_for(project, shared: bool) -> ProjectView:
    return shared_view(project) if shared else team_view(project)
