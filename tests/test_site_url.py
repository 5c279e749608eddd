"""Absolute links come from SITE_URL, and requests for other host names are refused."""

from coproduce.testing import add_user, outbox


def test_reset_request_with_a_forged_host_is_refused_and_sends_nothing(make_app):
    app = make_app(SITE_URL="https://coproduce.test")
    with app.app_context():
        add_user("member@example.org")
    client = app.test_client()
    response = client.post("/reset-password", data={"email": "member@example.org"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert outbox(app) == []


def test_forwarded_host_behind_the_proxy_is_refused(make_app):
    app = make_app(SITE_URL="https://coproduce.test", TRUST_PROXY=True, TRUSTED_PROXIES=["127.0.0.1"])
    with app.app_context():
        add_user("member@example.org")
    client = app.test_client()
    response = client.post(
        "/reset-password",
        data={"email": "member@example.org"},
        headers={"X-Forwarded-Host": "evil.example"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.status_code == 400
    assert outbox(app) == []


def test_reset_link_is_built_from_site_url_whatever_the_request_says(make_app):
    """Behind a proxy that speaks plain HTTP to the app, the link still uses SITE_URL's scheme and port."""
    app = make_app(SITE_URL="https://coproduce.test:8443")
    with app.app_context():
        add_user("member@example.org")
    client = app.test_client()
    response = client.post("/reset-password", data={"email": "member@example.org"}, base_url="http://coproduce.test")
    assert response.status_code == 200
    body = outbox(app)[0].get_payload(decode=True).decode()
    assert "https://coproduce.test:8443/reset-password/" in body


def test_links_made_outside_a_request_use_site_url(make_app):
    from flask import url_for

    app = make_app(SITE_URL="https://council.example", SERVER_NAME=None)
    with app.app_context():
        assert url_for("auth.sign_in", _external=True) == "https://council.example/sign-in"
        assert url_for("auth.sign_in") == "/sign-in"
