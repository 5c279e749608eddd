"""Scoring a completed questionnaire: pure functions, no Flask, no database.

Two sets of rules, chosen by the questionnaire's `rules` (a stored result is always read with the
rules it was given under, so an old result keeps its meaning; docs/rules.md says all this in plain words).

Common to both:

- Rung values: informing 0, consulting 1, involving 2, co_designing 3, co_producing 4.
- A question counts only when answered. A missing question, None or "" means skipped.
- Dimension score = weighted mean of its answered questions' rung values / 4 * 100,
  rounded half up to a whole number (12.5 -> 13, 62.5 -> 63). Worked out with exact
  fractions, and weights read as decimals (0.1 is one tenth), so there is no float drift.
  A dimension with no answers has score None and no guidance.
- Overall score: the same formula over every answered question in every dimension
  (so a dimension with more answered or heavier questions counts for more).
- The rung a score points to: the nearest rung, with halves going up. On the exact
  (unrounded) 0-100 score x, and so on the rounded score:
      informing     x < 12.5            (rounded 0-12)
      consulting    12.5 <= x < 37.5    (rounded 13-37)
      involving     37.5 <= x < 62.5    (rounded 38-62)
      co_designing  62.5 <= x < 87.5    (rounded 63-87)
      co_producing  87.5 <= x           (rounded 88-100)
- Guidance for a dimension: the band of that dimension whose min..max holds its score.

Rules 1 (questionnaire version standard-1 and copies of it):
- Overall rung: the rung the overall score points to, from any number of answers.
- What would move it up: the next step of the lowest-scoring answered dimension
  (on a tie, the one that comes first in the questionnaire).

Rules 2 (standard-2 onwards): the ladder must be earned.
- Minimum evidence: every dimension answered, and at least half of each dimension's questions
  (rounded up: 2 of 3, 2 of 4, 3 of 5). Otherwise there is no overall score and no rung
  ("not enough answers to place this"), and `missing` lists each dimension short of answers.
- The rung is the one the overall score points to, capped by REQUIREMENTS: to reach a rung,
  the dimensions that define it must themselves be at a given rung or above: by their score
  (the rung a dimension's score points to) or, for some, in every answered question. The first requirement
  that fails, lowest rung first, is the cap: the result names it and what would lift it.
- What would move it up: the cap's lift when a cap holds the work down; otherwise the
  rung's own next step (at the top rung, how to stay there), then the lowest-scoring
  dimension's band next step for detail.
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
# The lowest rounded score that reaches each rung (see the module docstring).
OVERALL_RUNG_FLOOR = {"informing": 0, "consulting": 13, "involving": 38, "co_designing": 63, "co_producing": 88}


def _l(text: str) -> str:  # marks a msgid for extraction; the text itself is returned
    return text


@dataclass(frozen=True)
class Requirement:
    """To place work at `rung` or above, dimension `dimension` must be at `at_least` or above: its score
    (the rung the score points to) or, with every_answer, each of its answered questions."""

    rung: str
    dimension: str
    at_least: str
    every_answer: bool
    reason: str  # why the work is held below `rung` (a msgid)
    lift: str  # what would lift the cap (a msgid)


# Rules 2: the dimensions that define a rung. In the domain's own terms: options decided in advance
# (any answer about the options at consulting or below) cap the work at consulting, whatever else is
# true; no co-designing without residents shaping the options (the options score at co-designing);
# no co-producing without shared decisions (every answer about power at co-producing) and shared
# resources (the ownership score, money, time and people to carry the work on, at co-producing).
REQUIREMENTS = (
    Requirement(
        "involving",
        "options",
        "involving",
        True,
        _l(
            "The options were decided before people arrived. Asking people to pick from them is consulting, "
            "whatever else is true."
        ),
        _l("Let residents and service users change the options and add their own before anything is chosen."),
    ),
    Requirement(
        "co_designing",
        "options",
        "co_designing",
        False,
        _l("Residents and service users have not shaped the options, so the work is not co-designed yet."),
        _l("Make the options together with residents and service users, not only ask them to add to yours."),
    ),
    Requirement(
        "co_producing",
        "power",
        "co_producing",
        True,
        _l(
            "Decisions are not fully shared yet: in at least one answer, staff, managers or councillors keep the "
            "last word."
        ),
        _l("Agree in writing which decisions the group makes together, and that nobody outside it will overrule them."),
    ),
    Requirement(
        "co_producing",
        "ownership",
        "co_producing",
        False,
        _l("Resources are not shared yet: the money, time and people to carry the work on stay with the council."),
        _l("Put a budget and staff time in the hands of the group, with support for residents to keep taking part."),
    ),
)


@dataclass(frozen=True)
class DimensionResult:
    dimension_id: str
    score: int | None  # 0-100, None when no question in it was answered
    answered: int
    total: int
    band: GuidanceBand | None  # meaning, misconception and next_step for the score
    needed: int = 0  # rules 2: answers needed for a verdict (at least half, rounded up)
    lowest: str | None = None  # the lowest rung among its answers

    @property
    def rung(self) -> str | None:
        """The rung this dimension's own score points to."""
        return rung_for_score(self.score) if self.score is not None else None

    @property
    def short(self) -> bool:
        """Fewer answers than a verdict needs."""
        return self.answered < self.needed


@dataclass(frozen=True)
class Result:
    questionnaire_version: str
    dimensions: tuple[DimensionResult, ...]
    overall_score: int | None
    overall_rung: str | None
    answered: int
    total: int
    move_up: DimensionResult | None  # the lowest-scoring answered dimension
    rules: int = 1
    score_rung: str | None = None  # the rung the overall score alone points to
    cap: Requirement | None = None  # rules 2: the requirement that held the rung down
    rung_next_step: str | None = None  # rules 2: the placed rung's own next step (top rung: how to stay)

    @property
    def scores(self) -> dict[str, int | None]:
        return {d.dimension_id: d.score for d in self.dimensions}

    @property
    def guidance(self) -> dict[str, GuidanceBand | None]:
        return {d.dimension_id: d.band for d in self.dimensions}

    @property
    def placed(self) -> bool:
        return self.overall_rung is not None

    @property
    def missing(self) -> tuple[DimensionResult, ...]:
        """Rules 2: the dimensions short of answers (empty when the work is placed)."""
        return tuple(d for d in self.dimensions if d.short)

    @property
    def at_top(self) -> bool:
        return self.overall_rung == RUNGS[-1]

    @property
    def next_step(self) -> str | None:
        """What would move it up (at the top rung under rules 2: how to stay there)."""
        if self.rules >= 2:
            if not self.placed:
                return None
            if self.cap is not None:
                return self.cap.lift
            return self.rung_next_step
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
    """The rung a rounded 0-100 score points to (nearest rung, halves up)."""
    return [r for r in RUNGS if score >= OVERALL_RUNG_FLOOR[r]][-1]


def needed_answers(questions: int) -> int:
    """Rules 2: the answers a dimension needs for a verdict: at least half, rounded up."""
    return math.ceil(questions / 2)


def cap_for(dimensions: Mapping[str, DimensionResult], rung: str) -> tuple[str, Requirement | None]:
    """Rules 2: `rung` held down by the first failed requirement at or below it, lowest rung first.
    A dimension the questionnaire lacks, or left unanswered, fails its requirements."""
    for requirement in sorted(REQUIREMENTS, key=lambda r: RUNG_VALUE[r.rung]):
        if RUNG_VALUE[requirement.rung] > RUNG_VALUE[rung]:
            break
        found = dimensions.get(requirement.dimension)
        have = None if found is None else (found.lowest if requirement.every_answer else found.rung)
        if have is None or RUNG_VALUE[have] < RUNG_VALUE[requirement.at_least]:
            return RUNGS[RUNG_VALUE[requirement.rung] - 1], requirement
    return rung, None


def score(questionnaire: Questionnaire, answers: Mapping[str, str | None], *, strict: bool = True) -> Result:
    """Score `answers` ({question id: option id}) under the questionnaire's rules. With strict=True an
    unknown question or option id raises ValueError; with strict=False it is ignored like a skipped
    question (for stored responses to a questionnaire that has since been adapted)."""
    known = {q.id for d in questionnaire.dimensions for q in d.questions}
    unknown = sorted(set(answers) - known)
    if strict and unknown:
        raise ValueError(f"answers to unknown questions: {', '.join(unknown)}")
    rules = questionnaire.rules
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
        needed = needed_answers(len(dimension.questions)) if rules >= 2 else 0
        lowest = RUNGS[min(v for _, v in pairs)] if pairs else None
        results.append(
            DimensionResult(dimension.id, dim_score, len(pairs), len(dimension.questions), band, needed, lowest)
        )
        everything += pairs
    overall = weighted_score(everything)
    answered = [r for r in results if r.score is not None]
    move_up = min(answered, key=lambda r: r.score) if answered else None
    common = dict(
        questionnaire_version=questionnaire.version,
        dimensions=tuple(results),
        answered=len(everything),
        total=len(known),
        move_up=move_up,
        rules=rules,
    )
    if rules < 2:
        rung = rung_for_score(overall) if overall is not None else None
        return Result(overall_score=overall, overall_rung=rung, score_rung=rung, **common)
    if any(r.short for r in results):
        return Result(overall_score=None, overall_rung=None, **common)
    score_rung = rung_for_score(overall)
    rung, cap = cap_for({r.dimension_id: r for r in results}, score_rung)
    return Result(
        overall_score=overall,
        overall_rung=rung,
        score_rung=score_rung,
        cap=cap,
        rung_next_step=questionnaire.rung(rung).next_step or None,
        **common,
    )
