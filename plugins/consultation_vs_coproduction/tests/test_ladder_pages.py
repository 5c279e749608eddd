"""What people see of the earned ladder: the result page, the dashboard's tallies, the exports' versions."""

import csv
import io
import json

from coproduce.plugins import db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.consultation_vs_coproduction.aggregates import figures, record_response
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Response, Version
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.versions import questionnaire_of

Q = standard_questionnaire()


def at(rung, **overrides):
    return {
        q.id: next(o.id for o in q.options if o.rung == overrides.get(d.id, rung))
        for d in Q.dimensions
        for q in d.questions
    }


def answer(client, answers):
    """Go through the public journey with `answers`; return the result page."""
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    base = started.headers["Location"].rsplit("/", 1)[0]
    for number, dimension in enumerate(Q.dimensions, 1):
        data = {q.id: answers[q.id] for q in dimension.questions if q.id in answers}
        assert client.post(f"{base}/{number}", data=data).status_code == 302
    client.post(f"{base}/{len(Q.dimensions) + 1}", data={"comment": ""})
    assert client.post(f"{base}/check").status_code == 302
    return client.get(f"{base}/result")


def test_one_answer_is_not_placed_and_is_left_out_of_the_tallies(app, people):
    enable(app)
    aid = make_assessment(app)
    page = answer(app.test_client(), {"options-1": "b"})
    assert page.status_code == 200
    assert "Not enough answers to place this" in page.text
    assert "Co-producing" not in page.text.split("Not enough answers")[1].split("Score for each part")[0]
    assert "Open options: 1 of 4 answered, 2 needed" in page.text
    assert "Sharing power and decisions: 0 of 4 answered, 2 needed" in page.text
    assert "Overall score" not in page.text
    with app.app_context():
        stored = db.session.execute(db.select(Response)).scalar_one()
        assert (stored.overall_rung, stored.overall_score, stored.rules) == (None, None, 2)
        figs = figures(db.session.get(Assessment, aid), Q, min_group=1)
        assert figs.total == 0 and figs.unplaced == 1 and figs.rungs == {r: 0 for r in figs.rungs}
        assert not any(figs.dimensions.values()) and not any(figs.rungs.values())


def test_power_kept_by_staff_is_not_co_producing_and_the_page_says_why(app, people):
    enable(app)
    make_assessment(app)
    page = answer(app.test_client(), at("co_producing", power="co_designing"))
    text = page.text
    assert "From your answers, this work is at: <strong>Co-designing</strong>" in text
    assert "What holds it at this rung" in text
    assert "points to Co-producing, but the part “Sharing power and decisions” holds the work at Co-designing" in text
    assert "What would move it up" in text and "nobody outside it will overrule them" in text


def test_the_top_rung_says_how_to_stay_there(app, people):
    enable(app)
    make_assessment(app)
    text = answer(app.test_client(), at("co_producing")).text
    assert "How to stay at the top rung" in text and "What would move it up" not in text
    assert "To stay here, check at each new stage" in text


def test_informing_answers_are_not_told_about_consultation(app, people):
    enable(app)
    make_assessment(app)
    text = answer(app.test_client(), at("informing")).text
    assert "From your answers, this work is at: <strong>Informing</strong>" in text
    assert "Asking people to choose between them is consultation" not in text
    assert "The plan was settled before anyone outside the council saw it" in text


def test_exports_name_the_version_and_rules_of_each_response(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    client.get(f"{BASE}/questionnaires")
    with app.app_context():
        standard_id = db.session.query(Version).one().id
    assert client.post(f"{BASE}/questionnaires/{standard_id}/copy", data={"name": "Our words"}).status_code == 302
    with app.app_context():
        copy = db.session.query(Version).filter_by(name="Our words").one()
        copy_id, team_id = copy.id, copy.team_id
        assert questionnaire_of(copy).version == f"team-{team_id}-{copy_id}"
    aid = make_assessment(app, version_id=copy_id, code="adapted123")
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        record_response(assessment, questionnaire_of(assessment.version), at("involving"), group="staff")
        db.session.commit()
    data = json.loads(client.get(f"{BASE}/assessments/{aid}/responses.json").data)
    assert data["assessment"]["questionnaire_version"] == f"team-{team_id}-{copy_id}"
    assert data["assessment"]["rules"] == 2
    assert data["responses"][0]["questionnaire_version"] == f"team-{team_id}-{copy_id}"
    assert data["responses"][0]["rules"] == 2
    rows = list(csv.reader(io.StringIO(client.get(f"{BASE}/assessments/{aid}/responses.csv").get_data(as_text=True))))
    assert rows[1][rows[0].index("Questionnaire version")] == f"team-{team_id}-{copy_id}"
    assert rows[1][rows[0].index("Scoring rules")] == "2"


def test_residents_are_asked_what_they_saw_and_staff_keep_their_wording(app, people):
    enable(app)
    make_assessment(app)
    question = Q.question("power-1")
    assert question.resident_text and question.resident_text != question.text
    for group, shown, not_shown in (
        ("resident", question.resident_text, question.text),
        ("partner", question.resident_text, question.text),
        ("staff", question.text, question.resident_text),
    ):
        client = app.test_client()
        started = client.post(f"{BASE}/a/abc123defg", data={"group": group, "easy_read": "standard"})
        base = started.headers["Location"].rsplit("/", 1)[0]
        page = client.get(f"{base}/2").text  # the power page
        assert shown in page and not_shown not in page
        # the same answers either way, so both sides' scores compare
        assert all(option.text in page for option in question.options)


def test_the_check_page_warns_before_sending_too_few_answers(app, people):
    enable(app)
    make_assessment(app)
    client = app.test_client()
    started = client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    base = started.headers["Location"].rsplit("/", 1)[0]
    client.post(f"{base}/1", data={"options-1": "b"})
    page = client.get(f"{base}/check").text
    assert "cannot be placed on the ladder" in page
    assert "Open options</a>: 1 of 4 answered, 2 needed" in page
    assert f"{base}/2?back=check" in page  # a link straight to the part that needs answers
