"""What the plugin holds about a person, and how it is anonymised.

A person is reached through their account (reports, decisions, links, moderation), as a contract's
named manager (by email address), and by their email address or phone number in what residents
wrote: needs they named and community checks they sent, where people sometimes leave contact
details despite the hint. Reports, decisions and links keep their figures and reasons (the
council's record of what was delivered); community checks keep their yes/no/unsure answers, which
the public figures count.
"""

from __future__ import annotations

import sqlalchemy as sa

from coproduce.plugins import db

from .models import CommunityCheck, Contract, Decision, DeliveryReport, Need, SupplierLink

REMOVED = "[removed]"


def _needs(person) -> list[Need]:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(sa.select(Need).order_by(Need.id)).scalars()
    return [n for n in rows if any(person.matches(t) for t in (n.title, n.description, n.group_name, *_other_words(n)))]


def _other_words(need: Need) -> list[str]:
    """The need's words in the other languages the team wrote it in."""
    return [text for fields in (need.translations or {}).values() for text in fields.values() if isinstance(text, str)]


def _checks(person) -> list[CommunityCheck]:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(sa.select(CommunityCheck).order_by(CommunityCheck.id)).scalars()
    return [c for c in rows if person.matches(c.comment)]


def _contracts(person) -> list[Contract]:
    if not person.email and not person.phone:
        return []
    rows = db.session.execute(sa.select(Contract).where(Contract.manager_email != "").order_by(Contract.id)).scalars()
    return [k for k in rows if person.matches(k.manager_email)]


def personal_data_of(person) -> dict:
    data: dict = {}
    user = person.user
    if user is not None:
        reports = db.session.execute(sa.select(DeliveryReport).where(DeliveryReport.reporter_id == user.id)).scalars()
        decisions = db.session.execute(sa.select(Decision).where(Decision.officer_id == user.id)).scalars()
        links = db.session.execute(
            sa.select(sa.func.count(SupplierLink.id)).where(SupplierLink.created_by_id == user.id)
        ).scalar_one()
        account = {
            "delivery_reports_made": [
                {"report": r.id, "commitment": r.commitment_id, "period_end": r.period_end.isoformat()} for r in reports
            ],
            "verification_decisions": [
                {"report": d.report_id, "decision": d.verdict, "reason": d.reason, "when": d.created_at.isoformat()}
                for d in decisions
            ],
            "supplier_links_created": links,
        }
        data.update({k: v for k, v in account.items() if v})
    contracts = _contracts(person)
    if contracts:
        data["contracts_managed"] = [
            {"contract": k.reference, "name": k.manager_name, "email": k.manager_email} for k in contracts
        ]
    needs = _needs(person)
    if needs:
        data["needs_named"] = [
            {
                "title": n.title,
                "description": n.description,
                "community_group": n.group_name,
                "area": n.area,
                "sent_at": n.created_at.isoformat(),
            }
            for n in needs
        ]
    checks = _checks(person)
    if checks:
        data["community_checks_sent"] = [
            {
                "commitment": c.commitment.ref,
                "did_it_happen": c.happened,
                "did_it_meet_a_need": c.met_need,
                "comment": c.comment,
                "sent_at": c.created_at.isoformat(),
                "shown_publicly": c.state == "shown",
            }
            for c in checks
        ]
    return data


def erase_personal_data_of(person) -> None:
    user = person.user
    if user is not None:
        updates = (
            (DeliveryReport, "reporter_id"),
            (Decision, "officer_id"),
            (SupplierLink, "created_by_id"),
            (CommunityCheck, "moderated_by_id"),
        )
        for model, column in updates:
            db.session.execute(sa.update(model).where(getattr(model, column) == user.id).values({column: None}))
    for contract in _contracts(person):
        contract.manager_name, contract.manager_email = "", ""
    for need in _needs(person):
        # The need itself stays on the register (suppliers' commitments point at it); the resident's words go.
        if person.matches(need.title):
            need.title = REMOVED
        need.description, need.group_name = "", ""
        need.translations = {}  # the team's translations of those words go with them
    for check in _checks(person):
        check.comment = ""
