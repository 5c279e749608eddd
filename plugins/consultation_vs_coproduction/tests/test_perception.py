"""The perception gap says the right thing (issue 14): words that follow its direction and size, a trend,
and both on the team's dashboard widget as well as the assessment's dashboard."""

from datetime import timedelta

import pytest

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
from coproduce_plugins.consultation_vs_coproduction.models import Assessment
from coproduce_plugins.consultation_vs_coproduction.perception import kind, meaning, trend
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()
WRONG_WAY = "Staff believe power is shared more than residents feel it is."


def at(rung):
    return {q.id: next(o.id for o in q.options if o.rung == rung) for d in Q.dimensions for q in d.questions}


def add(app, aid, group, rung, n, days_ago=0):
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        for _ in range(n):
            record_response(assessment, Q, at(rung), group=group, created_at=utcnow() - timedelta(days=days_ago))
        db.session.commit()


@pytest.mark.parametrize(
    "gap, expected",
    [
        (0, "same"),
        (4, "same"),
        (-4, "same"),
        (5, "staff_little"),
        (14, "staff_little"),
        (15, "staff_wide"),
        (-5, "residents_little"),
        (-14, "residents_little"),
        (-15, "residents_wide"),
        (-75, "residents_wide"),
    ],
)
def test_the_words_follow_direction_and_size(gap, expected):
    assert kind(gap) == expected
    if gap < 0:
        assert "Staff believe" not in meaning(gap)


@pytest.mark.parametrize(
    "gaps, expected",
    [
        ([30, None, 10], ("narrowing", 30, 10)),
        ([10, 30], ("widening", 10, 30)),
        ([-20, 20], ("flipped", -20, 20)),
        ([12, 14], ("steady", 12, 14)),
        ([-30, -10], ("narrowing", -30, -10)),
        ([20], None),
        ([None, 5], None),
    ],
)
def test_the_trend(gaps, expected):
    assert trend(gaps) == expected


def test_residents_higher_is_not_explained_as_staff_overrating(app, people):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "consulting", 5)  # 25
    add(app, aid, "resident", "co_designing", 5)  # 75
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{BASE}/assessments/{aid}").text
    assert "Residents rate this work 50 points higher than staff do." in page
    assert WRONG_WAY not in page
    assert "Residents feel the work is shared more than staff think it is." in page
    assert "where residents rate the work 50 points higher" in page


@pytest.mark.hook("dashboard_widgets")
def test_the_gap_and_its_trend_are_on_the_team_dashboard(app, people):
    enable(app)
    aid = make_assessment(app, opens_in=-20)
    add(app, aid, "staff", "co_producing", 5, days_ago=10)  # first period: 100 against 25
    add(app, aid, "resident", "consulting", 5, days_ago=10)
    add(app, aid, "staff", "co_designing", 5, days_ago=1)  # latest period: 75 against 50
    add(app, aid, "resident", "involving", 5, days_ago=1)
    client = app.test_client()
    sign_in(client, "member@example.org")
    widget = client.get("/t/youth/dashboard").text
    assert "20 responses" in widget
    assert "Staff rate this work 50 points higher than residents do." in widget  # (100+75)/2 - (25+50)/2
    assert WRONG_WAY in widget  # staff higher, and a wide gap: here the words are right
    assert "The gap is narrowing: it was +75 in the first period and is +25 in the latest." in widget
    page = client.get(f"{BASE}/assessments/{aid}").text
    assert "The gap in each period" in page and "<svg" in page and "+75" in page and "+25" in page
