from datetime import date, timedelta
from decimal import Decimal

import pytest

from coproduce_plugins.procurement_social_value.status import (
    STATUS_LABELS,
    STATUS_RULES,
    DeliveryReport,
    Status,
    Verification,
    assess,
    compute_status,
)

START = date(2025, 1, 1)
DUE = date(2025, 12, 31)  # 364 days after START
HALF_WAY = START + timedelta(days=182)  # exactly 50% of the time gone
TARGET = Decimal("100")
EARLY = date(2025, 2, 1)


def pending(q):
    return DeliveryReport(Decimal(q))


def verified(q):
    return DeliveryReport(Decimal(q), Verification.VERIFIED)


def disputed(q):
    return DeliveryReport(Decimal(q), Verification.DISPUTED)


def status(today, *reports, target=TARGET, start=START, due=DUE):
    return compute_status(target, start, due, today, reports)


def test_every_status_has_a_rule_and_a_label():
    assert len(STATUS_RULES) == len(Status)
    for s in Status:
        assert STATUS_LABELS[s]
        assert any(rule.lower().startswith(STATUS_LABELS[s].split(",")[0].lower()) for rule in STATUS_RULES)


@pytest.mark.parametrize("target", [Decimal(0), Decimal("0.000")])
def test_zero_target_is_rejected(target):
    with pytest.raises(ValueError, match="more than zero"):
        status(EARLY, target=target)


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="below zero"):
        status(EARLY, target=Decimal(-1))
    with pytest.raises(TypeError):
        status(EARLY, target=100.0)
    with pytest.raises(ValueError, match="due date cannot be before"):
        status(EARLY, start=DUE, due=START)
    with pytest.raises(TypeError):
        DeliveryReport(1.5)
    with pytest.raises(ValueError):
        DeliveryReport(Decimal(1), "lost")


def test_on_track_early_with_nothing_reported():
    assert status(EARLY) is Status.ON_TRACK
    assert status(START) is Status.ON_TRACK
    assert status(START - timedelta(days=50)) is Status.ON_TRACK


def test_at_risk_when_more_than_25_points_behind():
    assert status(HALF_WAY, pending("24.999")) is Status.AT_RISK
    assert status(HALF_WAY, pending(25)) is Status.ON_TRACK  # exactly 25 points: not at risk
    assert status(HALF_WAY, verified(10), pending(16)) is Status.ON_TRACK
    assert status(HALF_WAY + timedelta(days=1), pending(25)) is Status.AT_RISK


def test_at_risk_in_the_last_30_days_until_the_target_is_reached():
    assert status(DUE - timedelta(days=31), pending(99)) is Status.ON_TRACK
    assert status(DUE - timedelta(days=30), pending(99)) is Status.AT_RISK
    assert status(DUE - timedelta(days=1), pending("99.999")) is Status.AT_RISK


def test_due_yesterday_today_tomorrow():
    short = dict(start=date(2025, 6, 1), due=date(2025, 6, 30))
    due = short["due"]
    assert status(due - timedelta(days=1), pending(99), **short) is Status.AT_RISK
    assert status(due, pending(99), **short) is Status.AT_RISK  # due today: not overdue
    assert status(due + timedelta(days=1), pending(99), **short) is Status.OVERDUE
    assert status(due + timedelta(days=1), **short) is Status.OVERDUE
    assert status(due + timedelta(days=400), pending(100), **short) is Status.DELIVERED
    a = assess(TARGET, short["start"], due, due + timedelta(days=1), [pending(40)])
    assert a.days_left == -1 and a.time_gone_percent == 100 and a.reported_percent == 40


def test_exactly_at_target_and_over_target():
    assert status(EARLY, pending(100)) is Status.DELIVERED
    assert status(EARLY, pending(150)) is Status.DELIVERED
    assert status(EARLY, verified(60), pending(40)) is Status.DELIVERED
    assert status(EARLY, verified(100)) is Status.VERIFIED
    assert status(EARLY, verified(130)) is Status.VERIFIED
    assert status(DUE + timedelta(days=1), verified(100)) is Status.VERIFIED
    assert status(EARLY, verified("99.999"), pending("0.001")) is Status.DELIVERED


@pytest.mark.parametrize(
    "reports, expected",
    [
        ([disputed(100)], Status.DISPUTED),
        ([disputed(60), disputed(40)], Status.DISPUTED),
        ([verified(50), disputed(50)], Status.ON_TRACK),  # one dispute does not taint the verified report
        ([disputed(0)], Status.DISPUTED),
        ([verified(60), pending(40), disputed(20)], Status.DELIVERED),
        ([verified(100), disputed(30)], Status.VERIFIED),
        ([pending(99), disputed(1)], Status.ON_TRACK),
    ],
)
def test_disputed_mixes(reports, expected):
    assert status(EARLY, *reports) is expected


def test_dispute_comes_before_overdue_and_at_risk():
    assert status(DUE + timedelta(days=5), disputed(10)) is Status.DISPUTED
    assert status(HALF_WAY, disputed(10)) is Status.DISPUTED


def test_same_day_start_and_due():
    day = date(2025, 3, 3)
    kwargs = dict(start=day, due=day)
    assert status(day - timedelta(days=31), **kwargs) is Status.ON_TRACK
    assert status(day - timedelta(days=1), **kwargs) is Status.AT_RISK
    assert status(day, **kwargs) is Status.AT_RISK
    assert status(day + timedelta(days=1), **kwargs) is Status.OVERDUE


def test_assessment_figures():
    a = assess(Decimal("12"), START, DUE, HALF_WAY, [verified(3), pending("1.5"), disputed(2)])
    assert (a.verified, a.pending, a.disputed, a.counted) == (3, Decimal("1.5"), 2, Decimal("4.5"))
    assert a.time_gone_percent == 50
    assert a.reported_percent == 37  # 37.5% rounded down
    assert a.status is Status.ON_TRACK and a.label == "On track"  # 50% of the time, 37.5% reported: within 25 points
    assert assess(Decimal("12"), START, DUE, HALF_WAY, [disputed(2)]).label == "Disputed"
    assert assess(TARGET, START, DUE, EARLY, [pending("99.9")]).reported_percent == 99


def test_reports_may_be_a_generator():
    reports = (pending(q) for q in (50, 50))
    assert compute_status(TARGET, START, DUE, EARLY, reports) is Status.DELIVERED


def test_one_disputed_report_does_not_mark_a_commitment_disputed_when_others_are_verified():
    # Half-way through, 60 of 100 verified and one report of 5 challenged: on track, not "Disputed".
    assert status(HALF_WAY, verified(60), disputed(5)) is Status.ON_TRACK
    # Past the due date and short, the verified work still shows: overdue, not "Disputed".
    assert status(DUE + timedelta(days=1), verified(60), disputed(5)) is Status.OVERDUE
    a = assess(TARGET, START, DUE, HALF_WAY, [verified(60), disputed(5)])
    assert (a.verified, a.disputed) == (60, 5)


def test_met_means_verified_delivery_reaches_the_target():
    assert status(EARLY, pending(100)) is not Status.VERIFIED
    assert status(EARLY, verified(99), pending(1)) is Status.DELIVERED
    assert status(EARLY, verified(100)) is Status.VERIFIED


STATE_TABLE_CASES = [
    # (reports, today, expected, why)
    ([verified(100)], EARLY, Status.VERIFIED, "verified reaches the target"),
    ([verified(100), disputed(50)], DUE + timedelta(days=9), Status.VERIFIED, "met stays met after a dispute"),
    ([verified(50), pending(50)], EARLY, Status.DELIVERED, "counted reaches target, verified does not"),
    ([disputed(10)], EARLY, Status.DISPUTED, "everything reported is challenged"),
    ([disputed(10)], DUE + timedelta(days=1), Status.DISPUTED, "a dispute to settle comes before overdue"),
    ([pending(1), disputed(10)], DUE + timedelta(days=1), Status.OVERDUE, "something counts, so time decides"),
    ([], DUE + timedelta(days=1), Status.OVERDUE, "past due with nothing"),
    ([], DUE, Status.AT_RISK, "the due date itself is the final stretch, not overdue"),
    ([verified(10)], HALF_WAY, Status.AT_RISK, "50% of the time gone, 10% reported"),
    ([verified(25)], HALF_WAY, Status.ON_TRACK, "exactly 25 points behind is not at risk"),
    ([], EARLY, Status.ON_TRACK, "early days"),
]


@pytest.mark.parametrize("reports, today, expected, why", STATE_TABLE_CASES, ids=[c[3] for c in STATE_TABLE_CASES])
def test_the_state_table(reports, today, expected, why):
    assert status(today, *reports) is expected, why
