"""Sessions live on the server: sign-out ends them everywhere a cookie was copied, they time out,
sign-in starts a fresh one, and signed-in or private pages are never cached."""

import re
from datetime import timedelta

from coproduce.extensions import db
from coproduce.models import UserSession
from coproduce.testing import PASSWORD, sign_in

COOKIE = "coproduce_session"


def copy_of(app, client):
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE, domain="coproduce.test").value, domain="coproduce.test")
    return thief


def test_a_copied_cookie_stops_working_at_sign_out(app, people):
    member = app.test_client()
    sign_in(member, "member@example.org")
    thief = copy_of(app, member)
    assert thief.get("/account").status_code == 200
    member.post("/sign-out")
    assert thief.get("/account").status_code == 302
    assert member.get("/account").status_code == 302


def test_sign_out_everywhere_ends_every_session(app, people):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "member@example.org")
    sign_in(phone, "member@example.org")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Sign out everywhere" in page
    response = laptop.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "You have signed out on every device" in response.get_data(as_text=True)
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302
    sign_in(phone, "member@example.org")


def _age_sessions(app, **ago):
    with app.app_context():
        for row in db.session.execute(db.select(UserSession)).scalars():
            if "idle" in ago:
                row.last_seen_at = row.last_seen_at - ago["idle"]
            if "created" in ago:
                row.created_at = row.created_at - ago["created"]
                row.last_seen_at = row.last_seen_at - timedelta(seconds=30)
        db.session.commit()


def test_an_idle_session_ends_after_two_hours(app, people):
    member = app.test_client()
    sign_in(member, "member@example.org")
    _age_sessions(app, idle=timedelta(minutes=119))
    assert member.get("/account").status_code == 200  # and this visit counts as activity
    _age_sessions(app, idle=timedelta(minutes=121))
    assert member.get("/account").status_code == 302


def test_a_busy_session_still_ends_after_twelve_hours(app, people):
    member = app.test_client()
    sign_in(member, "member@example.org")
    _age_sessions(app, created=timedelta(hours=11, minutes=59))
    assert member.get("/account").status_code == 200
    _age_sessions(app, created=timedelta(minutes=2))
    assert member.get("/account").status_code == 302


def test_timeouts_are_settings(make_app, people):
    app = make_app(SESSION_IDLE_MINUTES=10)
    member = app.test_client()
    sign_in(member, "member@example.org")
    _age_sessions(app, idle=timedelta(minutes=11))
    assert member.get("/account").status_code == 302


def test_sign_in_starts_a_new_session_with_a_new_csrf_secret(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    before = client.get_cookie(COOKIE, domain="coproduce.test").value
    assert client.post("/sign-in", data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token})
    assert client.get_cookie(COOKIE, domain="coproduce.test").value != before
    # A token from before sign-in (one an attacker could have planted) no longer works.
    response = client.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert response.status_code == 400
    assert client.get("/account").status_code == 200


def test_changing_the_password_signs_out_other_devices_but_not_this_one(app, people):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "member@example.org")
    sign_in(phone, "member@example.org")
    new = "kettle orbit violin marsh"
    laptop.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_signed_in_pages_are_not_stored_and_public_ones_may_be(app, people):
    member = app.test_client()
    assert "no-store" not in app.test_client().get("/").headers.get("Cache-Control", "")
    sign_in(member, "member@example.org")
    for path in ("/", "/account", "/t/youth/dashboard"):
        assert member.get(path).headers.get("Cache-Control") == "no-store", path


def test_personal_data_downloads_are_not_stored(app, people):
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    response = admin.get(f"/admin/users/{people['member']}/personal-data")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_pages_reached_through_a_secret_link_are_not_stored(app, people):
    response = app.test_client().get("/reset-password/not-a-real-token")
    assert response.headers["Cache-Control"] == "no-store"


def test_supplier_pages_and_readiness_drafts_are_not_stored(app, people):
    from flask import current_app

    with app.app_context():
        from coproduce.testing import get_team

        team = get_team("youth")
        for name in ("procurement_social_value", "consultation_vs_coproduction"):
            current_app.extensions["plugins"].set_enabled(team, name, True)
    client = app.test_client()
    for path in ("/t/youth/social-value/supplier/1/not-a-token", "/t/youth/readiness/a/NOCODE/r/not-a-token/1"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
