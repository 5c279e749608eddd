"""With JavaScript, each step of the check is one request: the POST is answered with the next page itself."""

import re

from coproduce.plugins import db
from coproduce_plugins.consultation_vs_coproduction.models import Draft, Response
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()
FOLLOW = {"X-Coproduce-Follow": "1"}


def hidden_fields(html: str) -> dict[str, str]:
    """The form's hidden inputs (its CSRF token and one-time key), as the browser sends them back."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value:
            fields[name.group(1)] = value.group(1)
    return fields


def test_every_step_of_the_check_is_one_answer_with_the_next_page(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)  # each page's token must come from the session the last answer set
    enable(app)
    make_assessment(app)
    client = app.test_client()
    page = client.get(f"{BASE}/a/abc123defg")
    answer = client.post(
        f"{BASE}/a/abc123defg",
        data={"group": "resident", "easy_read": "standard", **hidden_fields(page.text)},
        headers=FOLLOW,
    )
    assert answer.status_code == 200, answer.text[:300]
    base = answer.headers["X-Coproduce-Location"].rsplit("/", 1)[0]
    assert answer.headers["X-Coproduce-Location"] == f"{base}/1"
    pages = len(Q.dimensions) + 1
    for number, dimension in enumerate(Q.dimensions, 1):
        assert f"Page {number} of {pages}" in answer.text
        data = {q.id: next(o.id for o in q.options if o.rung == "co_producing") for q in dimension.questions}
        answer = client.post(f"{base}/{number}", data={**data, **hidden_fields(answer.text)}, headers=FOLLOW)
        assert answer.status_code == 200, answer.text[:300]
        assert answer.headers["X-Coproduce-Location"] == f"{base}/{number + 1}"
    answer = client.post(
        f"{base}/{pages}", data={"comment": "A youth forum", **hidden_fields(answer.text)}, headers=FOLLOW
    )
    assert answer.headers["X-Coproduce-Location"] == f"{base}/check"
    assert "Check your answers" in answer.text and "A youth forum" in answer.text
    answer = client.post(f"{base}/check", data=hidden_fields(answer.text), headers=FOLLOW)
    assert answer.status_code == 200 and answer.headers["X-Coproduce-Location"] == f"{base}/result"
    assert "Co-producing" in answer.text and "<svg" in answer.text
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.overall_rung == "co_producing" and stored.comment == "A youth forum"
        assert db.session.execute(db.select(Draft)).scalar_one().response_id == stored.id


def test_a_wrong_answer_sent_by_the_script_shows_the_error_and_stays_on_the_page(make_app, people):
    app = make_app()
    enable(app)
    make_assessment(app)
    client = app.test_client()
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"}, headers=FOLLOW)
    base = started.headers["X-Coproduce-Location"].rsplit("/", 1)[0]
    question = Q.dimensions[0].questions[0]
    answer = client.post(f"{base}/1", data={question.id: "zz"}, headers=FOLLOW)
    assert "Choose one of the answers shown" in answer.text and "govuk-error-summary" in answer.text
    assert "X-Coproduce-Location" not in answer.headers  # no new address: the page is the same one
    with app.app_context():
        assert db.session.execute(db.select(Draft)).scalar_one().answers == {}
