"""A project's latest readiness result on its page, through the project_panels hook only.

The project is made through the project pack's own pages (this plugin never imports it). The link:
an assessment whose initiative is named as the project is."""

import re

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.consultation_vs_coproduction.aggregates import record_response
from coproduce_plugins.consultation_vs_coproduction.models import Assessment
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import enable, make_assessment

Q = standard_questionnaire()


def at(rung):
    return {q.id: next(o.id for o in q.options if o.rung == rung) for d in Q.dimensions for q in d.questions}


@pytest.mark.hook("project_panels")
def test_the_project_page_shows_the_latest_readiness_result(app, people):
    enable(app)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    aid = make_assessment(app)  # initiative "Play areas review"
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        for group, rung, n in (("staff", "co_designing", 5), ("resident", "involving", 6), ("partner", "informing", 2)):
            for _ in range(n):
                record_response(assessment, Q, at(rung), group=group)
        db.session.commit()
    client = app.test_client()
    sign_in(client, "member@example.org")
    made = client.post(
        "/t/youth/projects/new",
        data={"title": "play areas review", "summary": "Play areas", "status": "active", "criteria": ""},
    )
    assert made.status_code == 302
    pid = int(re.search(r"/projects/(\d+)", made.headers["Location"]).group(1))
    public = app.test_client().get(f"/t/youth/projects/{pid}").get_data(as_text=True)
    assert "Most people placed the work at: Involving" in public
    assert "Where 11 responses put the work on the ladder" in public  # the 2 partners are a hidden group
    assert "See the assessment" not in public  # the link to the dashboard is for the team's view
    team = client.get(f"/t/youth/projects/{pid}/manage").get_data(as_text=True)
    assert "See the assessment&#39;s dashboard" in team or "See the assessment's dashboard" in team


@pytest.mark.hook("project_panels")
def test_no_panel_without_a_linked_assessment_with_figures(app, people):
    enable(app)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    aid = make_assessment(app)
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        for _ in range(3):  # too few to show
            record_response(assessment, Q, at("involving"), group="staff")
        db.session.commit()
    client = app.test_client()
    sign_in(client, "member@example.org")
    made = client.post(
        "/t/youth/projects/new",
        data={"title": "Play areas review", "summary": "Play areas", "status": "active", "criteria": ""},
    )
    pid = int(re.search(r"/projects/(\d+)", made.headers["Location"]).group(1))
    assert "Most people placed the work at" not in app.test_client().get(f"/t/youth/projects/{pid}").get_data(
        as_text=True
    )
