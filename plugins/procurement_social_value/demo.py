"""Demo content for `coproduce init --demo`: suppliers, contracts, commitments in every status, needs.

Everything here is invented for the demo. Dates are set from today so that each status shows.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from coproduce.plugins import db

from .models import (
    Commitment,
    CommunityCheck,
    Contract,
    Decision,
    DeliveryReport,
    Need,
    Supplier,
    to_milli,
)
from .projects import project_choices
from .store import ensure_framework, refresh_sums, team_measures

NEEDS = [
    ("Paid first jobs for young people leaving care", "Northgate", "Northgate Youth Forum", True),
    ("Safe walking routes to the new health centre", "Riverside", "", True),
    ("Digital skills sessions for older residents in sheltered housing", "Eastfield", "Eastfield Elders", True),
    ("Repairs to the community allotment's water supply", "Northgate", "Greenway Growers", True),
    ("Somewhere warm for teenagers to meet on winter evenings", "Riverside", "", True),
    ("A quieter route for heavy lorries away from the primary school", "Eastfield", "Parents of St Anne's", False),
]

# (reference, title, supplier, company number, value in pounds, area, manager, published, commitments)
# commitment: (measure code, target, days from start, days to due, [(quantity, verification)], need index)
CONTRACTS = [
    (
        "HW-2025-001",
        "Highways resurfacing, north of the borough",
        "Brookfield Civils Ltd",
        "09876543",
        2400000,
        "Northgate",
        ("Priya Shah", "priya.shah@example.org"),
        True,
        [
            ("JS1.3", "4", -400, 20, [("4", "verified")], 0),  # verified
            ("JS2.1", "60", -300, 200, [("20", "verified"), ("10", "pending")], None),  # on track
            ("CM1.1", "200", -200, -15, [("80", "verified")], 3),  # overdue
        ],
    ),
    (
        "SC-2025-014",
        "Home care in the east locality",
        "Kindred Care Co-operative",
        "IP031245",
        5100000,
        "Eastfield",
        ("Tom Evans", "tom.evans@example.org"),
        True,
        [
            ("CM2.2", "120", -250, 110, [("10", "verified")], 2),  # at risk (behind)
            ("JS1.1", "6", -250, 300, [("6", "pending")], None),  # delivered, awaiting check
            ("EN1.2", "5000", -250, 20, [("1500", "verified")], None),  # at risk (final stretch)
        ],
    ),
    (
        "FM-2024-032",
        "Cleaning and facilities for council buildings",
        "Clearwater Facilities Ltd",
        "07766554",
        850000,
        "Riverside",
        ("Aled Morgan", "aled.morgan@example.org"),
        True,
        [
            ("JS1.2", "3", -500, 60, [("2", "disputed"), ("1", "disputed")], 4),  # disputed
            ("EN2.1", "12", -500, 200, [("7", "verified")], None),  # on track
            ("LE2.1", "10", -500, -40, [], None),  # overdue, nothing reported
        ],
    ),
    (
        "IT-2026-003",
        "Library computers and support",
        "Northern Byte Ltd",
        None,
        320000,
        "Eastfield",
        ("Priya Shah", "priya.shah@example.org"),
        False,
        [
            ("IN1.2", "40", -30, 330, [], 2),  # on track (just started)
        ],
    ),
]


def _report(commitment: Commitment, quantity: str, verification: str, when: date, officer_id) -> DeliveryReport:
    report = DeliveryReport(
        team_id=commitment.team_id,
        commitment_id=commitment.id,
        period_start=when - timedelta(days=90),
        period_end=when,
        quantity_milli=to_milli(Decimal(quantity)),
        verification=verification,
        source="supplier",
        note="Numbers taken from our site records for the quarter.",
    )
    db.session.add(report)
    db.session.flush()
    if verification != "pending":
        reason = (
            "Payroll records seen on a site visit."
            if verification == "verified"
            else "Two of the people named started before the contract; we need their start dates."
        )
        db.session.add(Decision(report_id=report.id, verdict=verification, reason=reason, officer_id=officer_id))
    return report


def create_demo(team, today: date, officer_id=None) -> None:
    ensure_framework(team)
    measures = {m.code: m for m in team_measures(team.id)}
    needs = []
    for title, area, group, accepted in NEEDS:
        need = Need(team_id=team.id, title=title, area=area, group_name=group, state="accepted" if accepted else "new")
        db.session.add(need)
        needs.append(need)
    db.session.flush()
    for ref, title, supplier_name, number, pounds, area, manager, published, commitments in CONTRACTS:
        supplier = Supplier(team_id=team.id, name=supplier_name, company_number=number)
        db.session.add(supplier)
        db.session.flush()
        start = today + timedelta(days=min(c[2] for c in commitments))
        contract = Contract(
            team_id=team.id,
            reference=ref,
            title=title,
            supplier_id=supplier.id,
            value_pence=pounds * 100,
            start_date=start,
            end_date=start + timedelta(days=365 * 3),
            category="",
            area=area,
            manager_name=manager[0],
            manager_email=manager[1],
            published=published,
        )
        db.session.add(contract)
        db.session.flush()
        for number_in_contract, (code, target, _from, due_in, reports, need) in enumerate(commitments, start=1):
            c = Commitment(
                team_id=team.id,
                contract_id=contract.id,
                ref=f"{ref}-{number_in_contract}",
                measure_id=measures[code].id,
                target_milli=to_milli(Decimal(target)),
                start_date=today + timedelta(days=_from),
                due_date=today + timedelta(days=due_in),
                description="",
                need_id=needs[need].id if need is not None else None,
            )
            db.session.add(c)
            db.session.flush()
            for step, (quantity, verification) in enumerate(reports):
                _report(c, quantity, verification, today - timedelta(days=10 + 30 * step), officer_id)
    refresh_sums(team_id=team.id)
    first = (
        db.session.execute(db.select(Commitment).where(Commitment.team_id == team.id).order_by(Commitment.id))
        .scalars()
        .first()
    )
    db.session.add(
        CommunityCheck(
            team_id=team.id,
            commitment_id=first.id,
            happened="yes",
            met_need="yes",
            comment="My nephew got one of these jobs and is still there.",
            state="shown",
        )
    )
    db.session.add(
        CommunityCheck(
            team_id=team.id,
            commitment_id=first.id,
            happened="unsure",
            met_need="unsure",
            comment="I have not seen any local hiring adverts.",
            state="held",
        )
    )
    db.session.commit()
    link_demo_projects(team)


def link_demo_projects(team) -> None:
    """Where the team has projects (project packs on, its demo filled first), link the first published
    contract's promises and a need on the register to them, so the projects' pages show them."""
    projects = [pid for pid, _title in project_choices(team)]
    if not projects:
        return
    promises = db.session.execute(
        db.select(Commitment)
        .join(Contract, Contract.id == Commitment.contract_id)
        .where(Commitment.team_id == team.id, Contract.published.is_(True))
        .order_by(Commitment.id)
    ).scalars()
    for number, commitment in enumerate(list(promises)[:3]):
        commitment.project_id = projects[min(number // 2, len(projects) - 1)]
    needs = db.session.execute(db.select(Need).where(Need.team_id == team.id).order_by(Need.state, Need.id)).scalars()
    for number, need in enumerate(list(needs)[:2]):
        need.project_id = projects[min(number, len(projects) - 1)]
    db.session.commit()
