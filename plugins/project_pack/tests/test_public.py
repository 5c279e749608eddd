"""The public side: only consented information, the offer forms, and the searchable list."""

import time

import sqlalchemy as sa

from coproduce.plugins import db, utcnow
from coproduce.testing.fixtures import sign_in
from coproduce_plugins.project_pack.models import Offer, Project, SkillNeed
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client, youth_id


def add_contacts(client, pid):
    client.post(
        f"{BASE}/{pid}/contacts/new",
        data={"name": "Agreeing Alice", "role": "Chair", "reach": "alice@example.net", "consent": "y"},
    )
    client.post(f"{BASE}/{pid}/contacts/new", data={"name": "Private Pete", "reach": "07700 900999"})


def test_public_page_shows_only_consented_contacts_and_owner_names(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    add_contacts(client, pid)
    team_page = client.get(f"{BASE}/{pid}/manage").get_data(as_text=True)
    assert "Private Pete" in team_page and "Agreeing Alice" in team_page
    for viewer in (app.test_client(), member_client(app, "outsider@example.org")):
        page = viewer.get(f"{BASE}/{pid}").get_data(as_text=True)
        assert "Agreeing Alice" in page and "alice@example.net" in page
        assert "Private Pete" not in page and "07700 900999" not in page
        assert "Lee Lead" not in page and "Casey Coowner" not in page  # owners did not agree
        assert "Budget: £20,000" in page and "Where it goes" in page  # set in stone and up for grabs
    client.post(
        f"{BASE}/{pid}/edit",
        data={
            "title": "Skate park",
            "status": "active",
            "lead_name": "Lee Lead",
            "owners_public": "y",
            "lead_user": "",
            "co_owner_user": "",
        },
    )
    assert "Lee Lead" in app.test_client().get(f"{BASE}/{pid}").get_data(as_text=True)


def test_offering_help_needs_no_account_goes_to_the_inbox_and_is_never_published(app, people, youth):
    member = member_client(app)
    pid = make_project(app, member)
    public = app.test_client()
    refused = public.post(f"{BASE}/{pid}/offer-help", data={"name": "Nina", "reach": "nina@example.net"})
    assert refused.status_code == 200 and "Tick the box to agree" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Offer.id))).scalar_one() == 0
    sent = public.post(
        f"{BASE}/{pid}/offer-help",
        data={
            "name": "Nina",
            "reach": "nina@example.net",
            "message": "I can paint",
            "skills": ["design"],
            "consent": "y",
        },
    )
    assert sent.status_code == 302
    with app.app_context():
        offer = db.session.execute(db.select(Offer)).scalar_one()
        assert offer.project_id == pid and offer.consent_recorded_at is not None and offer.skills == "design"
    for url in (f"{BASE}/{pid}", f"{BASE}/"):
        page = public.get(url).get_data(as_text=True)
        assert "Nina" not in page and "nina@example.net" not in page
    inbox = member.get(f"{BASE}/inbox").get_data(as_text=True)
    assert "nina@example.net" in inbox and "I can paint" in inbox
    assert member_client(app, "outsider@example.org").get(f"{BASE}/inbox").status_code == 403
    assert member.post(f"{BASE}/inbox/{offer.id}/handled").status_code == 302
    with app.app_context():
        assert db.session.get(Offer, offer.id).handled


def test_offer_form_is_rate_limited(make_app):
    app = make_app(plugins=["coproduce_plugins.project_pack", "tests.dummy_plugin"], RATELIMIT_ENABLED=True)
    from coproduce.testing.fixtures import add_team, add_user

    with app.app_context():
        add_team("youth", owner=add_user("o@example.org"), plugins=("project_pack",))
    public = app.test_client()
    codes = [public.post(f"{BASE}/offer-skills", data={"name": "x"}).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[-1] == 429


def test_public_list_search_filters_and_pages(app, people, youth):
    team_id = youth_id(app)
    with app.app_context():
        for n in range(45):
            project = Project(
                team_id=team_id,
                title=f"Project {n:02d}",
                status="active" if n % 3 else "idea",
                summary="A community garden" if n == 7 else "",
            )
            project.refresh_search()
            if n % 5 == 0:
                project.skills.append(SkillNeed(skill="growing"))
            db.session.add(project)
        db.session.commit()
    public = app.test_client()
    page = public.get(f"{BASE}/").get_data(as_text=True)
    assert "45 projects" in page and "Page 1 of 3" in page
    assert "15 projects" in public.get(f"{BASE}/?status=idea").get_data(as_text=True)
    assert "9 projects" in public.get(f"{BASE}/?skill=growing").get_data(as_text=True)
    found = public.get(f"{BASE}/?q=GARDEN").get_data(as_text=True)
    assert "1 project" in found and "Project 07" in found
    assert "0 projects" in public.get(f"{BASE}/?q=%25").get_data(as_text=True)  # % is not a wildcard
    third = public.get(f"{BASE}/?page=3&status=active").get_data(as_text=True)
    assert "Page 2 of 2" in third or "30 projects" in third
    assert public.get(f"{BASE}/?page=abc&status=nonsense&skill=<x>").status_code == 200


def test_the_list_stays_fast_with_10000_projects(app, people, youth):
    team_id = youth_id(app)
    now = utcnow()
    with app.app_context():
        rows = [
            {
                "team_id": team_id,
                "title": f"Project {n}",
                "summary": "",
                "background": "",
                "status": ("idea", "forming", "active", "paused", "completed")[n % 5],
                "goals": "",
                "set_in_stone": "",
                "up_for_grabs": "",
                "lead_name": "",
                "co_owner_name": "",
                "co_owner_role": "",
                "owners_public": False,
                "search_text": f"project {n}",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(10000)
        ]
        db.session.execute(db.insert(Project), rows)
        ids = db.session.execute(db.select(Project.id)).scalars().all()
        db.session.execute(db.insert(SkillNeed), [{"project_id": i, "skill": "data", "note": ""} for i in ids[::7]])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # what autovacuum does after a bulk load; without statistics the planner guesses 5 rows
            db.session.execute(sa.text("ANALYZE project_pack_project"))
            db.session.execute(sa.text("ANALYZE project_pack_skill_need"))
            db.session.commit()
    public = app.test_client()
    public.get(f"{BASE}/")
    timings = {}
    for url in (f"{BASE}/", f"{BASE}/?status=active&page=50", f"{BASE}/?skill=data&page=20", f"{BASE}/?q=project 99"):
        runs = []
        for _ in range(3):  # the best of three, so a busy test machine does not decide the result
            start = time.perf_counter()
            response = public.get(url)
            runs.append(time.perf_counter() - start)
            assert response.status_code == 200
        timings[url] = min(runs)
    assert "10000 projects" in public.get(f"{BASE}/").get_data(as_text=True)
    print("list timings (s):", {k: round(v, 3) for k, v in timings.items()})
    assert max(timings.values()) < 1.0, timings


def test_signed_in_outsiders_see_the_public_page_but_not_the_team_page(app, people, youth):
    client = member_client(app)
    pid = make_project(app, client)
    outsider = app.test_client()
    sign_in(outsider, "outsider@example.org")
    assert outsider.get(f"{BASE}/{pid}").status_code == 200
    assert outsider.get(f"{BASE}/{pid}/manage").status_code == 403
