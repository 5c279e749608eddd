"""Streaming exports of an assessment's responses as CSV and JSON, in constant memory.

Rows come from one SELECT read in batches (yield_per: a server-side cursor on PostgreSQL),
with the per-dimension scores pivoted in SQL. Nothing holds more than a batch at a time.

The CSV is for people with a spreadsheet: it starts with UTF-8's byte-order mark (Excel reads the
file as UTF-8 only then) and writes codes in words (`Words`, made in the reader's language by the
view): the group's name, "On paper", the answer's own text rather than its letter. A codebook
(views_team.export_codebook) says what each column and value means. The JSON keeps the codes, for programs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

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


BOM = "\ufeff"  # UTF-8's byte-order mark: Excel reads a CSV file as UTF-8 only when it starts with one


@dataclass(frozen=True)
class Words:
    """What the CSV writes for each code, in the reader's language; a code not listed is written as it is."""

    groups: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    yes_no: tuple[str, str] = ("Yes", "No")
    languages: dict[str, str] = field(default_factory=dict)
    rungs: dict[str, str] = field(default_factory=dict)
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # question id: {option id: its text}


def columns(questionnaire: Questionnaire) -> list[str]:
    dims = [f"score_{d.id}" for d in questionnaire.dimensions]
    questions = [f"answer_{q.id}" for d in questionnaire.dimensions for q in d.questions]
    return list(FIXED) + dims + questions + ["comment"]


def response_count(assessment_id: int) -> int:
    """How many responses (rows) an export of the assessment has."""
    return db.session.execute(
        sa.select(sa.func.count()).select_from(Response).where(Response.assessment_id == assessment_id)
    ).scalar_one()


def records(assessment_id: int, questionnaire: Questionnaire, words: Words | None = None) -> Iterator[list[tuple]]:
    """Every response of the assessment, oldest first, in batches: one tuple per response with the
    values of columns() in order (None where there is none); with `words`, codes written in words."""
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
    in_words = _in_words(words, len(dims), question_ids) if words is not None else None
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
        yield [in_words(record) for record in out] if in_words else out


def _in_words(words: Words, dimensions: int, question_ids: list[str]):
    """A function writing one record's codes in words (group, source, easy read, language, rung, answers)."""
    group, source, language, rung = words.groups.get, words.sources.get, words.languages.get, words.rungs.get
    yes, no = words.yes_no
    first_answer = 10 + dimensions
    answer = [words.answers.get(qid, {}).get for qid in question_ids]

    def write(record: tuple) -> tuple:
        chosen = record[first_answer:-1]
        return (
            *record[:2],
            group(record[2], record[2]),
            source(record[3], record[3]),
            yes if record[4] else no,
            language(record[5], record[5]),
            *record[6:9],
            rung(record[9], record[9]) if record[9] else None,
            *record[10:first_answer],
            *[word(code, code) if code else None for word, code in zip(answer, chosen)],
            record[-1],
        )

    return write


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
    """The byte-order mark and a header line, then one line per record (from records()), each text cell
    neutralised.

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
    yield BOM + take()
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
    return csv_text(header, lines, bom=True)
