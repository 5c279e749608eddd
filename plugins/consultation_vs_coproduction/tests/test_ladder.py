"""The readiness ladder must be earned (issue 14): minimum evidence, caps by the dimensions that define
a rung, guidance per rung. Expected rungs and scores are worked out by hand in each row's reason.

Standard questionnaire weights: the first question of each dimension counts 2, the others 1, so
options 5, power 5, parameters 4, ownership 4, reach 5, evidence 4, roles 4: 31 in all. Rung values
0-4; overall score = sum(weight x value) / (31 x 4 = 124) x 100, halves up.
"""

from pathlib import Path

import pytest

from coproduce_plugins.consultation_vs_coproduction.questionnaire import load_questionnaire, standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.scoring import score

Q = standard_questionnaire()
OLD = load_questionnaire(Path(__file__).parents[1] / "questionnaire_standard_1.toml")
DIMS = [d.id for d in Q.dimensions]


def option(question, rung):
    return next(o.id for o in question.options if o.rung == rung)


def pattern(default="co_producing", only=None, **overrides):
    """Answers: every question at `default`, a dimension's questions at overrides[dim], or a single
    question at overrides["power_1"] (question ids with _ for -). A value None skips. `only` keeps just
    the first n questions of each dimension."""
    answers = {}
    for d in Q.dimensions:
        for number, question in enumerate(d.questions):
            if only is not None and number >= only:
                continue
            rung = overrides.get(question.id.replace("-", "_"), overrides.get(d.id, default))
            if rung is not None:
                answers[question.id] = option(question, rung)
    return answers


# (answers, expected rung or None for "not placed", expected score, capping dimension, why)
CASES = [
    (pattern(), "co_producing", 100, None, "every answer at the top: 124/124"),
    (pattern("co_designing"), "co_designing", 75, None, "every answer co-designing: 93/124"),
    (pattern("involving"), "involving", 50, None, "every answer involving: 62/124"),
    (pattern("consulting"), "consulting", 25, None, "every answer consulting: 31/124"),
    (pattern("informing"), "informing", 0, None, "every answer informing: 0/124"),
    (
        pattern(power="co_designing"),
        "co_designing",
        96,
        "power",
        "top but power: 119/124 = 96 points to co-producing, but a manager keeps the last word",
    ),
    (pattern(power="involving"), "co_designing", 92, "power", "114/124 = 92, but staff decide"),
    (pattern(power="informing"), "co_designing", 84, None, "104/124 = 84 is co-designing by score alone: no cap"),
    (pattern(power_1="co_designing"), "co_designing", 98, "power", "power-1 (weight 2) overruled: 122/124"),
    (pattern(power_3="co_designing"), "co_designing", 99, "power", "staff keep a casting vote: 123/124"),
    (pattern(power_4="informing"), "co_designing", 97, "power", "only staff know the money: 120/124"),
    (pattern(ownership="co_designing"), "co_designing", 97, "ownership", "ownership 75 < 88: 120/124"),
    (pattern(ownership_2="informing"), "co_designing", 97, "ownership", "no resources: ownership 12/16 = 75"),
    (pattern(ownership_3="co_designing"), "co_producing", 99, None, "ownership 15/16 = 94 is still top: 123/124"),
    (pattern(options="consulting"), "consulting", 88, "options", "options picked from a list: 109/124 = 88"),
    (pattern(options="informing"), "consulting", 84, "options", "no options at all: 104/124 = 84"),
    (pattern(options_1="consulting"), "consulting", 95, "options", "staff wrote the short list: 118/124, capped"),
    (pattern(options_4="consulting"), "consulting", 98, "options", "people chose between versions of a model"),
    (pattern(options="involving"), "involving", 92, "options", "residents only added to staff options: 114/124"),
    (pattern(options="co_designing"), "co_producing", 96, None, "residents helped make the options (75): 119/124"),
    (pattern("co_designing", options="consulting"), "consulting", 67, "options", "83/124 = 67, options cap it"),
    (pattern("involving", options="consulting"), "consulting", 46, "options", "57/124 = 46, options cap it"),
    (pattern("consulting", options="informing"), "consulting", 21, None, "26/124 = 21: a cap never raises a rung"),
    (
        pattern("involving", options="co_producing", power="co_producing", ownership="co_producing"),
        "co_designing",
        73,
        None,
        "weight 14 at 4 and 17 at 2: 90/124 = 73",
    ),
    (
        pattern(
            "co_designing",
            options="co_producing",
            power="co_producing",
            ownership="co_producing",
            reach_1="co_producing",
        ),
        "co_producing",
        88,
        None,
        "109/124 = 87.9, rounded 88: just co-producing, every defining dimension met",
    ),
    (
        pattern(
            "co_designing",
            options="co_producing",
            power="co_producing",
            ownership="co_producing",
            evidence_2="co_producing",
        ),
        "co_designing",
        87,
        None,
        "108/124 = 87.1: one point short of co-producing by score",
    ),
    (
        pattern("involving", power="co_producing", ownership="co_producing"),
        "involving",
        65,
        "options",
        "80/124 = 65 points to co-designing, but residents did not shape the options (50)",
    ),
    (pattern(evidence_2="informing"), "co_producing", 97, None, "120/124: evidence does not define a rung"),
    (pattern(reach="informing"), "co_designing", 84, None, "104/124 = 84: below co-producing by score"),
    (pattern(roles="consulting"), "co_producing", 90, None, "112/124 = 90, the defining dimensions met"),
    (pattern("informing", options="co_producing"), "consulting", 16, None, "20/124 = 16"),
    (pattern("involving", options="co_designing"), "involving", 54, None, "67/124 = 54"),
    (pattern(only=2), "co_producing", 100, None, "exactly half of each dimension (2 of 3 or 4) is enough"),
    ({"options-1": option(Q.question("options-1"), "co_producing")}, None, None, None, "1 of 24 answered"),
    ({}, None, None, None, "nothing answered"),
    (pattern(roles=None), None, None, None, "a whole dimension (roles) left out"),
    (pattern(reach_2=None, reach_3=None, reach_4=None), None, None, None, "reach: 1 of 4, needs 2"),
    (pattern(only=1), None, None, None, "one question per dimension is below half everywhere"),
]


@pytest.mark.parametrize("answers, rung, points, capped_by, why", CASES, ids=[c[4][:60] for c in CASES])
def test_ladder_table(answers, rung, points, capped_by, why):
    result = score(Q, answers)
    assert result.rules == 2
    assert result.overall_rung == rung, why
    assert result.overall_score == points, why
    assert (result.cap.dimension if result.cap else None) == capped_by, why
    if rung is None:
        assert not result.placed and result.missing and result.next_step is None
    else:
        assert result.placed and not result.missing and result.next_step


def test_at_least_thirty_patterns():
    assert len(CASES) >= 30


# -- the bugs the issue names, each shown against the first rules too -----------------------------


def test_co_production_everywhere_but_power_is_not_co_producing():
    answers = pattern(power="co_designing")
    assert score(OLD, answers).overall_rung == "co_producing"  # what the first rules said
    result = score(Q, answers)
    assert result.overall_rung == "co_designing" and result.score_rung == "co_producing"
    assert result.cap.dimension == "power"
    assert "last word" in result.cap.reason and result.next_step == result.cap.lift


def test_one_answer_of_24_is_not_placed():
    answers = {"options-1": option(Q.question("options-1"), "co_producing")}
    old = score(OLD, answers)
    assert (old.overall_rung, old.overall_score) == ("co_producing", 100)  # what the first rules said
    result = score(Q, answers)
    assert (result.overall_rung, result.overall_score) == (None, None)
    assert [(d.dimension_id, d.answered, d.needed) for d in result.missing] == [
        ("options", 1, 2),
        ("power", 0, 2),
        ("parameters", 0, 2),
        ("ownership", 0, 2),
        ("reach", 0, 2),
        ("evidence", 0, 2),
        ("roles", 0, 2),
    ]


def test_informing_answers_get_informing_guidance_not_consultation():
    answers = pattern("informing")
    old = score(OLD, answers)
    assert "consultation" in old.dimension("options").band.meaning  # what the first rules said
    result = score(Q, answers)
    assert result.overall_rung == "informing"
    for d in result.dimensions:
        assert d.band.id == "informing"
        assert "consult" not in d.band.meaning.lower()
    assert "consult" not in result.next_step.lower() or "ask people" in result.next_step


def test_top_rung_says_how_to_stay_there():
    result = score(Q, pattern())
    assert result.at_top and result.cap is None
    assert result.next_step.startswith("To stay here")
    assert result.next_step == Q.rung("co_producing").next_step


def test_each_dimension_band_follows_the_rung_of_its_score():
    for rung in ("informing", "consulting", "involving", "co_designing", "co_producing"):
        result = score(Q, pattern(rung))
        assert {d.band.id for d in result.dimensions} == {rung}


def test_every_rung_and_band_has_its_own_words():
    meanings = [b.meaning for d in Q.dimensions for b in d.guidance]
    assert len(set(meanings)) == len(meanings)
    steps = [r.next_step for r in Q.rungs]
    assert all(steps) and len(set(steps)) == len(steps)


def test_old_results_keep_their_rules():
    assert (OLD.version, OLD.rules) == ("standard-1", 1)
    assert (Q.version, Q.rules) == ("standard-2", 2)
    result = score(OLD, pattern(power="co_designing"))
    assert result.rules == 1 and result.cap is None and not result.missing
