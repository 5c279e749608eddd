"""Every route of the plugin under every role (the same expectations as tests/test_authorisation.py),
and another team's objects are never reachable through this team's URLs."""

import pytest

from coproduce.plugins import db
from coproduce.testing.fixtures import get_team, sign_in
from coproduce.testing.roles import ROLES
from coproduce_plugins.project_pack.models import Project
from coproduce_plugins.project_pack.tests.route_matrix import MATRIX, seed

EMAILS = {
    "citizen": "citizen@example.org",
    "outsider": "outsider@example.org",
    "member": "member@example.org",
    "owner": "owner@example.org",
    "admin": "admin@example.org",
}


def test_the_matrix_lists_every_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("project_pack.")}
    assert endpoints == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_under_role(app, people, youth, role):
    with app.app_context():
        values = seed(app, people)
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, EMAILS[role])
    wrong = []
    for endpoint, (method, url, statuses) in sorted(MATRIX.items()):
        response = client.open(url.format(**values), method=method)
        if response.status_code != statuses[ROLES.index(role)]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {statuses[ROLES.index(role)]}")
    assert wrong == []


def test_routes_answer_404_where_the_plugin_is_off(app, people):
    client = app.test_client()
    sign_in(client, "owner@example.org")
    assert client.get("/t/youth/projects/").status_code == 404
    assert client.get("/t/youth/projects/manage").status_code == 404


def test_another_teams_project_is_not_found_through_this_team(app, people, youth):
    with app.app_context():
        values = seed(app, people)
        parks = get_team("parks")
        app.extensions["plugins"].set_enabled(parks, "project_pack", True)
    outsider = app.test_client()
    sign_in(outsider, "outsider@example.org")
    pid, did = values["project_id"], values["document_id"]
    for url in (
        f"/t/parks/projects/{pid}",
        f"/t/parks/projects/{pid}/manage",
        f"/t/parks/projects/{pid}/documents/{did}",
        f"/t/parks/projects/{pid}/pack.zip",
        f"/t/parks/projects/{pid}/documents/{did}/preview",
        f"/t/parks/projects/{pid}/edit",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/t/parks/projects/inbox/{values['offer_id']}/handled").status_code == 404
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    # a criterion or document id of the right team but the wrong project is not found either
    with app.app_context():
        other = Project(team_id=get_team("youth").id, title="Other")
        other.refresh_search()
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert owner.get(f"/t/youth/projects/{other_id}/documents/{did}").status_code == 404
    assert owner.get(f"/t/youth/projects/{other_id}/criteria/{values['criterion_id']}/evidence/new").status_code == 404
    assert owner.get("/t/youth/projects/not-a-number").status_code == 404
