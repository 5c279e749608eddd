"""Reminders: commitments due within 30 days and overdue ones, grouped by contract manager.

Data only; commands.py words the list in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from coproduce.plugins import db

from .models import Commitment, Contract, Measure
from .money import format_quantity
from .status import Status
from .store import assessment

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Reminder:
    team_id: int
    manager: str  # name and email as recorded on the contract; "" when none
    email: str
    contract: str
    commitment: str
    measure: str
    due: date
    status: Status
    reported: str
    target: str  # the quantity and the unit as written (see in_language for the reader's)
    measure_record: Measure | None = field(default=None, compare=False)
    quantity: str = ""

    def in_language(self) -> Reminder:
        """The same reminder with the measure's title and unit in the current language (an email's)."""
        m = self.measure_record
        if m is None:
            return self
        unit = m.localised("unit")
        target = f"{self.quantity} {unit}" if unit else self.quantity
        return Reminder(**{**self.__dict__, "measure": str(m.localised("title")), "target": target})


def reminders(today: date, team_ids: list[int] | None = None) -> dict[tuple[str, str], list[Reminder]]:
    """{(manager name, manager email): [Reminder...]} for commitments not yet met that are overdue or
    due within WINDOW_DAYS days (the due date itself included)."""
    query = (
        db.select(Commitment)
        .join(Contract, Contract.id == Commitment.contract_id)
        .where(Commitment.due_date <= today + timedelta(days=WINDOW_DAYS), Contract.archived_at.is_(None))
        .options(selectinload(Commitment.reports), selectinload(Commitment.contract))
        .order_by(Contract.manager_email, Contract.manager_name, Commitment.due_date, Commitment.id)
    )
    if team_ids is not None:
        query = query.where(Commitment.team_id.in_(team_ids))
    grouped: dict[tuple[str, str], list[Reminder]] = {}
    for c in db.session.execute(query).scalars():
        a = assessment(c, today)
        if a.status in (Status.VERIFIED, Status.DELIVERED):
            continue
        k = c.contract
        grouped.setdefault((k.manager_name, k.manager_email), []).append(
            Reminder(
                team_id=c.team_id,
                manager=k.manager_name,
                email=k.manager_email,
                contract=k.reference,
                commitment=c.ref,
                measure=c.measure.title,
                due=c.due_date,
                status=a.status,
                reported=format_quantity(a.counted),
                target=f"{format_quantity(a.target)} {c.measure.unit}",
                measure_record=c.measure,
                quantity=format_quantity(a.target),
            )
        )
    return grouped
