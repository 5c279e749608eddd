"""The CSV exports as a council analyst opens them in Excel: UTF-8 with a byte-order mark, columns and values in
words (not answer letters or internal codes), the questionnaire version on every row, and a codebook beside them."""

import csv
import io

from coproduce.plugins import db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
from coproduce_plugins.consultation_vs_coproduction.models import Assessment
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()
BOM = b"\xef\xbb\xbf"


def at(rung):
    return {q.id: next(o.id for o in q.options if o.rung == rung) for d in Q.dimensions for q in d.questions}


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM), "Excel needs the byte-order mark to read UTF-8"
    assert not body[3:].startswith(BOM)
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))


def seeded(app, people):
    enable(app)
    aid = make_assessment(app)
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        answers = at("involving") | {"options-1": "b"}
        record_response(
            assessment, Q, answers, group="resident", source="paper", easy_read=True, locale="cy", comment="=1+2"
        )
        record_response(assessment, Q, at("involving"), group="staff")
        db.session.commit()
    client = app.test_client()
    sign_in(client, "owner@example.org")
    return client, aid


def test_every_response_opens_in_excel_in_words_with_the_version(app, people):
    client, aid = seeded(app, people)
    exported = client.get(f"{BASE}/assessments/{aid}/responses.csv")
    assert exported.is_streamed and exported.mimetype == "text/csv"
    rows = read(exported.get_data())
    header, first, second = rows[0], dict(zip(rows[0], rows[1])), dict(zip(rows[0], rows[2]))
    question = Q.question("options-1")
    column = f"options-1: {question.text}"
    assert column in header
    assert first[column] == question.option("b").text  # the answer in words, not the letter "b"
    assert second[column] == next(o.text for o in question.options if o.rung == "involving")
    assert first["Group"] == "Resident or service user" and second["Group"] == "Member of staff"
    assert first["Source"] == "On paper" and second["Source"] == "Online"
    assert first["Easy read"] == "Yes" and second["Easy read"] == "No"
    assert first["Language"] == "Welsh" and second["Language"] == "English"
    assert first["Overall rung"] == "Involving"
    assert first["Questionnaire version"] == second["Questionnaire version"] == Q.version
    assert first["Comment"] == "'=1+2"  # a formula stays text
    letters = {o.id for d in Q.dimensions for q in d.questions for o in q.options}
    answer_columns = [h for h in header if h.split(":")[0] in {q.id for d in Q.dimensions for q in d.questions}]
    assert len(answer_columns) == sum(len(d.questions) for d in Q.dimensions)
    assert not any(first[h] in letters for h in answer_columns)


def test_the_export_in_polish_has_polish_headings_and_answers(app, people):
    client, aid = seeded(app, people)
    rows = read(client.get(f"{BASE}/assessments/{aid}/responses.csv?lang=pl").get_data())
    assert "Wersja kwestionariusza" in rows[0]
    assert "Online" not in rows[1] and "Yes" not in rows[1]


def test_the_codebook_names_every_column_and_every_answer(app, people):
    client, aid = seeded(app, people)
    page = client.get(f"{BASE}/assessments/{aid}")
    assert f"{BASE}/assessments/{aid}/codebook.csv" in page.text
    exported_header = read(client.get(f"{BASE}/assessments/{aid}/responses.csv").get_data())[0]
    book = client.get(f"{BASE}/assessments/{aid}/codebook.csv")
    assert book.mimetype == "text/csv" and "codebook" in book.headers["Content-Disposition"]
    rows = read(book.get_data())
    assert rows[0] == ["Column", "What it holds", "Value", "What the value means"]
    assert {r[0] for r in rows[1:]} == set(exported_header)
    question = Q.question("options-1")
    column = f"options-1: {question.text}"
    described = [r for r in rows if r[0] == column]
    for option in question.options:
        line = next(r for r in described if r[2] == option.text)
        assert f"Answer {option.id}:" in line[3] and Q.rung(option.rung).label in line[3]
    assert any(r[0] == "Questionnaire version" and r[2] == Q.version for r in rows)
    assert any(r[0] == "Source" and r[2] == "On paper" for r in rows)


def test_the_summary_opens_in_excel_and_names_its_version(app, people):
    client, aid = seeded(app, people)
    rows = read(client.get(f"{BASE}/assessments/{aid}/summary.csv?min=1").get_data())
    assert "Questionnaire version" in rows[0]
    assert all(row[rows[0].index("Questionnaire version")] == Q.version for row in rows[1:])
