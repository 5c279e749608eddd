"""Shared set-up for the plugin's web tests: the plugin on for team "youth" and a small contract."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import get_team

NAME = "procurement_social_value"
S = "/t/youth/social-value"


def enable(app, slug="youth"):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team(slug), NAME, True)


def make_contract(
    app,
    *,
    published=True,
    target="10",
    start_days=-100,
    due_days=100,
    reports=(),
    code="JS2.1",
    reference="C-1",
    manager=("Sam Officer", "sam@example.org"),
) -> dict:
    """A contract with one commitment in team youth; reports are (quantity, verification) pairs."""
    from coproduce_plugins.procurement_social_value.models import (
        Commitment,
        Contract,
        DeliveryReport,
        Measure,
        to_milli,
    )
    from coproduce_plugins.procurement_social_value.store import get_or_add_supplier, refresh_sums

    with app.app_context():
        team = get_team("youth")
        today = utcnow().date()
        measure = db.session.execute(
            db.select(Measure).where(Measure.team_id == team.id, Measure.code == code)
        ).scalar_one()
        supplier = get_or_add_supplier(team.id, "Acme Works Ltd", "01234567")
        contract = Contract(
            team_id=team.id,
            reference=reference,
            title="Road repairs",
            supplier_id=supplier.id,
            value_pence=100_000_00,
            start_date=today + timedelta(days=start_days),
            end_date=today + timedelta(days=400),
            area="Northgate",
            manager_name=manager[0],
            manager_email=manager[1],
            published=published,
        )
        db.session.add(contract)
        db.session.flush()
        commitment = Commitment(
            team_id=team.id,
            contract_id=contract.id,
            ref=f"{reference}-1",
            measure_id=measure.id,
            target_milli=to_milli(Decimal(target)),
            due_date=today + timedelta(days=due_days),
        )
        db.session.add(commitment)
        db.session.flush()
        report_ids = []
        for quantity, verification in reports:
            report = DeliveryReport(
                team_id=team.id,
                commitment_id=commitment.id,
                period_start=today - timedelta(30),
                period_end=today,
                quantity_milli=to_milli(Decimal(quantity)),
                verification=verification,
                source="officer",
            )
            db.session.add(report)
            db.session.flush()
            report_ids.append(report.id)
        refresh_sums([commitment.id])
        db.session.commit()
        return {
            "contract": contract.id,
            "commitment": commitment.id,
            "reports": report_ids,
            "team": team.id,
            "measure": measure.id,
        }


def date_fields(prefix: str, day: date) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}
