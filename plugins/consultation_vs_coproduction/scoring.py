"""Scoring a completed questionnaire: pure functions, no Flask, no database.

The rules, exactly:

- Rung values: informing 0, consulting 1, involving 2, co_designing 3, co_producing 4.
- A question counts only when answered. A missing question, None or "" means skipped.
- Dimension score = weighted mean of its answered questions' rung values / 4 * 100,
  rounded half up to a whole number (12.5 -> 13, 62.5 -> 63). Worked out with exact
  fractions, and weights read as decimals (0.1 is one tenth), so there is no float drift.
  A dimension with no answers has score None and no guidance.
- Overall score: the same formula over every answered question in every dimension
  (so a dimension with more answered or heavier questions counts for more).
- Overall rung: the rung nearest the overall weighted mean, with halves going up.
  On the exact (unrounded) 0-100 overall score x, and so on the rounded score:
      informing     x < 12.5            (rounded 0-12)
      consulting    12.5 <= x < 37.5    (rounded 13-37)
      involving     37.5 <= x < 62.5    (rounded 38-62)
      co_designing  62.5 <= x < 87.5    (rounded 63-87)
      co_producing  87.5 <= x           (rounded 88-100)
  Thresholds are halfway between the rung points 0, 25, 50, 75 and 100, so
  "co-producing" needs nearly every answer at the top.
- Guidance for a dimension: the band of that dimension whose min..max holds its score.
- What would move it up: the next step of the lowest-scoring answered dimension
  (on a tie, the one that comes first in the questionnaire).
Texts in the result are the English source strings (msgids); views translate them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .questionnaire import RUNGS, GuidanceBand, Questionnaire

RUNG_VALUE = {rung: value for value, rung in enumerate(RUNGS)}
TOP = len(RUNGS) - 1
# The lowest rounded overall score that reaches each rung (see the module docstring).
OVERALL_RUNG_FLOOR = {"informing": 0, "consulting": 13, "involving": 38, "co_designing": 63, "co_producing": 88}


@dataclass(frozen=True)
class DimensionResult:
    dimension_id: str
    score: int | None  # 0-100, None when no question in it was answered
    answered: int
    total: int
    band: GuidanceBand | None  # meaning, misconception and next_step for the score


@dataclass(frozen=True)
class Result:
    questionnaire_version: str
    dimensions: tuple[DimensionResult, ...]
    overall_score: int | None
    overall_rung: str | None
    answered: int
    total: int
    move_up: DimensionResult | None  # the lowest-scoring answered dimension

    @property
    def scores(self) -> dict[str, int | None]:
        return {d.dimension_id: d.score for d in self.dimensions}

    @property
    def guidance(self) -> dict[str, GuidanceBand | None]:
        return {d.dimension_id: d.band for d in self.dimensions}

    @property
    def next_step(self) -> str | None:
        """What would move it up: the lowest-scoring dimension's next step."""
        return self.move_up.band.next_step if self.move_up else None

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.dimension_id == dimension_id)


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def exact_weight(weight: int | float) -> Fraction:
    """A weight as an exact fraction of its decimal form: 0.1 -> 1/10."""
    return Fraction(str(weight))


def weighted_score(answers: Iterable[tuple[Fraction, int]]) -> int | None:
    """(weight, rung value) pairs -> 0-100 score, rounded half up; None if there are none."""
    pairs = list(answers)
    if not pairs:
        return None
    mean = sum(w * v for w, v in pairs) / sum(w for w, _ in pairs)
    return round_half_up(mean / TOP * 100)


def rung_for_score(score: int) -> str:
    """The overall rung for a rounded 0-100 score (nearest rung, halves up)."""
    return [r for r in RUNGS if score >= OVERALL_RUNG_FLOOR[r]][-1]


def score(questionnaire: Questionnaire, answers: Mapping[str, str | None], *, strict: bool = True) -> Result:
    """Score `answers` ({question id: option id}). With strict=True an unknown question or
    option id raises ValueError; with strict=False it is ignored like a skipped question
    (for stored responses to a questionnaire that has since been adapted)."""
    known = {q.id for d in questionnaire.dimensions for q in d.questions}
    unknown = sorted(set(answers) - known)
    if strict and unknown:
        raise ValueError(f"answers to unknown questions: {', '.join(unknown)}")
    results, everything = [], []
    for dimension in questionnaire.dimensions:
        pairs = []
        for question in dimension.questions:
            choice = answers.get(question.id)
            if choice is None or choice == "":
                continue
            option = next((o for o in question.options if o.id == choice), None)
            if option is None:
                if strict:
                    raise ValueError(f'question "{question.id}" has no option "{choice}"')
                continue
            pairs.append((exact_weight(question.weight), RUNG_VALUE[option.rung]))
        dim_score = weighted_score(pairs)
        band = dimension.band_for(dim_score) if dim_score is not None else None
        results.append(DimensionResult(dimension.id, dim_score, len(pairs), len(dimension.questions), band))
        everything += pairs
    overall = weighted_score(everything)
    answered = [r for r in results if r.score is not None]
    return Result(
        questionnaire_version=questionnaire.version,
        dimensions=tuple(results),
        overall_score=overall,
        overall_rung=rung_for_score(overall) if overall is not None else None,
        answered=len(everything),
        total=len(known),
        move_up=min(answered, key=lambda r: r.score) if answered else None,
    )
