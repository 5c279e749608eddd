"""How long the plugin keeps people's contact details: offers to volunteer and to the skills pool are
anonymised after a number of months (the counts stay, for the asset map)."""

from __future__ import annotations

from coproduce.plugins import RetentionRule, db
from coproduce_plugins.initiatives import _l
from coproduce_plugins.initiatives.models import SkillOffer, Volunteer
from coproduce_plugins.initiatives.personal_data import REMOVED


def _anonymise(model, cutoff, dry_run: bool) -> int:
    rows = list(db.session.execute(db.select(model).where(model.received_at < cutoff, model.name != REMOVED)).scalars())
    if not dry_run:
        for row in rows:
            row.name, row.email, row.phone = REMOVED, "", ""
            if isinstance(row, Volunteer):
                row.message = ""
        db.session.commit()
    return len(rows)


def rules() -> list[RetentionRule]:
    return [
        RetentionRule(
            "initiatives.volunteers",
            str(_l("Offers to volunteer: names and contact details removed")),
            24,
            lambda cutoff, dry_run: _anonymise(Volunteer, cutoff, dry_run),
        ),
        RetentionRule(
            "initiatives.skill_offers",
            str(_l("Offers to the skills pool: names and contact details removed; the counts stay")),
            36,
            lambda cutoff, dry_run: _anonymise(SkillOffer, cutoff, dry_run),
        ),
    ]
