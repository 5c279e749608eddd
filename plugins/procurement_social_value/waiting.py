"""What is waiting for a team in social value: delivery reports to check, new needs to curate, community
checks to moderate. Each links to where it is dealt with; dealing with it takes it off the list."""

from __future__ import annotations

from flask import url_for

from coproduce.plugins import WaitingItem, db, local_text
from coproduce_plugins.procurement_social_value import _
from coproduce_plugins.procurement_social_value.models import (
    Commitment,
    CommunityCheck,
    Contract,
    DeliveryReport,
    Need,
)


def waiting_items(team) -> list[WaitingItem]:
    items = []
    reports = db.session.execute(
        db.select(DeliveryReport, Commitment, Contract)
        .join(Commitment, DeliveryReport.commitment_id == Commitment.id)
        .join(Contract, Commitment.contract_id == Contract.id)
        .where(DeliveryReport.team_id == team.id, DeliveryReport.verification == "pending")
        .order_by(DeliveryReport.created_at, DeliveryReport.id)
    ).all()
    for report, commitment, contract in reports:
        items.append(
            WaitingItem(
                kind=_("Delivery reports awaiting a check"),
                title=_(
                    "%(commitment)s: %(measure)s, reported by %(who)s",
                    commitment=commitment.ref,
                    measure=local_text(commitment.measure, "title"),
                    who=contract.supplier.name if report.source == "supplier" else _("a team member"),
                ),
                url=url_for("procurement_social_value.report_decide", team=team.slug, report_id=report.id),
                since=report.created_at,
                order=40,
            )
        )
    needs = db.session.execute(
        db.select(Need).where(Need.team_id == team.id, Need.state == "new").order_by(Need.created_at, Need.id)
    ).scalars()
    for need in needs:
        items.append(
            WaitingItem(
                kind=_("New needs to curate"),
                title=local_text(need, "title"),
                url=url_for("procurement_social_value.needs", team=team.slug, _anchor=f"need-{need.id}"),
                since=need.created_at,
                order=41,
            )
        )
    checks = db.session.execute(
        db.select(CommunityCheck, Commitment)
        .join(Commitment, CommunityCheck.commitment_id == Commitment.id)
        .where(CommunityCheck.team_id == team.id, CommunityCheck.state == "held")
        .order_by(CommunityCheck.created_at, CommunityCheck.id)
    ).all()
    for check, commitment in checks:
        items.append(
            WaitingItem(
                kind=_("Community checks to moderate"),
                title=_(
                    "A check on %(commitment)s: %(measure)s",
                    commitment=commitment.ref,
                    measure=local_text(commitment.measure, "title"),
                ),
                url=url_for("procurement_social_value.moderation", team=team.slug, _anchor=f"check-{check.id}"),
                since=check.created_at,
                order=42,
            )
        )
    return items
