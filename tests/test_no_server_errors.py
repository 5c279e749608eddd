"""The kinds of server error an outside probe found, each as a class: numbers too large for the database
in URLs and query strings, NUL and control characters anywhere in a request, deeply nested JSON, CR/LF
in redirect targets, and the error page failing after a database error. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coproduce.extensions import db
from coproduce.models import User
from coproduce.testing.fixtures import add_team, get_team, sign_in

HUGE = ["2147483648", "9223372036854775808", "99999999999999999999999", "9" * 5000]


@pytest.fixture
def owner(app, people):
    with app.app_context():
        team = get_team("youth")
        for plugin in sorted(app.extensions["plugins"].loaded):
            app.extensions["plugins"].set_enabled(team, plugin, True)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    return client


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        if any(type(conv).__name__ == "BoundedIntConverter" for conv in rule._converters.values()):
            yield rule


def test_every_int_in_a_url_is_bounded(app):
    """One converter for every <int:...>: no route can be added that lets a huge id through."""
    int_params = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert int_params, "the app has routes with ids"
    assert len(list(_int_rules(app))) == len(int_params)


@pytest.mark.parametrize("number", HUGE, ids=["int4+1", "int8+1", "23 digits", "5000 digits"])
def test_ids_too_large_for_the_database_are_not_found(app, owner, number):
    for rule in _int_rules(app):
        url = re.sub(r"<int:[^>]+>", number, rule.rule)
        url = re.sub(r"<[^>]+>", "x", url.replace("<team>", "youth"))
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        response = owner.open(url, method=method)
        expected = 400 if len(number) > 255 else 404  # longer than any path segment may be: refused outright
        assert response.status_code == expected, f"{method} {url[:120]} answered {response.status_code}"


@pytest.mark.parametrize(
    "query",
    ["page=99999999999999999999", "page=2147483648", "page=-99999999999999999999", "template=9223372036854775808"],
)
def test_numbers_in_query_strings_beyond_the_database_are_refused(app, owner, query):
    for url in ("/t/youth/projects/", "/t/youth/social-value/manage/contracts", "/t/youth/projects/new"):
        response = owner.get(f"{url}?{query}")
        assert response.status_code == 400, f"{url}?{query} answered {response.status_code}"
        assert "Sorry, there is a problem with that request" in response.get_data(as_text=True)


def test_a_search_for_a_long_number_is_still_a_search(app, owner):
    assert owner.get("/t/youth/projects/?q=07700900123456789012").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/t/you\x00th/", "/t/youth/projects/\x00", "/sign-in%0d%0aX-Injected:%201", "/t/%00/readiness/a/%00"],
)
def test_nul_and_line_breaks_in_paths_are_refused(client, people, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize(
    "query", ["q=a%00b", "lang=%00", "next=/x%0d%0aSet-Cookie:%20a=b", "status=%0a", "%00=1", "q=" + "a" * 5000]
)
def test_control_characters_and_absurd_values_in_query_strings_are_refused(client, people, query):
    for url in ("/", "/sign-in", "/t/youth/projects/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, f"{url}?{query} answered {response.status_code}"


def test_redirect_targets_never_carry_line_breaks_or_reach_another_site(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    for target in ("/t/youth/%0d%0aSet-Cookie:%20x=1", "/%0aLocation:%20https://evil.example", "/\\evil.example"):
        response = client.get(f"/sign-in?next={target}")
        assert response.status_code == 400, target
        assert "\n" not in response.headers.get("Location", "") and "evil" not in response.headers.get("Location", "")


def test_nul_in_form_fields_is_refused_and_nothing_stored(app, people):
    client = app.test_client()
    for data in ({"email": "a\x00@example.org", "password": "x"}, {"email\x00": "x"}):
        response = client.post("/sign-up", data={"display_name": "N", **data})
        assert response.status_code == 400
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 5


def test_nul_in_a_header_is_refused(client, people):
    response = client.get("/", headers={"Accept-Language": "cy\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deeply_nested_json_bodies_are_refused(client, people, depth):
    body = "[" * depth + "]" * depth
    for url in ("/sign-in", "/sign-up", "/t/youth/readiness/a/none"):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 400, f"{url} answered {response.status_code} to {depth} levels"


@pytest.mark.parametrize("body", ['{"email": "a\\u0000b"}', "{not json", b'{"email": "\xff"}'])
def test_json_bodies_with_nul_or_not_json_are_refused(client, people, body):
    response = client.post("/sign-in", data=body, content_type="application/json")
    assert response.status_code == 400


def test_ordinary_json_still_reaches_the_form(client, people):
    response = client.post("/sign-in", json={"email": "member@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def _add_failing_routes(app):
    def database_error():
        db.session.add(User(email="member@example.org", display_name="Again", password_hash="x"))
        db.session.flush()  # a duplicate email: the session is left needing a rollback

    def broken_statement():
        db.session.execute(sa.text("SELECT * FROM no_such_table"))

    app.add_url_rule("/test-error/database", "test_database_error", database_error)
    app.add_url_rule("/test-error/statement", "test_broken_statement", broken_statement)


@pytest.mark.parametrize("url", ["/test-error/database", "/test-error/statement"])
def test_the_error_page_after_a_database_error_is_the_sites_with_its_headers(make_app, url):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        from coproduce.testing.fixtures import add_user

        add_user("member@example.org")
    _add_failing_routes(app)
    client = app.test_client()
    sign_in(client, "member@example.org")  # the error page then reads the signed-in person
    response = client.get(url)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "govuk-header" in body  # the site's own page, not a bare one
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert client.get("/account").status_code == 200  # and the next request is served normally


def test_when_the_error_page_cannot_be_drawn_a_plain_page_still_has_the_headers(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    _add_failing_routes(app)

    @app.context_processor
    def broken():
        from flask import request

        if request.path.startswith("/test-error/"):
            raise RuntimeError("templates are broken")
        return {}

    response = app.test_client().get("/test-error/statement")
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.get_data(as_text=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_team_slug_with_nul_does_not_reach_the_database(app, people):
    with app.app_context():
        add_team("parks-2")
    assert app.test_client().get("/t/parks-2%00/").status_code == 400


@pytest.mark.parametrize("prefix", ["/static/", "/theme/static/", "/static/plugins/project_pack/", "/t/youth/"])
def test_path_segments_longer_than_any_file_name_are_refused(client, people, prefix):
    """Found by the route fuzzing test: a file name over 255 bytes made the file system raise."""
    for segment in ("é" * 200, "x" * 300):
        response = client.get(prefix + segment)
        assert response.status_code == 400, f"{prefix}{segment[:10]}… answered {response.status_code}"
