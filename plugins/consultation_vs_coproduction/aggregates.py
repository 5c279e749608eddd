"""Storing responses and reading the dashboard's figures, all aggregation in SQL.

Each submission adds one Response, its ResponseScore rows and adds itself to two tally tables
(per assessment, UK day, group: counts and score sums) with an upsert. The dashboard then runs
GROUP BY queries on the tallies, which hold a few rows per day and group however many
responses there are. rebuild_tallies() recomputes them from the responses with INSERT ... SELECT
... GROUP BY (after bulk loads).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

import sqlalchemy as sa

from coproduce.plugins import db, utcnow

from .campaigns import RESIDENT, STAFF, uk_day
from .models import Assessment, DimensionTally, Response, ResponseScore, Tally
from .questionnaire import RUNGS, Questionnaire
from .scoring import Result, round_half_up, score


@functools.cache
def _upsert_statement(dialect: str, model, keys: tuple[str, ...], adds: tuple[str, ...]):
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET add = add + excluded.add, built once: making the
    statement (its `excluded` alias above all) cost more than running it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(index_elements=list(keys), set_={k: table.c[k] + stmt.excluded[k] for k in adds})


def _upsert(model, rows: list[dict], adds: tuple[str, ...] = ("n", "score_sum")) -> None:
    """Add each row's `adds` to its tally row (same keys), creating the row if there is none."""
    if not rows:
        return
    keys = tuple(k for k in rows[0] if k not in adds)
    dialect = db.session.get_bind().dialect.name
    db.session.execute(_upsert_statement(dialect, model, keys, adds), rows)


def record_response(
    assessment: Assessment,
    questionnaire: Questionnaire,
    answers: dict,
    *,
    group: str,
    source: str = "web",
    easy_read: bool = False,
    locale: str = "en",
    comment: str = "",
    created_at: datetime | None = None,
) -> tuple[Response, Result]:
    """Score and store one response, and add it to the tallies (the caller commits)."""
    result = score(questionnaire, answers, strict=True)
    created_at = created_at or utcnow()
    day = uk_day(created_at)
    response = Response(
        assessment_id=assessment.id,
        version_id=assessment.version_id,
        group=group,
        source=source,
        easy_read=easy_read,
        locale=locale,
        created_at=created_at,
        day=day,
        overall_score=result.overall_score,
        overall_rung=result.overall_rung,
        rules=result.rules,
        answers={k: v for k, v in answers.items() if v},
        comment=comment or "",
        scores=[
            ResponseScore(dimension_id=d.dimension_id, score=d.score) for d in result.dimensions if d.score is not None
        ],
    )
    db.session.add(response)
    db.session.flush()
    _upsert(
        Tally,
        [
            {
                "assessment_id": assessment.id,
                "day": day,
                "group": group,
                "source": source,
                "rung": result.overall_rung or "",
                "n": 1,
                "score_sum": result.overall_score or 0,
            }
        ],
    )
    _upsert(
        DimensionTally,
        [
            {
                "assessment_id": assessment.id,
                "day": day,
                "group": group,
                "dimension_id": d.dimension_id,
                "n": 1,
                "score_sum": d.score,
            }
            for d in result.dimensions
            if d.score is not None and result.placed  # a response that cannot be placed adds to no figure
        ],
    )
    return response, result


def rebuild_tallies(assessment_id: int) -> None:
    """Recompute an assessment's tallies from its responses, in two INSERT ... SELECT statements."""
    r, s = Response.__table__, ResponseScore.__table__
    db.session.execute(sa.delete(Tally.__table__).where(Tally.assessment_id == assessment_id))
    db.session.execute(sa.delete(DimensionTally.__table__).where(DimensionTally.assessment_id == assessment_id))
    rung = sa.func.coalesce(r.c.overall_rung, "")
    db.session.execute(
        sa.insert(Tally.__table__).from_select(
            ["assessment_id", "day", "group", "source", "rung", "n", "score_sum"],
            sa.select(
                r.c.assessment_id,
                r.c.day,
                r.c.group,
                r.c.source,
                rung,
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(r.c.overall_score), 0),
            )
            .where(r.c.assessment_id == assessment_id)
            .group_by(r.c.assessment_id, r.c.day, r.c.group, r.c.source, rung),
        )
    )
    db.session.execute(
        sa.insert(DimensionTally.__table__).from_select(
            ["assessment_id", "day", "group", "dimension_id", "n", "score_sum"],
            sa.select(r.c.assessment_id, r.c.day, r.c.group, s.c.dimension_id, sa.func.count(), sa.func.sum(s.c.score))
            .select_from(r.join(s, s.c.response_id == r.c.id))
            .where(r.c.assessment_id == assessment_id, r.c.overall_rung.is_not(None))
            .group_by(r.c.assessment_id, r.c.day, r.c.group, s.c.dimension_id),
        )
    )


# -- the dashboard ------------------------------------------------------------------


def mean(total: int, n: int) -> int | None:
    """A mean of whole-number scores, rounded half up (as scoring does)."""
    return round_half_up(Fraction(total, n)) if n else None


@dataclass
class GroupFigures:
    id: str
    responses: int
    hidden: bool  # fewer responses than the privacy threshold: no breakdown shown
    overall: int | None = None
    dimensions: dict[str, int | None] = field(default_factory=dict)
    rungs: dict[str, int] = field(default_factory=dict)


@dataclass
class Figures:
    min_group: int
    total: int
    hidden: bool  # the whole filtered set is below the threshold
    by_day: list[tuple[date, int]]
    by_source: dict[str, int]
    rungs: dict[str, int]  # overall ladder distribution (responses with at least one answer)
    overall: int | None
    dimensions: dict[str, int | None]  # mean score per dimension, everyone in the filter
    groups: list[GroupFigures]
    gap: dict[str, int | None]  # staff mean minus resident mean, per dimension
    gap_overall: int | None
    gap_hidden_reason: str | None  # "staff", "resident", "both" or None when shown
    unplaced: int = 0  # responses with too few answers to place: left out of every other figure

    def group(self, group_id: str) -> GroupFigures | None:
        return next((g for g in self.groups if g.id == group_id), None)

    @property
    def biggest_gap(self) -> tuple[str, int] | None:
        gaps = [(d, v) for d, v in self.gap.items() if v is not None]
        return max(gaps, key=lambda item: abs(item[1])) if gaps else None


def _filters(model, assessment_id: int, group: str | None, start: date | None, end: date | None) -> list:
    where = [model.assessment_id == assessment_id]
    if group:
        where.append(model.group == group)
    if start:
        where.append(model.day >= start)
    if end:
        where.append(model.day <= end)
    return where


def figures(
    assessment: Assessment,
    questionnaire: Questionnaire,
    *,
    min_group: int = 5,
    group: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Figures:
    """Every figure the dashboard shows, from GROUP BY queries on the tallies."""
    t, dt = Tally, DimensionTally
    every = _filters(t, assessment.id, group, start, end)
    tw = every + [t.rung != ""]  # only responses placed on the ladder count
    dw = _filters(dt, assessment.id, group, start, end)
    run = db.session.execute
    unplaced = run(sa.select(sa.func.coalesce(sa.func.sum(t.n), 0)).where(*every, t.rung == "")).scalar_one()
    by_day = [(day, n) for day, n in run(sa.select(t.day, sa.func.sum(t.n)).where(*tw).group_by(t.day).order_by(t.day))]
    by_source = {source: n for source, n in run(sa.select(t.source, sa.func.sum(t.n)).where(*tw).group_by(t.source))}
    cells = run(
        sa.select(t.group, t.rung, sa.func.sum(t.n), sa.func.sum(t.score_sum)).where(*tw).group_by(t.group, t.rung)
    ).all()
    dim_cells = run(
        sa.select(dt.group, dt.dimension_id, sa.func.sum(dt.n), sa.func.sum(dt.score_sum))
        .where(*dw)
        .group_by(dt.group, dt.dimension_id)
    ).all()

    dimension_ids = [d.id for d in questionnaire.dimensions]
    group_ids = [g["id"] for g in assessment.groups]
    group_ids += sorted({c[0] for c in cells} - set(group_ids))  # groups since removed keep their figures
    per_group: dict[str, GroupFigures] = {}
    for gid in group_ids:
        rows = [c for c in cells if c[0] == gid]
        n = sum(c[2] for c in rows)
        answered = [c for c in rows if c[1]]
        fig = GroupFigures(gid, n, hidden=n < min_group)
        if not fig.hidden:
            fig.rungs = {r: sum(c[2] for c in answered if c[1] == r) for r in RUNGS}
            fig.overall = mean(sum(c[3] for c in answered), sum(c[2] for c in answered))
            fig.dimensions = {
                d: mean(
                    sum(c[3] for c in dim_cells if c[0] == gid and c[1] == d),
                    sum(c[2] for c in dim_cells if c[0] == gid and c[1] == d),
                )
                for d in dimension_ids
            }
        per_group[gid] = fig
    if group:
        per_group = {gid: fig for gid, fig in per_group.items() if gid == group}

    total = sum(c[2] for c in cells)
    hidden = total < min_group
    answered = [c for c in cells if c[1]]
    rungs = {} if hidden else {r: sum(c[2] for c in answered if c[1] == r) for r in RUNGS}
    overall = None if hidden else mean(sum(c[3] for c in answered), sum(c[2] for c in answered))
    dimensions = (
        {}
        if hidden
        else {
            d: mean(sum(c[3] for c in dim_cells if c[1] == d), sum(c[2] for c in dim_cells if c[1] == d))
            for d in dimension_ids
        }
    )

    staff, residents = per_group.get(STAFF), per_group.get(RESIDENT)
    gap: dict[str, int | None] = {}
    gap_overall, reason = None, None
    if staff is None or residents is None:
        reason = "filtered" if group else "missing"
    elif staff.hidden or residents.hidden:
        reason = "both" if staff.hidden and residents.hidden else ("staff" if staff.hidden else "resident")
    else:
        for d in dimension_ids:
            a, b = staff.dimensions.get(d), residents.dimensions.get(d)
            gap[d] = a - b if a is not None and b is not None else None
        if staff.overall is not None and residents.overall is not None:
            gap_overall = staff.overall - residents.overall
    return Figures(
        min_group,
        total,
        hidden,
        by_day,
        by_source,
        rungs,
        overall,
        dimensions,
        list(per_group.values()),
        gap,
        gap_overall,
        reason,
        unplaced,
    )


def comments(
    assessment: Assessment,
    shown_groups: set[str],
    *,
    group: str | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 25,
) -> list[tuple[str, str, date]]:
    """The latest free-text comments (group, text, day) from groups large enough to be shown."""
    r = Response
    where = _filters(r, assessment.id, group, start, end) + [r.comment != "", r.group.in_(shown_groups)]
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(r.group, r.comment, r.day).where(*where).order_by(r.created_at.desc(), r.id.desc()).limit(limit)
        )
    ]
