"""The wording of each consent the plugin asks for, by version.

A consent is stored with the version of the words the person agreed to and the time they agreed, so
a subject access request can show exactly what they said yes to. When a form's consent wording
changes, add a new version here and point the form at it; never change an old version's words.
"""

from __future__ import annotations

from coproduce_plugins.project_pack import _l

OFFER = "offer-contact-1"  # an offer of help: the team may keep the details to reply
CONTACT = "contact-publish-1"  # a project contact: their details on the public page
OWNERS = "owners-public-1"  # a project's lead and co-owner: their names on the public page

WORDING = {
    OFFER: _l("I agree that the team may keep these details to contact me about this offer"),
    CONTACT: _l("They agreed that these details may be published on the public page"),
    OWNERS: _l("The lead and co-owner agreed to have their names on the public page"),
}


def described(version: str | None, given_at) -> dict:
    """A consent as a subject access pack shows it."""
    return {
        "given": given_at is not None,
        "wording_version": version,
        "wording": str(WORDING[version]) if version in WORDING else None,
        "given_at": given_at.isoformat() if given_at else None,
    }
