"""What the plugin holds about a person with an account, and how it is anonymised.

Reports, decisions and links keep their figures and reasons (the council's record of
what was delivered); only the link to the person's account, and their name and email
address where they are a contract's manager, are removed.
"""

from __future__ import annotations

import sqlalchemy as sa

from coproduce.plugins import db

from .models import CommunityCheck, Contract, Decision, DeliveryReport, SupplierLink


def personal_data_of(user) -> dict:
    reports = db.session.execute(sa.select(DeliveryReport).where(DeliveryReport.reporter_id == user.id)).scalars()
    decisions = db.session.execute(sa.select(Decision).where(Decision.officer_id == user.id)).scalars()
    managed = db.session.execute(
        sa.select(Contract).where(sa.func.lower(Contract.manager_email) == (user.email or "").lower())
    ).scalars()
    return {
        "delivery_reports_made": [
            {"report": r.id, "commitment": r.commitment_id, "period_end": r.period_end.isoformat()} for r in reports
        ],
        "verification_decisions": [
            {"report": d.report_id, "decision": d.verdict, "reason": d.reason, "when": d.created_at.isoformat()}
            for d in decisions
        ],
        "contracts_managed": [
            {"contract": k.reference, "name": k.manager_name, "email": k.manager_email} for k in managed
        ],
        "supplier_links_created": db.session.execute(
            sa.select(sa.func.count(SupplierLink.id)).where(SupplierLink.created_by_id == user.id)
        ).scalar_one(),
    }


def erase_personal_data_of(user) -> None:
    updates = (
        (DeliveryReport, "reporter_id"),
        (Decision, "officer_id"),
        (SupplierLink, "created_by_id"),
        (CommunityCheck, "moderated_by_id"),
    )
    for model, column in updates:
        db.session.execute(sa.update(model).where(getattr(model, column) == user.id).values({column: None}))
    db.session.execute(
        sa.update(Contract)
        .where(
            sa.func.lower(Contract.manager_email) == (user.email or "").lower(),
            Contract.manager_email != "",
        )
        .values(manager_name="", manager_email="")
    )
