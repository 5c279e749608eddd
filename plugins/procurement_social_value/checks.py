"""Checks on a delivery report before it is stored: its period and its quantity (no Flask).

The period reported on must have happened, and within the contract:

- its end cannot be later than today (nobody can report work not yet done);
- its start cannot be before the contract's start date;
- its end cannot be after the contract's end date.

The quantity is bounded per measure. Each measure's proxy value gives the
largest quantity one commitment target or one report may hold: the quantity
whose social value reaches ``money.MAX_PENCE`` (£100 billion, more than any
council contract), and never more than ``money.MAX_QUANTITY``. A typing slip of
a dozen extra digits is refused with a message beside the field, instead of
being stored and breaking the sums (on PostgreSQL, a quantity times a proxy
past 2^63 is an error, not a number).

Each check returns ``Problem`` values keyed by form field, ready to translate.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from .money import MAX_PENCE, MAX_QUANTITY, QUANTITY_PLACES
from .problems import N_, Problem

_ = N_


def quantity_limit(proxy_pence: int | None) -> Decimal:
    """The largest quantity accepted for a measure with this proxy value (pence per unit)."""
    if not proxy_pence or proxy_pence <= 0:
        return MAX_QUANTITY
    most = (Decimal(MAX_PENCE) / Decimal(proxy_pence)).quantize(Decimal(1).scaleb(-QUANTITY_PLACES), ROUND_DOWN)
    return min(MAX_QUANTITY, most)


def quantity_problem(quantity: Decimal, proxy_pence: int | None, unit: str = "") -> Problem | None:
    """A Problem if ``quantity`` is more than the measure allows, else None."""
    most = quantity_limit(proxy_pence)
    if quantity > most:
        return Problem(
            _("That is too large for this measure: the most accepted is %(most)s %(unit)s"),
            {"most": most, "unit": unit},
        )
    return None


def period_problems(
    period_start: date | None, period_end: date | None, contract_start: date, contract_end: date, today: date
) -> dict[str, Problem]:
    """Problems with a report's period, keyed "period_start" / "period_end"; empty if none.

    Dates in the params are ``date`` values: the page formats them for the reader.
    """
    problems: dict[str, Problem] = {}
    if period_start is not None and period_start < contract_start:
        problems["period_start"] = Problem(
            _("The period must start on or after the contract's start date, %(date)s"), {"date": contract_start}
        )
    if period_end is not None:
        if period_end > today:
            problems["period_end"] = Problem(
                _("The end of the period cannot be in the future: report work once it is done"), {}
            )
        elif period_end > contract_end:
            problems["period_end"] = Problem(
                _("The period must end on or before the contract's end date, %(date)s"), {"date": contract_end}
            )
    return problems
