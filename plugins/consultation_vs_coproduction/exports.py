"""Streaming exports of an assessment's responses as CSV and JSON, in constant memory.

Rows come from one SELECT read in batches (yield_per: a server-side cursor on PostgreSQL),
with the per-dimension scores pivoted in SQL. Nothing holds more than a batch at a time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from coproduce.plugins import csv_cell, csv_text, db

from .models import Response, ResponseScore
from .questionnaire import Questionnaire

BATCH = 2000
FIXED = (
    "response",
    "submitted_at",
    "group",
    "source",
    "easy_read",
    "language",
    "questionnaire_version",  # the exact version answered: an adapted copy's own name, not the standard's
    "rules",  # the scoring rules the overall score and rung were given under
    "overall_score",
    "overall_rung",
)


def columns(questionnaire: Questionnaire) -> list[str]:
    dims = [f"score_{d.id}" for d in questionnaire.dimensions]
    questions = [f"answer_{q.id}" for d in questionnaire.dimensions for q in d.questions]
    return list(FIXED) + dims + questions + ["comment"]


def response_count(assessment_id: int) -> int:
    """How many responses (rows) an export of the assessment has."""
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Response).where(Response.assessment_id == assessment_id)
    ).scalar_one()


def records(assessment_id: int, questionnaire: Questionnaire) -> Iterator[list[tuple]]:
    """Every response of the assessment, oldest first, in batches: one tuple per response with the
    values of columns() in order (None where there is none)."""
    r, s = Response.__table__, ResponseScore.__table__
    dims = [d.id for d in questionnaire.dimensions]
    pivot = [
        sa.select(s.c.score)
        .where(s.c.response_id == r.c.id, s.c.dimension_id == d)
        .scalar_subquery()
        .label(f"score_{i}")
        for i, d in enumerate(dims)
    ]
    stmt = (
        sa.select(
            r.c.id,
            r.c.created_at,
            r.c.group,
            r.c.source,
            r.c.easy_read,
            r.c.locale,
            r.c.rules,
            r.c.overall_score,
            r.c.overall_rung,
            r.c.answers,
            r.c.comment,
            *pivot,
        )
        .where(r.c.assessment_id == assessment_id)
        .order_by(r.c.id)
    )
    question_ids = [q.id for d in questionnaire.dimensions for q in d.questions]
    version = questionnaire.version  # every response of an assessment answered its one version
    result = db.session.execute(stmt, execution_options={"yield_per": BATCH})
    for batch in result.partitions():
        out = []
        for row in batch:
            rid, created, group, source, easy_read, locale, rules, score, rung, answers, comment = row[:11]
            if not isinstance(answers, dict):
                answers = json.loads(answers or "{}")
            get = answers.get
            out.append(
                (
                    rid,
                    created.isoformat(),
                    group,
                    source,
                    bool(easy_read),
                    locale,
                    version,
                    rules,
                    score,
                    rung,
                    *row[11:],
                    *[get(qid) for qid in question_ids],
                    comment,
                )
            )
        yield out


def rows(assessment_id: int, questionnaire: Questionnaire) -> Iterator[dict]:
    """Every response of the assessment as a flat dict keyed by columns(), oldest first, read in batches."""
    keys = columns(questionnaire)
    for batch in records(assessment_id, questionnaire):
        for record in batch:
            yield dict(zip(keys, record))


class _Neutralised(dict):
    """csv_cell() remembered for the few distinct values of a column (groups, languages, answers)."""

    LIMIT = 10_000

    def __missing__(self, value):
        safe = csv_cell(value)
        if len(self) < self.LIMIT:
            self[value] = safe
        return safe


def csv_lines(header: list[str], batches: Iterable[list[tuple]]) -> Iterator[str]:
    """A header line, then one line per record (from records()), each text cell neutralised.

    The first two cells, the response number and the timestamp, start with a digit and are written
    as they are. None is written as an empty cell (csv.writer does that).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([csv_cell(h) for h in header])
    yield take()
    known = _Neutralised()
    for batch in batches:
        writer.writerows(
            [
                (
                    record[0],
                    record[1],
                    *[known[v] if isinstance(v, str) else v for v in record[2:-1]],
                    csv_cell(record[-1]),
                )
                for record in batch
            ]
        )
        yield take()


def json_chunks(meta: dict, items: Iterable[dict]) -> Iterator[str]:
    """{"assessment": ..., "responses": [...]} written piece by piece."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + (", " if meta else "") + '"responses": ['
    parts = []
    for number, item in enumerate(items):
        parts.append(("," if number else "") + "\n" + json.dumps(item, ensure_ascii=False))
        if len(parts) >= 500:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "\n]}\n"


def summary_csv(header: list[str], lines: list[list]) -> str:
    """A small table of already-suppressed figures (views_team.export_summary); text cells neutralised."""
    return csv_text(header, lines)
