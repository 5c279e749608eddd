"""The status of a social-value commitment, worked out from the facts.

Nobody types a status. It follows from the target, the dates and the delivery
reports, so the same facts always give the same status and anyone can check it.

Words used below:

- *verified*: the quantity in reports an officer has checked and accepted;
- *awaiting check*: the quantity in reports not yet checked (pending);
- *disputed*: the quantity in reports an officer has challenged;
- *counted*: verified + awaiting check (disputed reports never count);
- *time gone*: the share of the period from the start date to the due date
  that has passed by today (0% on or before the start date, 100% on or after
  the due date, in whole days, straight-line in between);
- *reported share*: counted ÷ target.

The rules, checked in this order; the first that applies gives the status:

1. disputed: at least one report is disputed, and the counted quantity is
   below the target.
2. verified: the verified quantity alone reaches the target (equal or more).
3. delivered: the counted quantity reaches the target, but the verified
   quantity alone does not (some of it still awaits a check).
4. overdue: the due date has passed (today is later than the due date) and
   the counted quantity is below the target. On the due date itself a
   commitment is not yet overdue.
5. at_risk: either the time gone is more than 25 percentage points ahead of
   the reported share (half-way through with under a quarter reported), or the
   due date is 30 days away or fewer (the due date itself included) and the
   counted quantity is still below the target.
6. on_track: none of the above.

A dispute comes first because an officer has to settle it before anything
else about the commitment is certain. A verified or delivered commitment stays
so even if some other report is disputed, since the target is met without it.
The target must be more than zero, and the due date cannot be before the start.
All the arithmetic is exact (Decimal, cross-multiplied), so a boundary such
as exactly 25 points behind is decided the same way every time (not at risk).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, localcontext
from enum import Enum

from .money import check_quantity

#: At risk when time gone is ahead of the reported share by more than this.
AT_RISK_GAP = Decimal("0.25")
#: In the last this many days before the due date (and on it), a commitment
#: whose target is not yet reached is at risk.
FINAL_STRETCH_DAYS = 30


class Status(str, Enum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DELIVERED = "delivered"
    VERIFIED = "verified"
    DISPUTED = "disputed"


class Verification(str, Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    DISPUTED = "disputed"


def N_(text: str) -> str:
    """Mark text for translation without translating it here (no Flask in this module).

    The extractor finds these through the "_" keyword alias below; pages pass the
    text through gettext when they show it.
    """
    return text


_ = N_  # the translation extractor looks for _("...")

#: The rules in plain English, in the order they are checked (for the help page).
STATUS_RULES = [
    _(
        "Disputed: an officer has challenged at least one delivery report, and "
        "without the challenged reports the target is not reached."
    ),
    _("Verified: officers have checked and accepted reports that together reach the target."),
    _("Delivered: the reports reach the target, but some of them are still waiting for an officer to check them."),
    _(
        "Overdue: the due date has passed and the reports do not reach the target. "
        "On the due date itself a commitment is not yet overdue."
    ),
    _(
        "At risk: the share of the time gone is more than 25 percentage points "
        "ahead of the share of the target reported (for example, half-way through "
        "with less than a quarter reported), or the due date is 30 days away or "
        "fewer and the reports do not yet reach the target."
    ),
    _("On track: none of the above applies."),
]

#: Notes that go with the rules on the help page.
STATUS_NOTES = [
    _(
        "The rules are checked in the order shown; the first that applies gives "
        "the status. Nobody sets a status by hand."
    ),
    _(
        "Challenged reports never count towards the target. The time gone runs in "
        "whole days from the start date to the due date."
    ),
]

#: Short labels for each status, for badges and tables.
STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OVERDUE: _("Overdue"),
    Status.DELIVERED: _("Delivered, awaiting check"),
    Status.VERIFIED: _("Verified"),
    Status.DISPUTED: _("Disputed"),
}


@dataclass(frozen=True)
class DeliveryReport:
    """What a supplier says it delivered, and where the check of it stands."""

    quantity: Decimal
    verification: Verification = Verification.PENDING
    reported_on: date | None = None

    def __post_init__(self):
        check_quantity(self.quantity, "a reported quantity")
        object.__setattr__(self, "verification", Verification(self.verification))


@dataclass(frozen=True)
class Assessment:
    """A computed status with the figures behind it."""

    status: Status
    target: Decimal
    verified: Decimal
    pending: Decimal
    disputed: Decimal
    days_left: int  # negative once the due date has passed
    time_gone_percent: int  # whole percent, rounded down
    reported_percent: int  # counted ÷ target, whole percent, rounded down

    @property
    def counted(self) -> Decimal:
        return self.verified + self.pending

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _percent(numerator: Decimal, denominator: Decimal) -> int:
    return int((numerator * 100 / denominator).to_integral_value(rounding=ROUND_DOWN))


def assess(
    target: Decimal,
    start: date,
    due: date,
    today: date,
    reports: Iterable[DeliveryReport] = (),
) -> Assessment:
    """Work out a commitment's status and figures as of ``today``."""
    target = check_quantity(target, "the target")
    if target == 0:
        raise ValueError("the target must be more than zero")
    if due < start:
        raise ValueError("the due date cannot be before the start date")
    reports = list(reports)
    any_disputed = any(r.verification is Verification.DISPUTED for r in reports)
    with localcontext() as context:
        context.prec = 60
        totals = {v: Decimal(0) for v in Verification}
        for report in reports:
            totals[report.verification] += report.quantity
        verified, pending = totals[Verification.VERIFIED], totals[Verification.PENDING]
        disputed = totals[Verification.DISPUTED]
        counted = verified + pending

        days_left = (due - today).days
        # Time gone as a fraction gone / total, in whole days. An empty period
        # (start = due) counts as 0/1 before the due date and 1/1 from it.
        total = Decimal(max((due - start).days, 1))
        if today >= due:
            gone = total
        elif today <= start:
            gone = Decimal(0)
        else:
            gone = Decimal((today - start).days)
        # Behind: gone/total - counted/target > gap, cross-multiplied to stay exact.
        behind = (gone * target - counted * total) > AT_RISK_GAP * target * total
        final_stretch = 0 <= days_left <= FINAL_STRETCH_DAYS and counted < target

        if any_disputed and counted < target:
            status = Status.DISPUTED
        elif verified >= target:
            status = Status.VERIFIED
        elif counted >= target:
            status = Status.DELIVERED
        elif days_left < 0:
            status = Status.OVERDUE
        elif behind or final_stretch:
            status = Status.AT_RISK
        else:
            status = Status.ON_TRACK

        return Assessment(
            status=status,
            target=target,
            verified=verified,
            pending=pending,
            disputed=disputed,
            days_left=days_left,
            time_gone_percent=_percent(gone, total),
            reported_percent=_percent(counted, target),
        )


def compute_status(
    target: Decimal,
    start: date,
    due: date,
    today: date,
    reports: Iterable[DeliveryReport] = (),
) -> Status:
    """Just the status; see ``assess`` for the figures behind it."""
    return assess(target, start, due, today, reports).status
