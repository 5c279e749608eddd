"""Storing responses and reading the dashboard's figures, all aggregation in SQL.

Each submission adds one Response, its ResponseScore rows and adds itself to two tally tables
(per assessment, UK day, group: counts and score sums) with an upsert. The dashboard then runs
GROUP BY queries on the tallies, which hold a few rows per day and group however many
responses there are. rebuild_tallies() recomputes them from the responses with INSERT ... SELECT
... GROUP BY (after bulk loads).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from fractions import Fraction

import sqlalchemy as sa

from coproduce.plugins import db, utcnow

from .campaigns import uk_day
from .models import Assessment, DimensionTally, Response, ResponseScore, Tally
from .questionnaire import Questionnaire
from .scoring import Result, round_half_up, score
from .suppression import DimRow, Figures, GroupFigures, Row, figures as suppressed_figures, make_plan  # noqa: F401 (Figures, GroupFigures: re-exported)


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


def tally_rows(assessment_id: int) -> tuple[list[Row], list[DimRow]]:
    """The assessment's placed tally rows, summed per day, group, source and rung (a few per day)."""
    t, dt = Tally, DimensionTally
    run = db.session.execute
    rows = [
        Row(day, group, source, rung, int(n), int(s))
        for day, group, source, rung, n, s in run(
            sa.select(t.day, t.group, t.source, t.rung, sa.func.sum(t.n), sa.func.sum(t.score_sum))
            .where(t.assessment_id == assessment_id, t.rung != "")
            .group_by(t.day, t.group, t.source, t.rung)
        )
    ]
    dim_rows = [
        DimRow(day, group, d, int(n), int(s))
        for day, group, d, n, s in run(
            sa.select(dt.day, dt.group, dt.dimension_id, sa.func.sum(dt.n), sa.func.sum(dt.score_sum))
            .where(dt.assessment_id == assessment_id)
            .group_by(dt.day, dt.group, dt.dimension_id)
        )
    ]
    return rows, dim_rows


def figures(
    assessment: Assessment,
    questionnaire: Questionnaire,
    *,
    min_group: int = 5,
    group: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Figures:
    """Every figure the dashboard and its summary download show, small groups kept hidden (suppression.py)."""
    rows, dim_rows = tally_rows(assessment.id)
    group_order = [g["id"] for g in assessment.groups]
    plan = make_plan(rows, group_order, min_group)
    figs = suppressed_figures(
        rows,
        dim_rows,
        plan,
        group_order,
        [d.id for d in questionnaire.dimensions],
        group=group,
        start=start,
        end=end,
    )
    if group is None:  # by group it could be set against the shown groups' counts
        t = Tally
        where = [t.assessment_id == assessment.id, t.rung == ""]
        if figs.window:
            where += [t.day >= figs.window[0], t.day <= figs.window[1]]
        elif start or end:
            where.append(sa.false())
        figs.unplaced = db.session.execute(sa.select(sa.func.coalesce(sa.func.sum(t.n), 0)).where(*where)).scalar_one()
    return figs


def _filters(model, assessment_id: int, group: str | None, start: date | None, end: date | None) -> list:
    where = [model.assessment_id == assessment_id]
    if group:
        where.append(model.group == group)
    if start:
        where.append(model.day >= start)
    if end:
        where.append(model.day <= end)
    return where


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
