"""The page cache for signed-out visitors (coproduce/page_cache.py): what it keeps, what it never keeps, and
that a change by staff is seen by the very next request. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from flask import template_rendered

from coproduce.cli import build_cli
from coproduce.extensions import db
from coproduce.models import SiteSetting
from coproduce.once import verified_key
from coproduce.page_cache import PAGE_VERSION, Entry, PageCache
from coproduce.testing.fixtures import PASSWORD, get_team, sign_in
from coproduce.testing.helpers import once_key

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture
def renders(app):
    """The names of the templates the app renders (the view ran), in order."""
    seen: list[str] = []

    def record(_app, template, **_extra):
        seen.append(template.name)

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def anonymous(app, path: str, **kwargs):
    """A GET by a new visitor (no cookies)."""
    return app.test_client().get(path, **kwargs)


def cached(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def page_version(app):
    with app.app_context():
        row = db.session.get(SiteSetting, PAGE_VERSION)
        return row.value if row is not None else None


def enable(app, plugin: str, slug: str = "youth") -> None:
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team(slug), plugin, True)


# -- hits and keys ------------------------------------------------------------------------


def test_the_second_visitor_gets_the_page_without_the_view_running(app, people, renders):
    first = anonymous(app, "/")
    assert first.status_code == 200 and cached(first) == "miss"
    assert renders.count("public/home.html") == 1
    second = anonymous(app, "/")
    assert second.status_code == 200 and cached(second) == "hit"
    assert renders.count("public/home.html") == 1, "the view ran again"
    strip = lambda page: NONCE.sub("", page)  # noqa: E731
    assert strip(first.get_data(as_text=True)) == strip(second.get_data(as_text=True))
    assert "Youth" in second.get_data(as_text=True)
    head = app.test_client().head("/")
    assert head.status_code == 200 and cached(head) == "hit" and head.data == b""


def test_language_query_team_and_theme_each_have_their_own_page(app, people):
    pages = {}
    for name, path, headers in (
        ("en", "/", {}),
        ("cy by link", "/?lang=cy", {}),
        ("pl by browser", "/", {"Accept-Language": "pl"}),
        ("page 2", "/?page=2", {}),
        ("youth", "/t/youth/", {}),
        ("parks", "/t/parks/", {}),
    ):
        response = anonymous(app, path, headers=headers)
        assert cached(response) == "miss", name
        pages[name] = response.get_data(as_text=True)
        again = anonymous(app, path, headers=headers)
        assert cached(again) == "hit", name
    assert '<html lang="cy"' in pages["cy by link"] and '<html lang="pl"' in pages["pl by browser"]
    assert '<html lang="en"' in pages["en"]
    assert "Parks" in pages["parks"] and "Parks" not in re.sub(r"<nav.*?</nav>", "", pages["youth"], flags=re.S)
    # Another theme (or another version of it) is another key.
    cache = app.extensions["page_cache"]
    cache.theme = ("harbourside", "0123456789abcdef")
    assert cached(anonymous(app, "/")) == "miss"


def test_a_visitor_with_the_language_cookie_shares_the_page_of_that_language(app, people):
    chose = app.test_client()
    assert chose.get("/?lang=cy").status_code == 200  # sets the language cookie
    assert cached(chose.get("/")) == "miss"  # Welsh by cookie, the first Welsh page without ?lang
    page = anonymous(app, "/", headers={"Accept-Language": "cy"})
    assert cached(page) == "hit" and '<html lang="cy"' in page.get_data(as_text=True)


def test_a_returning_visitor_keeps_getting_the_stored_page(make_app, people):
    """A browser keeps its session cookie (it holds the CSRF secret of the page's form); Flask-Login marks
    that session "not fresh" on the next request, which says nothing about who the visitor is: the page
    stays shared, visit after visit, and the form still works."""
    app = make_app(WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    pages = [browser.get("/sign-in") for _ in range(5)]
    assert [cached(page) for page in pages] == ["miss", "hit", "hit", "hit", "hit"]
    token = CSRF.search(pages[-1].get_data(as_text=True)).group(1)
    signed_in = browser.post("/sign-in", data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    assert cached(browser.get("/sign-in")) is None, "a signed-in person was served a stored page"


# -- never kept -----------------------------------------------------------------------------


def test_a_signed_in_person_is_never_served_nor_stored(app, people):
    assert cached(anonymous(app, "/t/youth/")) == "miss"
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    page = owner.get("/t/youth/")
    assert cached(page) is None and page.headers["Cache-Control"] == "no-store"
    assert "Go to the team dashboard" in page.get_data(as_text=True)
    # Their page was not kept: a visitor gets the signed-out page, and a page first drawn for them is not kept.
    visitor = anonymous(app, "/t/youth/")
    assert cached(visitor) == "hit" and "Go to the team dashboard" not in visitor.get_data(as_text=True)
    assert cached(owner.get("/cookies")) is None
    assert cached(anonymous(app, "/cookies")) == "miss"


def test_a_page_with_a_flashed_message_is_not_stored(app, people):
    visitor = app.test_client()
    assert visitor.get("/account").status_code == 302  # flashes "Sign in to see this page."
    page = visitor.get("/")
    assert "Sign in to see this page." in page.get_data(as_text=True) and cached(page) is None
    other = anonymous(app, "/")
    assert cached(other) == "miss" and "Sign in to see this page." not in other.get_data(as_text=True)


def test_a_form_with_errors_is_not_stored(app, people):
    cache = app.extensions["page_cache"]
    refused = app.test_client().post("/sign-in", data={"email": "nobody@example.org", "password": "wrong"})
    assert refused.status_code == 200 and cached(refused) is None and len(cache) == 0
    page = anonymous(app, "/sign-in")
    assert cached(page) == "miss" and "nobody@example.org" not in page.get_data(as_text=True)
    assert "Error:" not in page.get_data(as_text=True)
    assert not cache.holds("nobody@example.org")


def test_typed_text_is_never_kept(app, people):
    for plugin in ("initiatives", "project_pack"):
        enable(app, plugin)
    cache = app.extensions["page_cache"]
    typed = "zebracrossingsecret"
    for path in (
        f"/t/youth/initiatives/?q={typed}",
        f"/t/youth/initiatives/map?q={typed}",
        f"/t/youth/projects/?q={typed}",
        f"/?q={typed}",  # not a search page: a query string holding text is not kept either
        f"/sign-in?next=/t/youth/{typed}",
    ):
        for _ in range(2):
            response = anonymous(app, path)
            assert response.status_code == 200, path
            assert cached(response) is None, path
        assert typed in response.get_data(as_text=True), f"{path} does not show it: the test shows nothing"
    assert not cache.holds(typed)
    # The same pages without the typing are kept.
    assert cached(anonymous(app, "/t/youth/initiatives/")) == "miss"
    assert cached(anonymous(app, "/t/youth/initiatives/")) == "hit"


def test_live_workshop_figures_are_drawn_for_each_request(app, people):
    enable(app, "consultation_vs_coproduction")
    for path in ("/t/youth/readiness/exercise/results", "/t/youth/readiness/exercise/facilitate/1?answer=1"):
        assert cached(anonymous(app, path)) is None, path
    assert cached(anonymous(app, "/t/youth/readiness/exercise/facilitate/1")) == "miss"


# -- the per-response parts ------------------------------------------------------------------


def test_each_response_gets_its_own_token_nonce_and_form_key_and_the_token_works(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    enable(app, "initiatives")
    first, second = app.test_client(), app.test_client()
    one, two = first.get("/sign-in"), second.get("/sign-in")
    assert (cached(one), cached(two)) == ("miss", "hit")
    pages = [r.get_data(as_text=True) for r in (one, two)]
    tokens = [CSRF.search(p).group(1) for p in pages]
    nonces = [NONCE.search(p).group(1) for p in pages]
    assert tokens[0] != tokens[1] and nonces[0] != nonces[1]
    for response, nonce in zip((one, two), nonces):
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        assert "cpmark" not in response.get_data(as_text=True)
    # The cached page's token belongs to its visitor's session: signing in with it works.
    signed_in = second.post(
        "/sign-in", data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": tokens[1]}
    )
    assert signed_in.status_code == 302
    # ... and only there: another visitor's token is refused.
    third = app.test_client()
    assert cached(third.get("/sign-in")) == "hit"
    refused = third.post("/sign-in", data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": tokens[0]})
    assert refused.status_code == 400
    # A public form's one-time key is new in each response, and the site's own.
    keys = []
    for _ in range(3):
        response = anonymous(app, "/t/youth/initiatives/add")
        keys.append(once_key(response.get_data(as_text=True)))
    assert cached(response) == "hit" and len(set(keys)) == 3
    with app.test_request_context():
        assert all(verified_key(key) for key in keys)


# -- changes by staff are seen at once --------------------------------------------------------


def test_a_team_page_edited_by_its_owner_is_seen_by_the_next_visitor(app, people):
    assert cached(anonymous(app, "/t/youth/")) == "miss"
    assert cached(anonymous(app, "/t/youth/")) == "hit"
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    saved = owner.post("/t/youth/manage/details", data={"name": "Youth Voice", "description": "Young people, heard"})
    assert saved.status_code == 302
    page = anonymous(app, "/t/youth/")
    assert cached(page) == "miss" and "Young people, heard" in page.get_data(as_text=True)


def test_a_module_switched_off_is_gone_from_the_next_visitors_page(app, people):
    enable(app, "initiatives")
    assert "/t/youth/initiatives/" in anonymous(app, "/t/youth/").get_data(as_text=True)
    assert cached(anonymous(app, "/t/youth/")) == "hit"
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    assert owner.post("/t/youth/manage/plugins/initiatives", data={"enabled": "0"}).status_code == 302
    page = anonymous(app, "/t/youth/")
    assert cached(page) == "miss" and "/t/youth/initiatives/" not in page.get_data(as_text=True)
    assert anonymous(app, "/t/youth/initiatives/").status_code == 404


def test_a_site_setting_changed_by_an_admin_is_seen_by_the_next_visitor(app, people):
    assert '<html lang="en"' in anonymous(app, "/").get_data(as_text=True)
    assert cached(anonymous(app, "/")) == "hit"
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    changed = admin.post("/admin/settings", data={"signup_enabled": "yes", "default_locale": "cy"})
    assert changed.status_code == 302
    page = anonymous(app, "/")
    assert cached(page) == "miss" and '<html lang="cy"' in page.get_data(as_text=True)


def test_a_change_outside_the_key_made_by_staff_in_the_browser_is_seen_at_once(app, people):
    """A new team is in no key: only the page version tells the home page it changed."""
    assert cached(anonymous(app, "/")) == "miss"
    assert cached(anonymous(app, "/")) == "hit"
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    before = page_version(app)
    created = admin.post("/admin/teams", data={"slug": "libraries", "name": "Libraries Together"})
    assert created.status_code == 302
    assert page_version(app) != before
    page = anonymous(app, "/")
    assert cached(page) == "miss" and "Libraries Together" in page.get_data(as_text=True)


def test_a_command_is_seen_by_the_next_visitor(app, people):
    assert cached(anonymous(app, "/")) == "miss"
    assert cached(anonymous(app, "/")) == "hit"
    result = CliRunner().invoke(build_cli(app), ["teams", "create", "allotments", "Allotment Growers"])
    assert result.exit_code == 0, result.output
    page = anonymous(app, "/")
    assert cached(page) == "miss" and "Allotment Growers" in page.get_data(as_text=True)


def test_a_visitors_submission_keeps_the_page_version_and_a_hidden_comment_changes_it(app, people):
    from coproduce_plugins.initiatives.demo import create_demo
    from coproduce_plugins.initiatives.models import Comment

    enable(app, "initiatives")
    with app.app_context():
        create_demo(get_team("youth"))
        comment = db.session.execute(db.select(Comment).where(Comment.status == "published")).scalars().first()
        comment_id, initiative_id, words = comment.id, comment.initiative_id, comment.body
    path = f"/t/youth/initiatives/{initiative_id}"
    assert cached(anonymous(app, path)) == "miss"
    before = page_version(app)
    # A resident's comment waits for a moderator: the page version stays, the page stays.
    posted = app.test_client().post(f"{path}/discuss", data={"name": "Sam", "body": "Lovely idea"})
    assert posted.status_code == 302 and page_version(app) == before
    assert cached(anonymous(app, path)) == "hit"
    # Reports from residents that hide a comment are seen by the very next visitor.
    for _ in range(3):
        assert app.test_client().post(f"/t/youth/initiatives/comments/{comment_id}/report").status_code == 302
    assert page_version(app) != before
    page = anonymous(app, path)
    assert cached(page) == "miss" and words not in page.get_data(as_text=True)


# -- the bound, and off ------------------------------------------------------------------------


def test_the_cache_holds_no_more_bytes_than_its_bound():
    now = [0.0]
    cache = PageCache(max_bytes=10_000, seconds=60, clock=lambda: now[0])

    def entry(size: int) -> Entry:
        return Entry(("x" * size,), (), size, now[0] + 60, False)

    for n in range(50):
        assert cache.put(b"%d" % n, entry(1_000))
        assert cache.size_bytes <= 10_000
    assert len(cache) == 10 and cache.get(b"49") is not None and cache.get(b"0") is None
    assert not cache.put(b"big", entry(2_600)), "an entry over a quarter of the bound is not kept"
    cache.get(b"40")  # used: kept when the next one needs room
    cache.put(b"new", entry(1_000))
    assert cache.get(b"40") is not None and cache.get(b"41") is None
    now[0] = 61.0
    assert cache.get(b"40") is None, "an entry lives PAGE_CACHE_SECONDS"
    assert cache.size_bytes <= 10_000


def test_the_app_keeps_its_bound(make_app, people):
    app = make_app(PAGE_CACHE_MB=1)
    cache = app.extensions["page_cache"]
    assert cache.max_bytes == 1024 * 1024
    cache.max_bytes = 60_000  # a few home pages
    for n in range(30):
        assert cached(anonymous(app, f"/?page={n}")) == "miss"
        assert cache.size_bytes <= 60_000
    assert 3 <= len(cache) < 30
    assert cached(anonymous(app, "/?page=29")) == "hit"


def test_page_cache_mb_0_turns_it_off(make_app, people):
    app = make_app(PAGE_CACHE_MB=0)
    seen: list[str] = []
    template_rendered.connect(lambda _a, template, **_k: seen.append(template.name), app, weak=False)
    for _ in range(3):
        response = anonymous(app, "/")
        assert response.status_code == 200 and cached(response) is None
    assert seen.count("public/home.html") == 3
    assert app.extensions["page_cache"] is None
