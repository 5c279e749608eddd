"""Scoring under the first rules (rules 1, the standard-1 questionnaire, which old results keep):
bands of every dimension, weights, skipped questions, rounding, overall rung thresholds. The second
rules (the ladder must be earned) are in test_ladder.py.

Expected figures are worked out here independently (Decimal, ROUND_HALF_UP), not with scoring.py.
"""

import itertools
import tomllib
from decimal import ROUND_HALF_UP, Decimal

import pytest

from coproduce_plugins.consultation_vs_coproduction.questionnaire import (
    STANDARD_PATH,
    load_questionnaire,
    questionnaire_from_dict,
)
from coproduce_plugins.consultation_vs_coproduction.scoring import OVERALL_RUNG_FLOOR, rung_for_score, score

FIRST_PATH = STANDARD_PATH.with_name("questionnaire_standard_1.toml")
RAW = tomllib.loads(FIRST_PATH.read_text(encoding="utf-8"))
FIRST = load_questionnaire(FIRST_PATH)


def standard_questionnaire():
    """The standard questionnaire as it was under the first rules."""
    return FIRST


VALUE = {"informing": 0, "consulting": 1, "involving": 2, "co_designing": 3, "co_producing": 4}


def expected_score(pairs):
    """(weight, rung) pairs -> 0-100, by hand: weighted mean / 4 * 100, halves rounded up."""
    weights = [Decimal(str(w)) for w, _ in pairs]
    mean = sum(w * VALUE[r] for w, (_, r) in zip(weights, pairs)) / sum(weights)
    return int((mean / 4 * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def answers_in_band(dimension, low, high):
    """Search every combination of options in a raw dimension for one scoring low..high."""
    questions = dimension["questions"]
    for combo in itertools.product(*(q["options"] for q in questions)):
        pairs = [(q.get("weight", 1), o["rung"]) for q, o in zip(questions, combo)]
        if low <= expected_score(pairs) <= high:
            return {q["id"]: o["id"] for q, o in zip(questions, combo)}, expected_score(pairs)
    raise AssertionError(f"no answers land in {low}-{high}")


BANDS = [pytest.param(d, b, id=f"{d['id']}-{b['id']}") for d in RAW["dimensions"] for b in d["guidance"]]


@pytest.mark.parametrize("dimension, band", BANDS)
def test_every_band_of_every_dimension_chooses_its_guidance(dimension, band):
    answers, expected = answers_in_band(dimension, band["min"], band["max"])
    result = score(standard_questionnaire(), answers)
    got = result.dimension(dimension["id"])
    assert got.score == expected and got.answered == len(answers)
    assert (got.band.meaning, got.band.misconception, got.band.next_step) == (
        band["meaning"],
        band["misconception"],
        band["next_step"],
    )
    assert result.guidance[dimension["id"]] == got.band
    others = [d for d in result.dimensions if d.dimension_id != dimension["id"]]
    assert all(d.score is None and d.band is None and d.answered == 0 for d in others)
    assert result.next_step == band["next_step"]  # the only answered dimension is the lowest


@pytest.mark.parametrize("dimension", [d["id"] for d in RAW["dimensions"]])
def test_band_edges(dimension):
    d = standard_questionnaire().dimension(dimension)
    assert [d.band_for(s).id for s in (0, 39, 40, 69, 70, 100)] == ["low", "low", "middle", "middle", "high", "high"]


# -- small hand-built questionnaires ---------------------------------------------------

FULL = {r[:4]: r for r in VALUE}
OPTIONS = [{"id": r[:4], "rung": r, "text": f"{r} text", "easy_read": f"{r} easy"} for r in VALUE]
BANDS_3 = [
    {"id": i, "min": lo, "max": hi, "meaning": f"{i} meaning", "misconception": f"{i} myth", "next_step": f"{i} step"}
    for i, lo, hi in (("low", 0, 39), ("middle", 40, 69), ("high", 70, 100))
]


def build(*dimensions):
    """dimensions: (id, [weights of its questions]); questions are "<id>-1".. with options info/cons/invo/co_d/co_p."""
    return questionnaire_from_dict(
        {
            "version": "test-1",
            "title": "t",
            "intro": "i",
            "easy_read_intro": "e",
            "rungs": [{"id": r, "label": r, "description": r, "easy_read": r} for r in VALUE],
            "dimensions": [
                {
                    "id": did,
                    "title": did,
                    "summary": did,
                    "easy_read": did,
                    "guidance": BANDS_3,
                    "questions": [
                        {"id": f"{did}-{n}", "text": "q", "easy_read": "q", "weight": w, "options": OPTIONS}
                        for n, w in enumerate(weights, 1)
                    ],
                }
                for did, weights in dimensions
            ],
        }
    )


def test_weights_count():
    q = build(("a", [2, 1, 1]))
    result = score(q, {"a-1": "co_p", "a-2": "info"})  # (2*4 + 1*0) / 3 = 2.667 -> 66.67
    assert result.scores == {"a": 67} and result.guidance["a"].id == "middle"
    unweighted = score(build(("a", [1, 1, 1])), {"a-1": "co_p", "a-2": "info"})
    assert unweighted.scores == {"a": 50}


def test_skipped_questions_are_left_out():
    q = build(("a", [1, 1, 1]))
    for answers in ({"a-1": "co_p"}, {"a-1": "co_p", "a-2": None}, {"a-1": "co_p", "a-2": "", "a-3": None}):
        result = score(q, answers)
        assert result.scores == {"a": 100} and result.dimension("a").answered == 1 and result.answered == 1
    assert result.total == 3 and result.dimension("a").total == 3


def test_nothing_answered():
    result = score(build(("a", [1, 1, 1]), ("b", [1, 1, 1])), {})
    assert result.scores == {"a": None, "b": None} and result.guidance == {"a": None, "b": None}
    assert (result.overall_score, result.overall_rung, result.move_up, result.next_step) == (None, None, None, None)


@pytest.mark.parametrize(
    "rungs, exact, rounded",
    [
        (("info", "cons"), "12.5", 13),  # Python's round() would give 12
        (("invo", "co_d"), "62.5", 63),  # and 62
        (("cons", "co_p"), "62.5", 63),
        (("info", "info", "cons"), "8.33", 8),
        (("cons", "cons", "invo"), "33.33", 33),
        (("co_d", "co_d", "co_p"), "83.33", 83),
        (("invo", "co_p", "co_p"), "83.33", 83),
        (("info", "co_p", "co_p"), "66.67", 67),
    ],
)
def test_rounding_half_up(rungs, exact, rounded):
    q = build(("a", [1, 1, 1]))
    result = score(q, {f"a-{n}": r for n, r in enumerate(rungs, 1)})
    assert result.scores["a"] == rounded == result.overall_score
    by_hand = sum(VALUE[FULL[r]] for r in rungs) / Decimal(len(rungs)) * 25
    assert by_hand.quantize(Decimal("0.01")) == Decimal(exact).quantize(Decimal("0.01"))
    assert expected_score([(1, FULL[r]) for r in rungs]) == rounded


def test_decimal_weights_are_exact():
    # 0.1 * 0 + 0.3 * 2 over 0.4 is exactly 37.5 -> 38; in binary floats it is 37.4999... -> 37
    result = score(build(("a", [0.1, 0.3, 1])), {"a-1": "info", "a-2": "invo"})
    assert result.scores["a"] == 38 and result.overall_rung == "involving"


# Overall rung: nearest rung, halves up. (rungs and weights) -> hand-computed exact score, rounded, rung.
OVERALL = [
    (("info", 1, "info", 1), "0", 0, "informing"),
    (("cons", 496, "info", 504), "12.4", 12, "informing"),
    (("cons", 1, "info", 1), "12.5", 13, "consulting"),
    (("cons", 1, "cons", 1), "25", 25, "consulting"),
    (("invo", 49, "cons", 51), "37.25", 37, "consulting"),
    (("invo", 1, "cons", 1), "37.5", 38, "involving"),
    (("invo", 1, "invo", 1), "50", 50, "involving"),
    (("co_d", 49, "invo", 51), "62.25", 62, "involving"),
    (("co_d", 1, "invo", 1), "62.5", 63, "co_designing"),
    (("co_p", 49, "co_d", 51), "87.25", 87, "co_designing"),
    (("co_p", 1, "co_d", 1), "87.5", 88, "co_producing"),
    (("co_p", 1, "co_p", 1), "100", 100, "co_producing"),
]


@pytest.mark.parametrize("answers, exact, rounded, rung", OVERALL, ids=[o[1] for o in OVERALL])
def test_overall_rung_thresholds(answers, exact, rounded, rung):
    r1, w1, r2, w2 = answers
    result = score(build(("a", [w1, w2, 1])), {"a-1": r1, "a-2": r2})  # a-3 skipped
    assert result.overall_score == rounded and result.overall_rung == rung


def test_rung_for_every_score():
    ranges = {
        "informing": range(0, 13),
        "consulting": range(13, 38),
        "involving": range(38, 63),
        "co_designing": range(63, 88),
        "co_producing": range(88, 101),
    }
    assert {rung_for_score(s) for s in ranges["informing"]} == {"informing"}
    for rung, scores in ranges.items():
        assert {rung_for_score(s) for s in scores} == {rung}
        assert OVERALL_RUNG_FLOOR[rung] == scores.start


def test_overall_is_over_all_answered_questions_not_a_mean_of_dimensions():
    q = build(("a", [2, 1, 1]), ("b", [1, 1, 1]), ("c", [1, 1, 1]))
    result = score(q, {"a-1": "co_p", "b-1": "info", "b-2": "info", "b-3": "info"})
    # (2*4 + 0 + 0 + 0) / 5 = 1.6 -> 40; the mean of the dimension scores would be 50
    assert result.scores == {"a": 100, "b": 0, "c": None}
    assert (result.overall_score, result.overall_rung) == (40, "involving")
    assert result.move_up.dimension_id == "b" and result.next_step == "low step"


def test_move_up_tie_goes_to_the_first_dimension():
    q = build(("a", [1, 1, 1]), ("b", [1, 1, 1]), ("c", [1, 1, 1]))
    result = score(q, {"a-1": "co_p", "b-1": "invo", "c-1": "invo"})
    assert result.move_up.dimension_id == "b" and result.next_step == "middle step"


def test_unknown_ids():
    q = build(("a", [1, 1, 1]))
    with pytest.raises(ValueError, match="unknown questions: z-1"):
        score(q, {"z-1": "info"})
    with pytest.raises(ValueError, match='question "a-1" has no option "nope"'):
        score(q, {"a-1": "nope"})
    lenient = score(q, {"z-1": "info", "a-1": "nope", "a-2": "co_p"}, strict=False)
    assert lenient.scores == {"a": 100} and lenient.answered == 1


def test_standard_questionnaire_all_top_and_all_bottom():
    q = standard_questionnaire()
    top = {
        qu.id: next(o.id for o in qu.options if o.rung == "co_producing") for d in q.dimensions for qu in d.questions
    }
    bottom = {
        qu.id: next(o.id for o in qu.options if o.rung == "informing") for d in q.dimensions for qu in d.questions
    }
    high, low = score(q, top), score(q, bottom)
    assert set(high.scores.values()) == {100} and high.overall_rung == "co_producing" and high.answered == 24
    assert set(low.scores.values()) == {0} and low.overall_rung == "informing"
    assert low.move_up.dimension_id == "options" and high.questionnaire_version == "standard-1"
