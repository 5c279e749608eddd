"""The citizen's journey: start, pages, save and resume, check answers, result, closed assessments."""

import re

from coproduce.plugins import db
from coproduce_plugins.consultation_vs_coproduction.models import Draft, Response, ResponseScore, Tally
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment

Q = standard_questionnaire()


def start(client, group="resident", easy="standard"):
    response = client.post(f"{BASE}/a/abc123defg", data={"group": group, "easy_read": easy})
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[0]  # .../a/<code>/r/<token>


def test_a_citizen_answers_every_page_and_sees_their_result(app, people):
    enable(app)
    make_assessment(app)
    client = app.test_client()
    page = client.get(f"{BASE}/a/abc123defg")
    assert page.status_code == 200 and "Play areas check" in page.text
    base = start(client)
    for number, dimension in enumerate(Q.dimensions, 1):
        page = client.get(f"{base}/{number}")
        assert f"Page {number} of {len(Q.dimensions) + 1}" in page.text
        # the top answer to every question
        data = {q.id: next(o.id for o in q.options if o.rung == "co_producing") for q in dimension.questions}
        assert client.post(f"{base}/{number}", data=data).status_code == 302
    assert (
        client.post(f"{base}/{len(Q.dimensions) + 1}", data={"comment": "More youth workers please"}).status_code == 302
    )
    check = client.get(f"{base}/check")
    assert "Check your answers" in check.text and "More youth workers please" in check.text
    done = client.post(f"{base}/check")
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    result = client.get(f"{base}/result")
    assert "Co-producing" in result.text and "100" in result.text and "<svg" in result.text
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert stored.overall_rung == "co_producing" and stored.source == "web" and stored.group == "resident"
        assert db.session.query(ResponseScore).count() == len(Q.dimensions)
        assert db.session.execute(db.select(Tally.n)).scalar_one() == 1
        draft = db.session.execute(db.select(Draft)).scalar_one()
        assert draft.answers == {} and len(draft.token_hash) == 64
        assert draft.token_hash not in base  # only the hash is stored
    # sending again changes nothing
    client.post(f"{base}/check")
    with app.app_context():
        assert db.session.query(Response).count() == 1


def test_save_and_resume_keeps_answers_on_the_server(app, people):
    enable(app)
    make_assessment(app)
    client = app.test_client()
    base = start(client, easy="easy")
    first = Q.dimensions[0].questions[0]
    saved = client.post(f"{base}/1", data={first.id: first.options[0].id, "save": "y"})
    assert saved.status_code == 302 and "/saved" in saved.headers["Location"]
    link = client.get(saved.headers["Location"])
    assert "Your answers are saved" in link.text and f"{base}/1" in link.text
    other = app.test_client()  # another device, no cookies
    page = other.get(f"{base}/1")
    assert page.status_code == 200
    assert re.search(rf'value="{first.options[0].id}"\s+checked|checked[^>]*value="{first.options[0].id}"', page.text)
    assert first.easy_read in page.text  # the easy read version chosen at the start
    assert other.get(f"{BASE}/a/abc123defg/r/not-the-token/1").status_code == 404


def test_bad_answers_are_refused_beside_the_field(app, people):
    enable(app)
    make_assessment(app)
    client = app.test_client()
    bad = client.post(f"{BASE}/a/abc123defg", data={"group": "nobody", "easy_read": "standard"})
    assert bad.status_code == 200 and "Choose the group that describes you best" in bad.text
    base = start(client)
    question = Q.dimensions[0].questions[0]
    page = client.post(f"{base}/1", data={question.id: "zz"})
    assert page.status_code == 200 and "Choose one of the answers shown" in page.text
    assert "govuk-error-summary" in page.text
    with app.app_context():
        assert db.session.execute(db.select(Draft)).scalar_one().answers == {}
    long = client.post(f"{base}/{len(Q.dimensions) + 1}", data={"comment": "x" * 2001})
    assert long.status_code == 200 and "2000 characters or fewer" in long.text


def test_a_closed_assessment_refuses_answers_with_a_clear_message(app, people):
    enable(app)
    make_assessment(app, opens_in=-30, closes_in=-1)
    client = app.test_client()
    page = client.get(f"{BASE}/a/abc123defg")
    assert page.status_code == 200 and "This assessment is closed" in page.text
    sent = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    assert "This assessment is closed" in sent.text
    with app.app_context():
        assert db.session.query(Draft).count() == 0 and db.session.query(Response).count() == 0


def test_answers_in_progress_cannot_be_sent_after_closing(app, people):
    enable(app)
    assessment_id = make_assessment(app)
    client = app.test_client()
    base = start(client)
    from datetime import timedelta

    from coproduce_plugins.consultation_vs_coproduction.models import Assessment

    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.closes_on = assessment.opens_on - timedelta(days=0)
        assessment.opens_on = assessment.opens_on - timedelta(days=5)
        assessment.closes_on = assessment.opens_on + timedelta(days=1)
        db.session.commit()
    sent = client.post(f"{base}/check")
    assert sent.status_code == 200 and "This assessment is closed" in sent.text
    with app.app_context():
        assert db.session.query(Response).count() == 0


def test_every_page_in_welsh(app, people):
    enable(app)
    make_assessment(app)
    client = app.test_client()
    page = client.get(f"{BASE}/a/abc123defg?lang=cy")
    assert page.status_code == 200 and 'lang="cy"' in page.text
