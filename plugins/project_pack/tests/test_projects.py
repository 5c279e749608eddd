"""Team journeys: create (also from a template), edit, contacts, skills, log, criteria and evidence."""

from coproduce.plugins import AuditEvent, db
from coproduce_plugins.project_pack.models import Criterion, LogEntry, Offer, Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client


def test_a_member_creates_a_project_with_criteria_and_it_is_audited(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "Skate park" in page and "Young people using it" in page and "Budget: £20,000" in page
    assert "<strong>young people</strong>" in page  # Markdown rendered
    with app.app_context():
        assert db.session.execute(
            db.select(AuditEvent).where(AuditEvent.action == "project_pack.project_created")
        ).scalar_one()


def test_markdown_background_is_sanitised(app, people, youth):
    client = member_client(app)
    pid = make_project(
        app, client, background="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>"
    )
    for url in (f"{BASE}/{pid}/manage", f"{BASE}/{pid}"):
        page = (
            app.test_client().get(url).get_data(as_text=True)
            if url.endswith(str(pid))
            else client.get(url).get_data(as_text=True)
        )
        assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page


def test_missing_title_and_bad_status_are_form_errors_and_store_nothing(app, people, youth):
    client = member_client(app)
    response = client.post(f"{BASE}/new", data={"title": "", "status": "exploding"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Enter a title" in page and "There is a problem" in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 0


def test_a_template_prefills_a_new_project(app, people, youth):
    client = member_client(app)
    response = client.post(
        f"{BASE}/templates/new",
        data={
            "name": "Summer scheme",
            "goals": "Fun for all",
            "set_in_stone": "Budget: £500",
            "up_for_grabs": "Activities",
            "criteria": "Children taking part | Register | 50",
        },
    )
    assert response.status_code == 302
    listing = client.get(f"{BASE}/templates").get_data(as_text=True)
    assert "Summer scheme" in listing
    from coproduce_plugins.project_pack.models import Template

    with app.app_context():
        tid = db.session.execute(db.select(Template.id)).scalar_one()
    form = client.get(f"{BASE}/new?template={tid}").get_data(as_text=True)
    assert "Fun for all" in form and "Budget: £500" in form and "Children taking part | Register | 50" in form
    assert client.get(f"{BASE}/new?template=999999").status_code == 404


def test_bad_criteria_lines_are_refused(app, people, youth):
    client = member_client(app)
    response = client.post(f"{BASE}/new", data={"title": "X", "status": "idea", "criteria": "| no what | 3"})
    assert response.status_code == 200
    assert "Start every criterion" in response.get_data(as_text=True)


def test_edit_links_a_lead_account_and_changes_status(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    response = client.post(
        f"{BASE}/{pid}/edit",
        data={
            "title": "Skate park",
            "status": "paused",
            "lead_name": "Olive Owner",
            "lead_user": str(people["owner"]),
            "co_owner_user": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        project = db.session.get(Project, pid)
        assert project.status == "paused" and project.lead_user_id == people["owner"]
    # someone outside the team cannot be linked
    response = client.post(
        f"{BASE}/{pid}/edit",
        data={"title": "Skate park", "status": "paused", "lead_user": str(people["outsider"]), "co_owner_user": ""},
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)


def test_log_entries_with_author_and_the_forgotten_question(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "What did you learn about working together?" in page
    form = client.get(f"{BASE}/{pid}/log/new").get_data(as_text=True)
    assert "What did you learn about working together?" in form
    response = client.post(
        f"{BASE}/{pid}/log/new",
        data={
            "kind": "learning",
            "happened_on": ["3", "4", "2026"],
            "text": "First meeting",
            "working_together": "Meeting in the evening let parents come",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.execute(db.select(LogEntry)).scalar_one()
        assert entry.author_id == people["member"] and entry.author_name == "Member"
        assert entry.happened_on.isoformat() == "2026-04-03"
        assert db.session.get(Project, pid).last_log_at is not None
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "Meeting in the evening let parents come" in page
    bad = client.post(f"{BASE}/{pid}/log/new", data={"kind": "gossip", "happened_on": ["31", "2", "2026"], "text": ""})
    assert bad.status_code == 200


def test_criteria_show_their_evidence(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client, criteria="")
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "there were no criteria" in page
    assert (
        client.post(
            f"{BASE}/{pid}/criteria/new", data={"what": "Skaters", "measure": "Count", "target": "30"}
        ).status_code
        == 302
    )
    with app.app_context():
        cid = db.session.execute(db.select(Criterion.id)).scalar_one()
    assert client.post(f"{BASE}/{pid}/criteria/{cid}/evidence/new", data={"figure": "abc"}).status_code == 200
    assert client.post(f"{BASE}/{pid}/criteria/{cid}/evidence/new", data={}).status_code == 200
    assert (
        client.post(
            f"{BASE}/{pid}/criteria/{cid}/evidence/new",
            data={"note": "Saturday count", "figure": "34", "observed_on": ["6", "6", "2026"], "document": ""},
        ).status_code
        == 302
    )
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "Saturday count" in page and "<strong>34</strong>" in page and "2026-06-06" in page


def test_skills_needed_show_matching_offers(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    assert client.post(f"{BASE}/{pid}/skills/new", data={"skill": "safeguarding"}).status_code == 302
    assert client.post(f"{BASE}/{pid}/skills/new", data={"skill": "not-a-skill"}).status_code == 200
    public = app.test_client()
    # someone who runs a youth club does not say "safeguarding": the guided list says it for them
    assert (
        public.post(
            f"{BASE}/offer-skills",
            data={"name": "Rita", "reach": "rita@example.net", "activities": ["youth_club"], "consent": "y"},
        ).status_code
        == 302
    )
    assert (
        public.post(
            f"{BASE}/offer-skills",
            data={"name": "Bob", "reach": "bob@example.net", "skills": ["cooking"], "consent": "y"},
        ).status_code
        == 302
    )
    page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    section = page[page.index('id="skills"') : page.index('id="log"')]
    assert "rita@example.net" in section and "bob@example.net" not in section
    with app.app_context():
        rita = db.session.execute(db.select(Offer).where(Offer.name == "Rita")).scalar_one()
        assert set(rita.skill_list) == {"organising", "safeguarding", "budgeting"}
