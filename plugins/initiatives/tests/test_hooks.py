"""The plugin's hooks, as the site calls them."""

import pytest

from coproduce.testing.fixtures import get_team, sign_in


@pytest.mark.hook("public_items")
def test_the_team_page_lists_the_directory(app, youth):
    page = app.test_client().get("/t/youth/").get_data(as_text=True)
    assert "/t/youth/initiatives/" in page


@pytest.mark.hook("nav_items")
@pytest.mark.hook("manage_nav_items")
def test_navigation_for_the_public_and_for_members(app, youth):
    public = app.test_client().get("/t/youth/initiatives/").get_data(as_text=True)
    assert 'href="/t/youth/initiatives/"' in public
    member = app.test_client()
    sign_in(member, "member@example.org")
    assert "/t/youth/initiatives/manage" in member.get("/t/youth/dashboard").get_data(as_text=True)


def test_switched_off_means_not_found(app, youth):
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "initiatives", False)
    assert app.test_client().get("/t/youth/initiatives/").status_code == 404


@pytest.mark.hook("dashboard_widgets")
def test_the_dashboard_shows_what_waits(app, demo):
    member = app.test_client()
    sign_in(member, "member@example.org")
    page = member.get("/t/youth/dashboard").get_data(as_text=True)
    assert "32 initiatives published" in page and "2 waiting for a moderator" in page


@pytest.mark.hook("project_panels")
def test_a_project_shows_related_initiatives(app, demo):
    from types import SimpleNamespace

    from coproduce.plugins import collect_for

    with app.test_request_context("/t/youth/"):
        team = get_team("youth")
        project = SimpleNamespace(team_id=team.id, title="Community fridge", summary="Food anyone may take")
        panels = collect_for(team, "project_panels", project=project, user=None, audience="public")
        mine = [p for p in panels if p.key == "initiatives"]
        assert mine and "Brookside Community Fridge" in str(mine[0].body)
        none = SimpleNamespace(team_id=team.id, title="Zzz", summary="")
        assert "No related initiatives" in str(
            [
                p
                for p in collect_for(team, "project_panels", project=none, user=None, audience="team")
                if p.key == "initiatives"
            ][0].body
        )
