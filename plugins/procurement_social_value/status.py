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

The state table. The rules are checked in this order; the first that applies
gives the status:

====  ===========  ===========================================================
 #    status       when
====  ===========  ===========================================================
 1    verified     verified ≥ target (met: the only status that means met)
 2    delivered    counted ≥ target, verified < target (awaiting a check)
 3    disputed     at least one report is disputed and nothing counts
                   (no report is verified or awaiting check): every word the
                   supplier has given has been challenged
 4    overdue      today is later than the due date (on the due date itself a
                   commitment is not yet overdue)
 5    at_risk      time gone is more than 25 percentage points ahead of the
                   reported share, or the due date is 30 days away or fewer
                   (the due date itself included)
 6    on_track     none of the above
====  ===========  ===========================================================

Rows 4 to 6 only apply below the target (rows 1 and 2 come first). A disputed
report never counts, and it does not taint the reports beside it: a commitment
with verified or waiting reports beside a disputed one takes its status from
the time and what counts (rows 4 to 6), and pages show the disputed quantity
next to the status. ``decide`` below is the table; ``assess`` (Decimal
quantities), ``dashboard.fast_status`` (whole numbers, for exports) and
``dashboard.status_case`` (SQL) all go through the same rules, and tests check
they agree. The OCDS export calls a milestone "met" only in row 1.

The target must be more than zero, and the due date cannot be before the start.
All the arithmetic is exact (Decimal or whole numbers, cross-multiplied), so a
boundary such as exactly 25 points behind is decided the same way every time
(not at risk).
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
    _("Verified: officers have checked and accepted reports that together reach the target."),
    _("Delivered: the reports reach the target, but some of them are still waiting for an officer to check them."),
    _(
        "Disputed: an officer has challenged the supplier's reports, and no other report is verified or "
        "waiting for a check."
    ),
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
    _(
        "One challenged report does not change the status of the reports beside it: the disputed "
        "quantity is shown next to the status instead."
    ),
    _("A commitment is counted as met only when verified reports reach the target."),
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


def decide(target, verified, pending, disputes: int, gone, total, days_left: int) -> Status:
    """The state table above, on exact numbers (all quantities on the same scale).

    ``gone`` and ``total`` are the days of the period gone and in all (total ≥ 1).
    """
    counted = verified + pending
    if verified >= target:
        return Status.VERIFIED
    if counted >= target:
        return Status.DELIVERED
    if disputes > 0 and counted == 0:
        return Status.DISPUTED
    if days_left < 0:
        return Status.OVERDUE
    # Behind: gone/total - counted/target > 1/4, cross-multiplied to stay exact.
    if 4 * (gone * target - counted * total) > target * total or days_left <= FINAL_STRETCH_DAYS:
        return Status.AT_RISK
    return Status.ON_TRACK


def period_days(start: date, due: date, today: date) -> tuple[int, int]:
    """(days gone, days in all) of the period from ``start`` to ``due``, as of ``today``.

    An empty period (start = due) counts as 0/1 before the due date and 1/1 from it.
    """
    total = max((due - start).days, 1)
    if today >= due:
        return total, total
    if today <= start:
        return 0, total
    return (today - start).days, total


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
    with localcontext() as context:
        context.prec = 60
        totals = {v: Decimal(0) for v in Verification}
        for report in reports:
            totals[report.verification] += report.quantity
        verified, pending = totals[Verification.VERIFIED], totals[Verification.PENDING]
        disputed = totals[Verification.DISPUTED]
        disputes = sum(1 for r in reports if r.verification is Verification.DISPUTED)
        counted = verified + pending
        days_left = (due - today).days
        gone, total = period_days(start, due, today)
        status = decide(target, verified, pending, disputes, Decimal(gone), Decimal(total), days_left)

        return Assessment(
            status=status,
            target=target,
            verified=verified,
            pending=pending,
            disputed=disputed,
            days_left=days_left,
            time_gone_percent=_percent(Decimal(gone), Decimal(total)),
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
