"""The database after the run: every accepted submission stored exactly once, and no partial row.

A submission (views.check -> aggregates.record_response) writes, in one transaction: a Response
(its answers, overall score and rung), one ResponseScore per dimension with an answer, its place in
the Tally and DimensionTally counters, and the Draft's link to the Response (the draft's answers
then emptied). "Partial" means any of these without the others:

- a Response whose ResponseScore rows, overall score or rung differ from scoring its own answers,
  or which lacks a score for a dimension (the load's citizens answer every question);
- a ResponseScore row whose Response is missing;
- a Response of the run that no Draft links to (stored, but its citizen was never told), or that two
  Drafts link to;
- a Draft linked to a Response that still holds answers or a comment (half of the hand-over);
- tallies whose counts and sums differ from the Responses and ResponseScores they count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from coproduce_plugins.consultation_vs_coproduction.campaigns import hash_token
from coproduce_plugins.consultation_vs_coproduction.models import (
    DimensionTally,
    Draft,
    Response,
    ResponseScore,
    Tally,
    Version,
)
from coproduce_plugins.consultation_vs_coproduction.questionnaire import questionnaire_from_dict
from coproduce_plugins.consultation_vs_coproduction.scoring import score

from .site import Target

D, R, S, T, DT = (m.__table__ for m in (Draft, Response, ResponseScore, Tally, DimensionTally))


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def _some(items, limit: int = 5) -> str:
    items = sorted(items)
    return ", ".join(map(str, items[:limit])) + (" ..." if len(items) > limit else "")


def run_checks(database_url: str, target: Target, accepted: list[str]) -> list[Check]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return _checks(conn, target, accepted)
    finally:
        engine.dispose()


def _checks(conn, target: Target, accepted: list[str]) -> list[Check]:
    aid, baseline = target.assessment_id, target.baseline_response_id
    drafts = conn.execute(
        sa.select(D.c.token_hash, D.c.response_id, D.c.answers, D.c.comment).where(D.c.assessment_id == aid)
    ).all()
    responses = {
        row.id: row
        for row in conn.execute(
            sa.select(R.c.id, R.c.version_id, R.c.answers, R.c.overall_score, R.c.overall_rung).where(
                R.c.assessment_id == aid, R.c.id > baseline
            )
        )
    }
    scores: dict[int, dict[str, int]] = {}
    for response_id, dimension_id, value in conn.execute(
        sa.select(S.c.response_id, S.c.dimension_id, S.c.score)
        .join(R, R.c.id == S.c.response_id)
        .where(R.c.assessment_id == aid, R.c.id > baseline)
    ):
        scores.setdefault(response_id, {})[dimension_id] = value
    versions = {
        row.id: questionnaire_from_dict(row.data)
        for row in conn.execute(
            sa.select(Version.__table__.c.id, Version.__table__.c.data).where(
                Version.__table__.c.id.in_({r.version_id for r in responses.values()})
            )
        )
    }
    orphan_scores = conn.execute(
        sa.select(sa.func.count()).select_from(S.outerjoin(R, R.c.id == S.c.response_id)).where(R.c.id.is_(None))
    ).scalar()

    checks = [_accepted_once(drafts, responses, accepted), _linked_once(drafts, responses)]
    bad = [rid for rid, row in responses.items() if not _complete(row, scores.get(rid, {}), versions[row.version_id])]
    checks.append(
        Check(
            "no partial response",
            not bad,
            f"{len(responses)} responses of the run match their own answers and have every score"
            if not bad
            else f"{len(bad)} responses with missing or wrong scores: {_some(bad)}",
        )
    )
    half = [h[:8] for h, rid, answers, comment in drafts if rid is not None and (answers or comment)]
    checks.append(
        Check(
            "no half-submitted draft",
            not half,
            "every submitted draft handed its answers over"
            if not half
            else f"{len(half)} submitted drafts still hold answers: {_some(half)}",
        )
    )
    checks.append(
        Check("no score without its response", orphan_scores == 0, f"{orphan_scores} score rows without a response")
    )
    checks.append(_tallies(conn, aid))
    return checks


def _accepted_once(drafts, responses, accepted: list[str]) -> Check:
    by_hash = {h: rid for h, rid, _a, _c in drafts}
    missing = [t[:8] for t in accepted if by_hash.get(hash_token(t)) not in responses]
    repeated = [t[:8] for t, n in Counter(accepted).items() if n > 1]
    passed = not missing and not repeated and bool(accepted)
    if passed:
        detail = f"all {len(accepted)} accepted submissions are stored"
    elif not accepted:
        detail = "the server accepted no submission"
    else:
        detail = (
            f"{len(missing)} of {len(accepted)} accepted submissions not stored: {_some(missing)}; "
            f"{len(repeated)} links given twice: {_some(repeated)}"
        )
    return Check("every accepted submission stored", passed, detail)


def _linked_once(drafts, responses) -> Check:
    links = Counter(rid for _h, rid, _a, _c in drafts if rid is not None)
    unlinked = [rid for rid in responses if links[rid] == 0]
    shared = [rid for rid in responses if links[rid] > 1]
    passed = not unlinked and not shared
    detail = (
        f"each of the {len(responses)} responses stored during the run belongs to one submission"
        if passed
        else f"{len(unlinked)} responses no submission links to (stored twice or lost): {_some(unlinked)}; "
        f"{len(shared)} linked from several submissions: {_some(shared)}"
    )
    return Check("each response stored exactly once", passed, detail)


def _complete(row, stored: dict[str, int], questionnaire) -> bool:
    result = score(questionnaire, row.answers or {}, strict=False)
    expected = {d.dimension_id: d.score for d in result.dimensions if d.score is not None}
    return (
        stored == expected
        and len(expected) == len(questionnaire.dimensions)
        and (row.overall_score, row.overall_rung) == (result.overall_score, result.overall_rung)
    )


def _tallies(conn, aid: int) -> Check:
    rung = sa.func.coalesce(R.c.overall_rung, "")
    counted = {
        tuple(r[:-2]): tuple(r[-2:])
        for r in conn.execute(
            sa.select(
                R.c.day,
                R.c.group,
                R.c.source,
                rung,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(R.c.overall_score), 0),
            )
            .where(R.c.assessment_id == aid)
            .group_by(R.c.day, R.c.group, R.c.source, rung)
        )
    }
    tallied = {
        tuple(r[:-2]): tuple(r[-2:])
        for r in conn.execute(
            sa.select(T.c.day, T.c.group, T.c.source, T.c.rung, T.c.n, T.c.score_sum).where(T.c.assessment_id == aid)
        )
    }
    dim_counted = {
        tuple(r[:-2]): tuple(r[-2:])
        for r in conn.execute(
            sa.select(R.c.day, R.c.group, S.c.dimension_id, sa.func.count(), sa.func.sum(S.c.score))
            .select_from(R.join(S, S.c.response_id == R.c.id))
            # a response with too few answers to be placed adds to no dimension figure (docs/rules.md)
            .where(R.c.assessment_id == aid, R.c.overall_rung.is_not(None))
            .group_by(R.c.day, R.c.group, S.c.dimension_id)
        )
    }
    dim_tallied = {
        tuple(r[:-2]): tuple(r[-2:])
        for r in conn.execute(
            sa.select(DT.c.day, DT.c.group, DT.c.dimension_id, DT.c.n, DT.c.score_sum).where(DT.c.assessment_id == aid)
        )
    }
    wrong = sorted(k for k in counted.keys() | tallied.keys() if counted.get(k) != tallied.get(k))
    dim_wrong = sorted(k for k in dim_counted.keys() | dim_tallied.keys() if dim_counted.get(k) != dim_tallied.get(k))
    total = sum(n for n, _s in counted.values())
    passed = not wrong and not dim_wrong
    detail = (
        f"tallies count the {total} responses of the assessment exactly"
        if passed
        else f"{len(wrong)} tally cells and {len(dim_wrong)} dimension tally cells differ from the responses: "
        f"{_some(map(str, wrong + dim_wrong), 3)}"
    )
    return Check("tallies agree with the responses", passed, detail)
