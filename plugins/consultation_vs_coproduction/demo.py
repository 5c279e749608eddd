"""Demo content for `coproduce init --demo`: one open assessment with a few hundred varied responses.

Staff answer higher than residents (so the perception gap shows), councillors are too few to be
shown (so the privacy rule shows), and some responses came in on paper.
"""

from __future__ import annotations

import random
from datetime import timedelta

from coproduce.plugins import db, utcnow

from .aggregates import record_response
from .campaigns import DEFAULT_GROUPS, new_code, uk_day
from .models import Assessment, Sort, SortAnswer
from .questionnaire import RUNGS
from .scenarios import CHOICES, score_sort, standard_deck
from .versions import lock, questionnaire_of, standard_version

# group: (how many, the rung their answers centre on)
MIX = {"resident": (190, 1.3), "staff": (80, 2.8), "partner": (26, 2.0), "councillor": (4, 2.2)}
COMMENTS = (
    "We were asked what we thought, but the plan did not change.",
    "The youth forum helped choose the new activities and it showed.",
    "Meetings are always at 2pm on a weekday. I work then.",
    "Good to be paid for my time for once.",
    "Staff listened, but we never heard what happened next.",
    "It felt like the decision had already been made.",
    "We ran the summer sessions ourselves with the youth workers. Brilliant.",
    "Please put the papers in plain English.",
    "Not sure who decides in the end.",
    "We shared the budget figures with the group from day one.",
)


def _answers(questionnaire, centre: float, rng: random.Random) -> dict:
    answers = {}
    for dimension in questionnaire.dimensions:
        for question in dimension.questions:
            if rng.random() < 0.06:
                continue  # skipped
            wanted = min(4, max(0, round(rng.gauss(centre, 0.9))))
            options = sorted(question.options, key=lambda o: abs(RUNGS.index(o.rung) - wanted))
            answers[question.id] = options[0].id
    return answers


def create_demo(team, echo=lambda message: None) -> Assessment:
    rng = random.Random(20270301)  # nosec B311
    version = standard_version(team.id)
    lock(version)
    today = uk_day(utcnow())
    assessment = Assessment(
        team_id=team.id,
        version_id=version.id,
        code=new_code(),
        title="Youth centre activities: is it co-production?",
        initiative="Youth centre summer activities",
        opens_on=today - timedelta(days=28),
        closes_on=today + timedelta(days=21),
        groups=[dict(g) for g in DEFAULT_GROUPS],
        content_language="en",  # the demo's own words are English
    )
    db.session.add(assessment)
    db.session.flush()
    questionnaire = questionnaire_of(version)
    total = sum(n for n, _centre in MIX.values())
    echo(f"  readiness: adding {total} demo responses")
    now = utcnow()
    for group, (count, centre) in MIX.items():
        for _ in range(count):
            when = now - timedelta(days=rng.triangular(0, 28, 20), minutes=rng.randint(0, 600))
            record_response(
                assessment,
                questionnaire,
                _answers(questionnaire, centre, rng),
                group=group,
                source="paper" if rng.random() < 0.15 else "web",
                easy_read=rng.random() < 0.2,
                locale=rng.choice(("en",) * 8 + ("cy", "pl", "ur")),
                created_at=when,
                comment=rng.choice(COMMENTS) if rng.random() < 0.12 else "",
            )
    deck = standard_deck()
    for _ in range(40):
        answers = {c.id: c.answer if rng.random() < 0.7 else rng.choice(CHOICES) for c in deck.cards}
        summary = score_sort(answers, deck)
        sort = Sort(team_id=team.id, right=summary.right, total=summary.total)
        db.session.add(sort)
        db.session.flush()
        db.session.add_all([SortAnswer(sort_id=sort.id, card_id=k, choice=v) for k, v in answers.items()])
    db.session.commit()
    return assessment
