"""The front of the page cache (coproduce/page_front.py): it answers a stored page before Flask exactly as
Flask would, and leaves to Flask every request it cannot answer that way. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re

import pytest

from coproduce.testing.fixtures import PASSWORD, get_team, sign_in
from coproduce.testing.helpers import once_key

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NONCE = re.compile(r"nonce(?:=\"|-)([A-Za-z0-9_-]{20,})")
ONCE = re.compile(r'(name="once"[^>]*value=")[^"]+"|(value=")[^"]+("[^>]*name="once")')


def front(app):
    return app.extensions["page_front"]


def cached(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def by_front(app, client, path: str, **kwargs):
    """A GET that the front must answer (its count of answers goes up by one)."""
    before = front(app).answered
    response = client.get(path, **kwargs)
    assert front(app).answered == before + 1, f"Flask answered {path}, not the front"
    return response


def by_flask(app, client, path: str, method: str = "GET", **kwargs):
    before = front(app).answered
    response = client.open(path, method=method, **kwargs)
    assert front(app).answered == before, f"the front answered {path}"
    return response


def give_cookie(app, client, name: str, value: str) -> None:
    client.set_cookie(name, value, domain=app.config["SERVER_NAME"])


def session_of(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"], domain=app.config["SERVER_NAME"])
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def same_page(text: str) -> str:
    """The page without what each response makes for itself."""
    text = CSRF.sub('name="csrf_token" type="hidden" value="-"', text)
    text = NONCE.sub("nonce-", text)
    return ONCE.sub(lambda m: (m.group(1) or m.group(2)) + '-"' + (m.group(3) or ""), text)


def headers_of(response) -> dict:
    own = {"x-request-id", "set-cookie", "content-length"}
    return {name.lower(): NONCE.sub("nonce-", value) for name, value in response.headers if name.lower() not in own}


@pytest.fixture
def forms_app(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "initiatives", True)
    return app


@pytest.mark.parametrize(
    "path, headers, cookie",
    [
        ("/", {}, None),
        ("/sign-in", {}, None),
        ("/sign-in", {"Accept-Language": "pl"}, None),
        ("/t/youth/", {}, ("coproduce_lang", "ur")),
        ("/t/youth/initiatives/add", {}, None),
        ("/t/youth/initiatives/add?lang=cy", {}, ("coproduce_lang", "cy")),
    ],
)
def test_the_front_sends_what_flask_sends(forms_app, path, headers, cookie):
    app = forms_app

    def client():
        new = app.test_client()
        if cookie:
            give_cookie(app, new, *cookie)
        return new

    first = by_flask(app, client(), path, headers=headers)
    assert first.status_code == 200 and cached(first) == "miss"
    ours_client = client()
    ours = by_front(app, ours_client, path, headers=headers)
    front(app).pages.clear()  # the next one is answered by Flask's page cache, as before the front
    theirs_client = client()
    theirs = by_flask(app, theirs_client, path, headers=headers)
    assert cached(theirs) == "hit" and cached(ours) == "hit"
    assert ours.status_code == theirs.status_code == 200
    assert same_page(ours.get_data(as_text=True)) == same_page(theirs.get_data(as_text=True))
    assert headers_of(ours) == headers_of(theirs)
    assert set(session_of(app, ours_client)) == set(session_of(app, theirs_client))
    assert session_of(app, ours_client).get("_fresh") == session_of(app, theirs_client).get("_fresh")
    # Each response has its own token, nonce and form key.
    page, their_page = ours.get_data(as_text=True), theirs.get_data(as_text=True)
    for pattern in (CSRF, NONCE):
        if pattern.search(their_page):
            assert pattern.search(page).group(1) != pattern.search(their_page).group(1)
    if 'name="once"' in their_page:
        assert once_key(page) != once_key(their_page)
    nonce = NONCE.search(page)
    if nonce:
        assert f"'nonce-{nonce.group(1)}'" in ours.headers["Content-Security-Policy"]


def test_a_page_from_the_front_signs_in_a_returning_visitor_and_then_flask_answers(forms_app):
    app = forms_app
    by_flask(app, app.test_client(), "/sign-in")
    browser = app.test_client()
    by_front(app, browser, "/sign-in")  # a new visitor: the front makes their session and its CSRF secret
    page = by_front(app, browser, "/sign-in")  # a returning one: the secret in their cookie is used
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    signed_in = browser.post("/sign-in", data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302, "the front's token was refused"
    after = by_flask(app, browser, "/sign-in")
    assert cached(after) is None, "a signed-in person was sent a stored page"


def test_a_public_forms_key_from_the_front_is_honoured(forms_app):
    app = forms_app
    by_flask(app, app.test_client(), "/t/youth/initiatives/add")
    keys = {
        once_key(by_front(app, app.test_client(), "/t/youth/initiatives/add").get_data(as_text=True)) for _ in range(3)
    }
    assert len(keys) == 3
    from coproduce.once import verified_key

    with app.test_request_context():
        assert all(verified_key(key) for key in keys)


def test_flask_answers_whoever_the_front_cannot(app, people):
    by_flask(app, app.test_client(), "/t/youth/")
    by_front(app, app.test_client(), "/t/youth/")
    # Someone signed in.
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    page = by_flask(app, owner, "/t/youth/")
    assert "Go to the team dashboard" in page.get_data(as_text=True) and cached(page) is None
    # A session that holds a flashed message, a forged session cookie, a cookie of another kind, a remember-me.
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "Saved")]
    assert cached(by_flask(app, flashed, "/t/youth/")) is None
    for name, value in (
        ("coproduce_session", "eyJfZnJlc2giOmZhbHNlfQ.forged.signature"),
        ("analytics", "1"),
        ("remember_token", "1|abc"),
    ):
        visitor = app.test_client()
        give_cookie(app, visitor, name, value)
        by_flask(app, visitor, "/t/youth/")
    # HEAD, and a header the input layer refuses: Flask's answer, not the stored page.
    assert by_flask(app, app.test_client(), "/t/youth/", method="HEAD").status_code == 200
    assert by_flask(app, app.test_client(), "/t/youth/", headers={"X-Note": "x" * 9000}).status_code == 400


def test_a_language_chosen_by_link_still_sets_its_cookie(app, people):
    for _ in range(3):
        visitor = app.test_client()
        response = visitor.get("/?lang=cy")
        assert response.status_code == 200 and '<html lang="cy"' in response.get_data(as_text=True)
        assert visitor.get_cookie("coproduce_lang", domain=app.config["SERVER_NAME"]).value == "cy"
    assert front(app).answered == 0


def test_a_change_by_staff_reaches_the_next_visitor_through_the_front(app, people):
    by_flask(app, app.test_client(), "/t/youth/")
    assert "Youth" in by_front(app, app.test_client(), "/t/youth/").get_data(as_text=True)
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    with app.app_context():
        from coproduce.extensions import db

        get_team("youth").name = "Young Voices"
        db.session.commit()
    after = by_flask(app, app.test_client(), "/t/youth/")
    assert cached(after) == "miss" and "Young Voices" in after.get_data(as_text=True)
    assert "Young Voices" in by_front(app, app.test_client(), "/t/youth/").get_data(as_text=True)


def test_the_front_writes_one_plain_log_line_per_answer(app, people, caplog):
    by_flask(app, app.test_client(), "/t/youth/")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="coproduce.requests"):
        by_front(app, app.test_client(), "/t/youth/", headers={"X-Request-Id": "front-check-0001"})
    lines = [r.getMessage() for r in caplog.records if r.name == "coproduce.requests"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /t/youth/ 200 ") and "request=front-check-0001" in lines[0]
    assert "team=youth" in lines[0] and "page_cache=hit" in lines[0]


def test_a_view_with_rate_limits_is_never_stored_so_its_limit_holds(make_app, people):
    """Flask-Limiter counts a view's own limits as the view runs: a stored page would skip the count."""
    from coproduce.extensions import limiter

    app = make_app(RATELIMIT_ENABLED=True)

    @app.get("/limited-page")
    @limiter.limit("2 per minute")
    def limited_page():
        return "<!doctype html><title>Limited</title><p>Counted</p>"

    answers = [by_flask(app, app.test_client(), "/limited-page") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert [cached(a) for a in answers[:2]] == [None, None]
