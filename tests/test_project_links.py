"""Social value's commitments and needs linked to the team's projects (project_choices), and shown on the project's
page and pack (project_panels): only the team's own projects, only what each audience may see."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.procurement_social_value.models import Commitment, Need
from coproduce_plugins.procurement_social_value.tests.helpers import make_contract
from coproduce_plugins.project_pack.models import Project

PLUGINS = ["coproduce_plugins.project_pack", "coproduce_plugins.procurement_social_value"]
SV = "/t/youth/social-value"
PANEL = "Social value promised for this project"


@pytest.fixture
def app(make_app):
    return make_app(plugins=PLUGINS)


@pytest.fixture
def site(app, people):
    """Teams youth and parks with both plugins on; youth's projects, parks' project, a youth contract."""
    host = app.extensions["plugins"]
    with app.app_context():
        ids = {}
        for slug, titles in (("youth", ("Riverside youth hub", "Park benches")), ("parks", ("Parks pond",))):
            team = get_team(slug)
            for name in ("project_pack", "procurement_social_value"):
                host.set_enabled(team, name, True)
            for title in titles:
                project = Project(team_id=team.id, title=title, summary=f"About {title.lower()}")
                project.refresh_search()
                db.session.add(project)
                db.session.flush()
                ids[title] = project.id
        db.session.commit()
    from coproduce_plugins.procurement_social_value.store import ensure_framework

    with app.app_context():
        ensure_framework(get_team("youth"))
        db.session.commit()
    ids.update(make_contract(app))
    ids["hidden"] = make_contract(app, published=False, reference="C-2", code="JS2.1")["commitment"]
    return ids


def member(app):
    client = app.test_client()
    sign_in(client, "member@example.org")
    return client


def commitment_form(app, commitment_id: int, **changes) -> dict:
    with app.app_context():
        c = db.session.get(Commitment, commitment_id)
        data = {
            "measure": str(c.measure_id),
            "target": str(c.target),
            "due_date": [str(c.due_date.day), str(c.due_date.month), str(c.due_date.year)],
            "description": "",
            "need": "",
        }
    data.update(changes)
    return data


def stored_project(app, model, row_id):
    with app.app_context():
        return db.session.get(model, row_id).project_id


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.hook("project_choices")
def test_the_commitment_form_offers_the_teams_own_projects_only(app, site):
    form = page(member(app), f"{SV}/manage/commitments/{site['commitment']}/edit")
    select = form.split('name="project"', 1)[1].split("</select>", 1)[0]
    assert "Riverside youth hub" in select and "Park benches" in select and "No project" in select
    assert "Parks pond" not in select


@pytest.mark.hook("project_panels")
def test_a_linked_commitment_shows_on_the_project_page_team_page_and_pack(app, site):
    client = member(app)
    hub = site["Riverside youth hub"]
    response = client.post(
        f"{SV}/manage/commitments/{site['commitment']}/edit", data=commitment_form(app, site["commitment"], project=hub)
    )
    assert response.status_code == 302
    assert stored_project(app, Commitment, site["commitment"]) == hub
    assert "Riverside youth hub" in page(client, f"{SV}/manage/commitments/{site['commitment']}")
    public = page(app.test_client(), f"/t/youth/projects/{hub}")
    panel = public.split(PANEL, 1)[1]
    assert "Road repairs" in panel and "C-1" in panel and "10" in panel  # the contract, the promise of 10
    assert 'class="govuk-tag' in panel and any(s in panel for s in ("On track", "At risk", "Overdue"))
    assert PANEL not in page(app.test_client(), f"/t/youth/projects/{site['Park benches']}")  # unlinked: nothing
    team_page = page(client, f"/t/youth/projects/{hub}/manage")
    assert PANEL in team_page and "Road repairs" in team_page
    for shared in ("0", "1"):
        archive = client.get(f"/t/youth/projects/{hub}/pack.zip?share={shared}")
        assert archive.status_code == 200
        with zipfile.ZipFile(io.BytesIO(archive.data)) as pack:
            html = pack.read("index.html").decode()
        assert PANEL in html and "Road repairs" in html


def test_an_unpublished_contracts_promise_stays_off_the_public_page(app, site):
    client = member(app)
    hub = site["Riverside youth hub"]
    data = commitment_form(app, site["hidden"], project=hub)
    assert client.post(f"{SV}/manage/commitments/{site['hidden']}/edit", data=data).status_code == 302
    assert PANEL not in page(app.test_client(), f"/t/youth/projects/{hub}")  # the only linked promise is hidden
    team_page = page(client, f"/t/youth/projects/{hub}/manage")
    assert "C-2" in team_page and "not shown to the public" in team_page


@pytest.mark.parametrize("hostile", ["parks", "abc", "-1", "99999999999", "1 OR 1=1", "\u0661"])
def test_another_teams_project_or_nonsense_is_refused_beside_the_field(app, site, hostile):
    value = str(site["Parks pond"]) if hostile == "parks" else hostile
    client = member(app)
    response = client.post(
        f"{SV}/manage/commitments/{site['commitment']}/edit",
        data=commitment_form(app, site["commitment"], project=value),
    )
    assert response.status_code in (200, 400)  # the form again with its message (400: the input guard's page)
    if response.status_code == 200:
        assert "govuk-error-message" in response.get_data(as_text=True)
    assert stored_project(app, Commitment, site["commitment"]) is None
    with app.app_context():
        need = Need(team_id=get_team("youth").id, title="Somewhere to meet", state="accepted")
        db.session.add(need)
        db.session.commit()
        need_id = need.id
    response = client.post(f"{SV}/manage/needs/{need_id}/project", data={"project": value})
    assert response.status_code in (200, 400)
    assert stored_project(app, Need, need_id) is None


def test_a_need_is_linked_and_shown_once_it_is_on_the_register(app, site):
    client = member(app)
    hub = site["Riverside youth hub"]
    with app.app_context():
        need = Need(team_id=get_team("youth").id, title="Somewhere dry to meet after school", state="new")
        db.session.add(need)
        db.session.commit()
        need_id = need.id
    form = page(client, f"{SV}/manage/needs/{need_id}/project")
    assert "Parks pond" not in form and "Riverside youth hub" in form
    response = client.post(f"{SV}/manage/needs/{need_id}/project", data={"project": str(hub)})
    assert response.status_code == 302 and stored_project(app, Need, need_id) == hub
    assert "Riverside youth hub" in page(client, f"{SV}/manage/needs")
    assert "Somewhere dry" not in page(app.test_client(), f"/t/youth/projects/{hub}")  # not on the register yet
    assert "Somewhere dry" in page(client, f"/t/youth/projects/{hub}/manage")
    with app.app_context():
        db.session.get(Need, need_id).state = "accepted"
        db.session.commit()
    public = page(app.test_client(), f"/t/youth/projects/{hub}")
    assert "Somewhere dry to meet after school" in public.split(PANEL, 1)[1]
    # Unlinking: "No project".
    assert client.post(f"{SV}/manage/needs/{need_id}/project", data={"project": ""}).status_code == 302
    assert stored_project(app, Need, need_id) is None
    assert PANEL not in page(app.test_client(), f"/t/youth/projects/{hub}")


def test_a_deleted_project_leaves_nothing_behind_and_no_error(app, site):
    client = member(app)
    hub = site["Riverside youth hub"]
    data = commitment_form(app, site["commitment"], project=hub)
    client.post(f"{SV}/manage/commitments/{site['commitment']}/edit", data=data)
    with app.app_context():
        db.session.delete(db.session.get(Project, hub))
        db.session.commit()
    edit = page(client, f"{SV}/manage/commitments/{site['commitment']}/edit")
    assert "selected" not in edit.split('name="project"', 1)[1].split("</select>", 1)[0]
    assert "Linked project" not in page(client, f"{SV}/manage/commitments/{site['commitment']}").split("<main", 1)[1]
    assert client.get(f"/t/youth/projects/{hub}").status_code == 404
    assert PANEL not in page(app.test_client(), f"/t/youth/projects/{site['Park benches']}")


def test_without_project_packs_there_is_no_project_to_choose_and_links_are_kept(app, site):
    client = member(app)
    hub = site["Riverside youth hub"]
    client.post(
        f"{SV}/manage/commitments/{site['commitment']}/edit", data=commitment_form(app, site["commitment"], project=hub)
    )
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", False)
    edit = page(client, f"{SV}/manage/commitments/{site['commitment']}/edit")
    assert 'name="project"' not in edit
    data = commitment_form(app, site["commitment"], project=str(site["Park benches"]))
    assert client.post(f"{SV}/manage/commitments/{site['commitment']}/edit", data=data).status_code == 302
    assert stored_project(app, Commitment, site["commitment"]) == hub  # no select: the link is left as it was


@pytest.mark.hook("demo_data")
def test_the_demo_links_promises_and_needs_to_the_teams_projects(app, people):
    from coproduce_plugins.procurement_social_value.demo import create_demo as social_value_demo
    from coproduce_plugins.project_pack.demo import create_demo as project_demo

    with app.test_request_context():
        team = get_team("youth")
        for name in ("project_pack", "procurement_social_value"):
            app.extensions["plugins"].set_enabled(team, name, True)
        project_demo(team)
        social_value_demo(team, date.today())
        projects = set(db.session.execute(db.select(Project.id).where(Project.team_id == team.id)).scalars())
        linked = set(
            db.session.execute(db.select(Commitment.project_id).where(Commitment.project_id.is_not(None))).scalars()
        ) | set(db.session.execute(db.select(Need.project_id).where(Need.project_id.is_not(None))).scalars())
        assert linked and linked <= projects
        first = min(linked)
    assert PANEL in page(app.test_client(), f"/t/youth/projects/{first}")
