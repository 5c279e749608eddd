"""The team's side: creating assessments, dashboard figures, suppression, exports, paper entry, versions."""

import csv
import io
import json

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.consultation_vs_coproduction.aggregates import figures, rebuild_tallies, record_response
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, DimensionTally, Response, Tally, Version
from coproduce_plugins.consultation_vs_coproduction.questionnaire import standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.versions import questionnaire_of

Q = standard_questionnaire()


def all_at(rung):
    return {q.id: next(o.id for o in q.options if o.rung == rung) for d in Q.dimensions for q in d.questions}


def add(app, assessment_id, group, rung, n=1, comment=""):
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        for _ in range(n):
            record_response(assessment, Q, all_at(rung), group=group, comment=comment)
        db.session.commit()


def test_dashboard_figures_match_hand_computed_ones(app, people):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "co_producing", 5)  # 100 each
    add(app, aid, "staff", "involving", 1)  # 50
    add(app, aid, "resident", "consulting", 6)  # 25 each
    add(app, aid, "councillor", "informing", 2, comment="I was not asked")
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        f = figures(assessment, Q, min_group=5)
        assert f.total == 12  # the 2 councillors are a hidden group: left out of every figure
        staff, residents, councillors = f.group("staff"), f.group("resident"), f.group("councillor")
        assert staff.overall == 92  # (5*100 + 50) / 6 = 91.67
        assert residents.overall == 25 and all(v == 25 for v in residents.dimensions.values())
        assert councillors.hidden and councillors.dimensions == {} and councillors.responses is None
        assert f.gap_overall == 92 - 25 and set(f.gap.values()) == {67}
        assert f.rungs == {"informing": 0, "consulting": 6, "involving": 1, "co_designing": 0, "co_producing": 5}
        assert f.overall == 58  # (500 + 50 + 150) / 12 = 58.3
        # the same figures after rebuilding the tallies from the responses in SQL
        before = sorted((t.day, t.group, t.source, t.rung, t.n, t.score_sum) for t in db.session.query(Tally))
        before_d = sorted((t.group, t.dimension_id, t.n, t.score_sum) for t in db.session.query(DimensionTally))
        rebuild_tallies(aid)
        assert sorted((t.day, t.group, t.source, t.rung, t.n, t.score_sum) for t in db.session.query(Tally)) == before
        assert sorted((t.group, t.dimension_id, t.n, t.score_sum) for t in db.session.query(DimensionTally)) == before_d


def test_the_dashboard_hides_small_groups_and_says_why(app, people):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "co_producing", 5)
    add(app, aid, "resident", "consulting", 3, comment="Nobody listened")
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{BASE}/assessments/{aid}")
    assert page.status_code == 200
    assert "Perception gap" in page.text and "needs at least 5 responses" in page.text
    assert "Groups with fewer than 5 responses are hidden" in page.text
    assert "Nobody listened" not in page.text
    add(app, aid, "resident", "consulting", 2)
    page = client.get(f"{BASE}/assessments/{aid}")
    assert "Staff rate this work 75 points higher than residents do." in page.text
    assert "Nobody listened" in page.text
    filtered = client.get(f"{BASE}/assessments/{aid}?group=resident")
    assert "not shown while you filter by one group" in filtered.text
    assert client.get(f"{BASE}/assessments/{aid}?start=not-a-date").status_code == 200


def test_create_an_assessment_and_bad_input(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    form = client.get(f"{BASE}/assessments/new")
    assert form.status_code == 200
    bad = client.post(
        f"{BASE}/assessments/new",
        data={
            "title": "",
            "initiative": "Parks",
            "version": "999",
            "opens_on": ["1", "2", "2027"],
            "closes_on": ["31", "1", "2027"],
            "groups": [],
        },
    )
    assert bad.status_code == 200
    for message in (
        "Enter a title",
        "The closing date must be the same as or after the opening date",
        "Choose at least one group, or add your own",
    ):
        assert message in bad.text
    odd = client.post(
        f"{BASE}/assessments/new",
        data={"title": "x", "initiative": "y", "opens_on": ["1"], "closes_on": ["99", "99", "x"], "groups": ["staff"]},
    )
    assert odd.status_code == 200 and "Enter a real date" in odd.text
    with app.app_context():
        assert db.session.query(Assessment).count() == 0
        version_id = db.session.query(Version).one().id
    good = client.post(
        f"{BASE}/assessments/new",
        data={
            "title": "Parks check",
            "initiative": "Parks",
            "version": str(version_id),
            "opens_on": ["1", "2", "2027"],
            "closes_on": ["1", "3", "2027"],
            "groups": ["resident", "staff"],
            "other_groups": "Young carer",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        assessment = db.session.query(Assessment).one()
        assert [g["id"] for g in assessment.groups] == ["resident", "staff", "other-1"]
        assert db.session.get(Version, version_id).locked_at is not None
    poster = client.get(f"{BASE}/assessments/{assessment.id}/poster")
    assert assessment.code in poster.text
    qr = client.get(f"{BASE}/assessments/{assessment.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_paper_entry_is_stored_as_paper(app, people):
    enable(app)
    aid = make_assessment(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    data = {"group": "resident", "easy_read": "easy", "comment": '=HYPERLINK("x")'}
    # enough answers to place it: half of each part (the first two questions), all co-designing
    data.update({k: v for k, v in all_at("co_designing").items() if k.split("-")[1] in ("1", "2")})
    bad = client.post(f"{BASE}/assessments/{aid}/paper-entry", data={**data, "group": ""})
    assert bad.status_code == 200 and "Choose the group ticked on the form" in bad.text
    assert client.post(f"{BASE}/assessments/{aid}/paper-entry", data=data).status_code == 302
    with app.app_context():
        response = db.session.query(Response).one()
        assert response.source == "paper" and response.easy_read and response.overall_rung == "co_designing"
    # exports (owners only): the formula is neutralised in CSV, kept as text in JSON
    client = app.test_client()
    sign_in(client, "owner@example.org")
    exported = client.get(f"{BASE}/assessments/{aid}/responses.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert rows[0][0] == "Response" and len(rows) == 2
    assert rows[1][rows[0].index("Comment")] == '\'=HYPERLINK("x")'
    assert rows[1][rows[0].index("Source")] == "On paper"
    assert rows[1][rows[0].index("Score: Sharing power and decisions")] == "75"
    data = json.loads(client.get(f"{BASE}/assessments/{aid}/responses.json").data)
    assert data["responses"][0]["comment"] == '=HYPERLINK("x")' and data["responses"][0]["score_power"] == 75
    assert data["responses"][0]["answer_options-3"] is None


def test_an_adapted_version_and_locked_results(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    client.get(f"{BASE}/questionnaires")
    with app.app_context():
        standard_id = db.session.query(Version).one().id
    made = client.post(f"{BASE}/questionnaires/{standard_id}/copy", data={"name": "Our words"})
    assert made.status_code == 302
    with app.app_context():
        copy_id = db.session.query(Version).filter_by(name="Our words").one().id
    # the standard version cannot be edited
    assert client.get(f"{BASE}/questionnaires/{standard_id}/questions/power-1").status_code == 409
    edit = {"text": "Who decides?", "easy_read": "Who decides?", "weight": "3"}
    for i, option in enumerate(Q.question("power-1").options):
        edit[f"option_{i}"], edit[f"option_{i}_easy"] = option.text, option.easy_read
    bad = client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data={**edit, "weight": "0"})
    assert bad.status_code == 200 and "Enter a weight from 0.1 to 10" in bad.text
    assert client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=edit).status_code == 302
    client.post(f"{BASE}/questionnaires/{copy_id}/questions/options-1/drop")
    with app.app_context():
        version = db.session.get(Version, copy_id)
        adapted = questionnaire_of(version)
        assert adapted.question("power-1").text == "Who decides?" and adapted.question("power-1").weight == 3
        assert "options-1" not in [q.id for q in adapted.dimension("options").questions]
    aid = make_assessment(app, version_id=copy_id, code="adapted123")
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        record_response(assessment, adapted, {"power-1": "a"}, group="resident")
        db.session.commit()
    # now locked: editing is refused, so the response keeps the text it answered
    assert client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=edit).status_code == 409
    assert client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-2/drop").status_code == 409
    with app.app_context():
        response = db.session.query(Response).one()
        assert response.version_id == copy_id
        assert questionnaire_of(db.session.get(Version, copy_id)).question("power-1").text == "Who decides?"


def test_the_card_exercise_and_its_anonymous_aggregate(app, people):
    from coproduce_plugins.consultation_vs_coproduction.scenarios import standard_deck

    enable(app)
    deck = standard_deck()
    client = app.test_client()
    answers = {c.id: c.answer for c in deck.cards}
    answers[deck.cards[0].id] = "co_producing"
    done = client.post(f"{BASE}/exercise", data=answers)
    assert done.status_code == 200
    assert f"You put {len(deck.cards) - 1} of {len(deck.cards)} cards in the right pile." in done.text
    bad = client.post(f"{BASE}/exercise", data={deck.cards[0].id: "nonsense"})
    assert bad.status_code == 200 and "Choose one of the piles shown" in bad.text
    room = client.get(f"{BASE}/exercise/facilitate/1?answer=1")
    assert room.status_code == 200 and "1 person" not in room.text
    results = client.get(f"{BASE}/exercise/results")
    assert "1 person has done the exercise here" in results.text
    assert client.get(f"{BASE}/exercise/facilitate/99").status_code == 404


def test_change_dates_and_close_now(app, people):
    enable(app)
    aid = make_assessment(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{BASE}/assessments/{aid}/edit")
    assert page.status_code == 200 and "Play areas check" in page.text
    bad = client.post(
        f"{BASE}/assessments/{aid}/edit",
        data={
            "title": "New title",
            "initiative": "Play",
            "opens_on": ["1", "3", "2027"],
            "closes_on": ["1", "2", "2027"],
        },
    )
    assert bad.status_code == 200 and "The closing date must be the same as or after the opening date" in bad.text
    with app.app_context():
        assert db.session.get(Assessment, aid).title == "Play areas check"
    assert client.post(f"{BASE}/assessments/{aid}/close").status_code == 302
    citizen = app.test_client()
    assert "This assessment is closed" in citizen.get(f"{BASE}/a/abc123defg").text


@pytest.mark.hook("dashboard_widgets")
def test_the_team_dashboard_lists_open_assessments(app, people):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "involving", 5)
    add(app, aid, "partner", "involving", 3)  # a hidden group: not counted here either
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get("/t/youth/dashboard")
    assert "Play areas check" in page.text and "5 responses" in page.text and "8 responses" not in page.text


@pytest.mark.hook("retention_rules")
def test_old_drafts_are_deleted_by_the_retention_rule(app, people):
    from datetime import timedelta

    from coproduce.testing import apply_retention_rules as apply_all
    from coproduce_plugins.consultation_vs_coproduction.models import Draft

    enable(app)
    make_assessment(app)
    client = app.test_client()
    client.post(f"{BASE}/a/abc123defg", data={"group": "resident", "easy_read": "standard"})
    with app.app_context():
        from coproduce.plugins import utcnow

        results = {r.rule.name: r.count for r in apply_all(dry_run=True, now=utcnow() + timedelta(days=400))}
        assert results["consultation_vs_coproduction.drafts"] == 1
        apply_all(dry_run=False, now=utcnow() + timedelta(days=400))
        assert db.session.query(Draft).count() == 0


def test_more_bad_input_is_refused_and_nothing_stored(app, people):
    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    client.get(f"{BASE}/questionnaires")
    with app.app_context():
        standard_id = db.session.query(Version).one().id
    empty = client.post(f"{BASE}/questionnaires/{standard_id}/copy", data={"name": "  "})
    assert empty.status_code == 200 and "Enter a name for the new version" in empty.text
    client.post(f"{BASE}/questionnaires/{standard_id}/copy", data={"name": "Ours"})
    with app.app_context():
        assert db.session.query(Version).count() == 2
        copy_id = db.session.query(Version).filter_by(name="Ours").one().id
    blank = client.post(f"{BASE}/questionnaires/{copy_id}/sections/power/add", data={"text": "", "weight": "x"})
    assert blank.status_code == 200 and "Enter the question" in blank.text and "Enter the answer" in blank.text
    # a section already at 3 questions cannot lose one: the reason is shown, nothing changes
    dropped = client.post(f"{BASE}/questionnaires/{copy_id}/questions/parameters-1/drop", follow_redirects=True)
    assert "A section needs at least 3 questions" in dropped.text
    with app.app_context():
        adapted = questionnaire_of(db.session.get(Version, copy_id))
        assert len(adapted.dimension("parameters").questions) == 3
        assert len(adapted.dimension("power").questions) == 4
    assert client.get(f"{BASE}/questionnaires/{copy_id}/questions/no-such-question").status_code == 404
    assert client.get(f"{BASE}/assessments/999999").status_code == 404


def test_an_assessment_of_another_team_is_not_found(app, people):
    enable(app)
    make_assessment(app)
    with app.app_context():
        from coproduce.testing.fixtures import get_team

        app.extensions["plugins"].set_enabled(get_team("parks"), "consultation_vs_coproduction", True)
    client = app.test_client()
    assert client.get("/t/parks/readiness/a/abc123defg").status_code == 404
    sign_in(client, "outsider@example.org")
    with app.app_context():
        aid = db.session.query(Assessment).one().id
    assert client.get(f"/t/parks/readiness/assessments/{aid}").status_code == 404


def test_exports_are_streamed(app, people):
    enable(app)
    aid = make_assessment(app)
    add(app, aid, "staff", "involving", 3, comment="+1 from me")
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert client.get(f"{BASE}/assessments/{aid}/responses.csv").status_code == 403  # owners only
    client = app.test_client()
    sign_in(client, "owner@example.org")
    exported = client.get(f"{BASE}/assessments/{aid}/responses.csv")
    assert exported.is_streamed
    assert "includes-small-groups" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert len(rows) == 4 and rows[1][rows[0].index("Comment")] == "'+1 from me"
    assert client.get(f"{BASE}/assessments/{aid}/responses.json").is_streamed


@pytest.mark.hook("demo_data")
def test_demo_data_gives_a_live_dashboard(app, people):
    from coproduce.testing.fixtures import get_team

    enable(app)
    with app.app_context():
        app.extensions["plugins"].call_one("consultation_vs_coproduction", "demo_data", team=get_team("youth"))
        assessment = db.session.query(Assessment).one()
        assert db.session.query(Response).count() == 300
        assert db.session.query(Response).filter_by(source="paper").count() > 10
        f = figures(assessment, questionnaire_of(assessment.version), min_group=5)
        placed = db.session.query(Response).filter(Response.overall_rung.is_not(None)).count()
        councillors = db.session.query(Response).filter_by(group="councillor").count()
        assert councillors < 5 and f.total == placed - councillors  # a hidden group counts nowhere
        assert f.unplaced == 300 - placed and f.gap_overall and f.gap_overall > 20  # staff see it as more shared
        assert f.group("councillor").hidden  # too few to show: the privacy rule is visible at once
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get(f"{BASE}/assessments/{assessment.id}")
    assert "Staff rate this work" in page.text and "Councillor (" not in page.text


def test_an_export_of_many_responses_is_prepared_in_the_background(make_app, people):
    from coproduce.testing import job_file, outbox

    small = make_app()
    enable(small)
    aid = make_assessment(small)
    member = small.test_client()
    sign_in(member, "member@example.org")
    data = {"group": "resident", "easy_read": "easy", "comment": "Good start"}
    data.update({k: v for k, v in all_at("co_designing").items() if k.split("-")[1] in ("1", "2")})
    for _ in range(3):
        assert member.post(f"{BASE}/assessments/{aid}/paper-entry", data=data).status_code == 302
    owner = small.test_client()
    sign_in(owner, "owner@example.org")
    at_once = {fmt: owner.get(f"{BASE}/assessments/{aid}/responses.{fmt}").get_data() for fmt in ("csv", "json")}

    app = make_app(BACKGROUND_EXPORT_ROWS=2)  # the same database: 3 responses are now "many"
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    for fmt in ("csv", "json"):
        page = owner.get(f"{BASE}/assessments/{aid}/responses.{fmt}")
        assert page.status_code == 200 and "This assessment has many responses" in page.text
        download = job_file(owner, owner.post(f"{BASE}/assessments/{aid}/responses.{fmt}"))
        if fmt == "csv":
            assert download.data == at_once["csv"]
            assert len(list(csv.reader(io.StringIO(download.get_data(as_text=True))))) == 4
        else:
            assert json.loads(download.data) == json.loads(at_once["json"])
    assert outbox(app)[-1]["To"] == "owner@example.org"
    # Members cannot ask for it: every response includes the small groups.
    assert member.post(f"{BASE}/assessments/{aid}/responses.csv").status_code == 403
