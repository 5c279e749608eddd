"""Static files: fingerprinted names cached as immutable, brotli or gzip when the browser accepts it, the site's
headers, and a repeat page view that asks the server for nothing but the page."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import brotli
import pytest

from coproduce.assets import hashed_name

ASSET = re.compile(r'(?:href|src)="(/(?:static|theme/static)/[^"?]+)"')


def _assets(client, path: str = "/") -> list[str]:
    return ASSET.findall(client.get(path).get_data(as_text=True))


def test_every_asset_a_page_links_has_a_fingerprinted_name_cached_for_a_year(client):
    linked = _assets(client)
    assert len(linked) >= 5  # GOV.UK's CSS and JS, ours, the theme's logo and icon
    for url in linked:
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} has no fingerprint"
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable", url
    assert _assets(client) == linked  # the next page view links the same names: nothing to fetch again


def test_a_plain_name_still_works_for_an_hour_and_a_changed_file_gets_a_new_name(client):
    plain = client.get("/static/coproduce.css")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "max-age=3600, public"
    assert hashed_name("a/site.css", b"one") != hashed_name("a/site.css", b"two")
    assert hashed_name("a/site.css", b"one").startswith("a/site.") and hashed_name("x", b"1").startswith("x.")
    assert client.get("/static/coproduce.000000000000.css").status_code == 404


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip"), ("", None)])
def test_the_smallest_copy_the_browser_accepts_is_sent_and_is_the_same_file(client, app, accept, encoding):
    css = next(u for u in _assets(client) if "govuk-frontend" in u and u.endswith(".css"))
    original = (Path(app.static_folder) / "govuk/govuk-frontend.min.css").read_bytes()
    response = client.get(css, headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers.get("Vary", "")
    body = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](response.data)
    assert body == original
    if encoding:
        assert len(response.data) < len(original) / 4  # 131 KB of CSS is 13 KB of brotli


def test_a_compressed_copy_older_than_its_file_is_never_sent(make_app, tmp_path):
    app = make_app()
    folder = Path(app.static_folder)
    source = folder / "coproduce.css"
    stale = source.with_name("coproduce.css.br")
    if not stale.exists():
        pytest.skip("the build made no compressed copies here (no Node.js)")
    before = stale.stat()
    try:
        os.utime(stale, (before.st_atime, source.stat().st_mtime - 10))
        fresh_app = make_app()
        response = fresh_app.test_client().get("/static/coproduce.css", headers={"Accept-Encoding": "br"})
        assert response.headers.get("Content-Encoding") is None
        assert response.data == source.read_bytes()
    finally:
        os.utime(stale, (before.st_atime, before.st_mtime))


def test_static_files_carry_the_sites_headers(client):
    for url in _assets(client):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert headers.get("Access-Control-Allow-Origin") is None, url


def test_plugin_files_are_fingerprinted_too(app, people):
    from coproduce.testing import get_team

    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "initiatives", True)
    linked = _assets(app.test_client(), "/t/youth/initiatives/map")
    plugin = [u for u in linked if u.startswith("/static/plugins/initiatives/")]
    assert plugin, linked
    for url in plugin:
        assert app.test_client().get(url).headers["Cache-Control"].endswith("immutable"), url


@pytest.mark.browser
def test_a_repeat_page_view_asks_the_server_only_for_the_page(live_server, page):
    app = live_server.app
    asked: list[str] = []
    serve = app.wsgi_app

    def counting(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return serve(environ, start_response)

    app.wsgi_app = counting
    page.goto(live_server.url + "/accessibility")
    page.wait_for_load_state("networkidle")  # the icon is asked for after the page has loaded
    assert len(asked) >= 5, asked  # the page, its CSS, JavaScript, logo and icon
    asked.clear()
    page.goto(live_server.url + "/privacy")
    page.wait_for_load_state("load")
    assert asked == ["/privacy"], asked
