"""Streaming exports of an assessment's responses as CSV and JSON, in constant memory.

Rows come from one SELECT read in batches (yield_per: a server-side cursor on PostgreSQL),
with the per-dimension scores pivoted in SQL. Nothing holds more than a batch at a time.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Iterator

import sqlalchemy as sa

from core.plugins import db

from .models import Response, ResponseScore
from .questionnaire import Questionnaire

BATCH = 2000
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
FIXED = ("response", "submitted_at", "group", "source", "easy_read", "language", "overall_score", "overall_rung")


def neutralise(value):
    """A text cell a spreadsheet could run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def columns(questionnaire: Questionnaire) -> list[str]:
    dims = [f"score_{d.id}" for d in questionnaire.dimensions]
    questions = [f"answer_{q.id}" for d in questionnaire.dimensions for q in d.questions]
    return list(FIXED) + dims + questions + ["comment"]


def rows(assessment_id: int, questionnaire: Questionnaire) -> Iterator[dict]:
    """Every response of the assessment as a flat dict, oldest first, read in batches."""
    r, s = Response.__table__, ResponseScore.__table__
    dims = [d.id for d in questionnaire.dimensions]
    pivot = [sa.select(s.c.score).where(s.c.response_id == r.c.id, s.c.dimension_id == d)
             .scalar_subquery().label(f"score_{i}") for i, d in enumerate(dims)]
    stmt = (sa.select(r.c.id, r.c.created_at, r.c.group, r.c.source, r.c.easy_read, r.c.locale,
                      r.c.overall_score, r.c.overall_rung, r.c.answers, r.c.comment, *pivot)
            .where(r.c.assessment_id == assessment_id).order_by(r.c.id))
    question_ids = [q.id for d in questionnaire.dimensions for q in d.questions]
    result = db.session.execute(stmt, execution_options={"yield_per": BATCH})
    for row in result:
        answers = row.answers if isinstance(row.answers, dict) else json.loads(row.answers or "{}")
        item = {"response": row.id, "submitted_at": row.created_at.isoformat(), "group": row.group, "source": row.source,
                "easy_read": bool(row.easy_read), "language": row.locale, "overall_score": row.overall_score,
                "overall_rung": row.overall_rung}
        for i, d in enumerate(dims):
            item[f"score_{d}"] = getattr(row, f"score_{i}")
        for qid in question_ids:
            item[f"answer_{qid}"] = answers.get(qid)
        item["comment"] = row.comment
        yield item


def csv_lines(header: list[str], keys: list[str], items: Iterable[dict]) -> Iterator[str]:
    """A header line, then one line per item, each cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([neutralise(h) for h in header])
    yield take()
    for number, item in enumerate(items, 1):
        writer.writerow(["" if item[k] is None else neutralise(item[k]) for k in keys])
        if number % 500 == 0:
            yield take()
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
