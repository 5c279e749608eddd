"""What each step of the check asks of the database. These pages are the ones hundreds of residents load at
once (docs/performance.md): every statement is CPU on both the worker and the database, so each is named
here, and one more is a change to explain."""

import re

import sqlalchemy as sa

from coproduce.plugins import db
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()


def _statements(app, call) -> list[str]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(re.sub(r"\s+", " ", statement))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        response = call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert response.status_code in (200, 302), response.status_code
    return seen


def _kinds(statements: list[str]) -> list[str]:
    kinds = []
    for statement in statements:
        table = re.search(r"(?:FROM|INTO|UPDATE) \"?(\w+)", statement)
        kinds.append(f"{statement.split()[0]} {table.group(1) if table else ''}".strip())
    return kinds


def test_a_question_page_reads_the_team_the_assessment_with_its_version_and_the_draft_once_each(make_app, people):
    app = make_app()
    enable(app)
    make_assessment(app)
    client = app.test_client()
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    page = started.headers["Location"]
    client.get(page)  # the wording of a locked version is read once, then kept

    kinds = _kinds(_statements(app, lambda: client.get(page)))
    assert kinds == [
        "SELECT team",
        "SELECT consultation_vs_coproduction_assessment",
        "SELECT consultation_vs_coproduction_draft",
    ], kinds


def test_saving_a_page_adds_one_update_of_the_draft(make_app, people):
    app = make_app()
    enable(app)
    make_assessment(app)
    client = app.test_client()
    page = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"}).headers["Location"]
    client.get(page)
    answers = {q.id: q.options[0].id for q in Q.dimensions[0].questions}

    kinds = _kinds(_statements(app, lambda: client.post(page, data=answers)))
    assert kinds == [
        "SELECT team",
        "SELECT consultation_vs_coproduction_assessment",
        "SELECT consultation_vs_coproduction_draft",
        "UPDATE consultation_vs_coproduction_draft",
    ], kinds
