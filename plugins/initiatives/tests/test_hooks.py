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
