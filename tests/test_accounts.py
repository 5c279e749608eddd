"""Accounts: sign in and out, sign-up switch, password reset links, rate limits, CSRF."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

from coproduce.extensions import db
from coproduce.models import AuditEvent, User
from coproduce.testing.fixtures import PASSWORD, add_user, sign_in


def outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def link_in(message) -> str:
    return re.search(r"https?://\S+(/reset-password/\S+)", message.get_payload(decode=True).decode()).group(1)


def test_sign_in_and_out(client, people):
    response = client.post(
        "/sign-in?next=/t/youth/dashboard", data={"email": "Member@Example.org ", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/t/youth/dashboard"
    assert client.get("/t/youth/dashboard").status_code == 200
    client.post("/sign-out")
    assert client.get("/t/youth/dashboard").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, people):
    wrong = client.post("/sign-in", data={"email": "member@example.org", "password": "nope nope nope"})
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": "nope nope nope"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The email address or password is not right" in response.get_data(as_text=True)


def test_empty_sign_in_shows_errors_beside_the_fields(client):
    page = client.post("/sign-in", data={}).get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#email"' in page and "Enter an email address" in page
    assert "Enter your password" in page
    assert "<title>Error: " in page


def test_sign_in_never_redirects_to_another_site(client, people):
    response = client.post("/sign-in?next=//evil.example/x", data={"email": "member@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_disabled_account_cannot_sign_in_and_is_signed_out(app, people):
    member = app.test_client()
    sign_in(member, "member@example.org")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    assert admin.post(f"/admin/users/{people['member']}/disable").status_code == 302
    assert member.get("/account").status_code == 302
    response = member.post("/sign-in", data={"email": "member@example.org", "password": PASSWORD})
    assert response.status_code == 200


def test_sign_in_is_rate_limited_with_a_friendly_page(make_app, people):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post("/sign-in", data={"email": "member@example.org", "password": "wrong wrong"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    page = client.post("/sign-in", data={"email": "member@example.org", "password": PASSWORD})
    assert page.status_code == 429
    text = page.get_data(as_text=True)  # the form again, with the address kept and how long to wait
    assert "Your answers are kept" in text and 'value="member@example.org"' in text
    assert "then send the form again" in text


def test_forms_without_a_csrf_token_are_refused(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "member@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/sign-in", data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


def test_sign_up_creates_an_account_unless_switched_off(app, people):
    client = app.test_client()
    response = client.post(
        "/sign-up", data={"display_name": "Ola", "email": "ola@example.org", "password": "twelve chars!!"}
    )
    assert response.status_code == 200  # a confirmation link is emailed first (tests/test_email_confirmation.py)
    assert outbox(app)[-1]["To"] == "ola@example.org"
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    admin.post("/admin/settings", data={"signup_enabled": "no", "default_locale": "en"})
    closed = app.test_client().get("/sign-up")
    assert closed.status_code == 403 and "Accounts are by invitation" in closed.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())).scalars().first()
            == "site.settings_changed"
        )


def test_sign_up_with_a_known_email_does_not_reveal_the_account(app, people):
    response = app.test_client().post(
        "/sign-up", data={"display_name": "X", "email": "member@example.org", "password": "twelve chars!!"}
    )
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox(app)[-1]["To"] == "member@example.org"


def test_short_password_is_refused_beside_the_field_and_nothing_stored(app):
    response = app.test_client().post(
        "/sign-up", data={"display_name": "Ola", "email": "ola@example.org", "password": "short"}
    )
    assert "Password must be between 12 and 200 characters" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(User).where(User.email == "ola@example.org")).first() is None


def test_password_reset_link_works_once(app, people):
    client = app.test_client()
    client.post("/reset-password", data={"email": "member@example.org"})
    link = link_in(outbox(app)[-1])
    assert client.get(link).status_code == 200
    assert (
        client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"}).status_code
        == 302
    )
    assert client.get(link).status_code == 404
    fresh = app.test_client()
    sign_in(fresh, "member@example.org", "a brand new password")


def test_password_reset_for_unknown_email_looks_the_same_and_sends_nothing(app):
    response = app.test_client().post("/reset-password", data={"email": "nobody@example.org"})
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_password_reset_link_expires_after_an_hour(app, people):
    from coproduce.tokens import make_password_token, read_password_token

    with app.app_context():
        user = db.session.get(User, people["member"])
        token = make_password_token(user)
        assert read_password_token(token) is not None
        later = datetime.now(UTC) + timedelta(minutes=61)
        assert read_password_token(token, now=later) is None
        invite = make_password_token(user, "invite")
        assert read_password_token(invite, now=later) is not None
        assert read_password_token(invite, now=later + timedelta(days=7)) is None


def test_change_password_needs_the_current_one(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    wrong = client.post(
        "/account/password",
        data={"current": "not it at all", "password": "another good one", "confirm": "another good one"},
    )
    assert "The current password is not right" in wrong.get_data(as_text=True)
    ok = client.post(
        "/account/password", data={"current": PASSWORD, "password": "another good one", "confirm": "another good one"}
    )
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200  # this browser stays signed in


def test_team_owner_invites_a_new_person_who_sets_a_password(app, people):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    response = owner.post(
        "/t/youth/manage/members", data={"email": "newbie@example.org", "display_name": "Newbie", "role": "member"}
    )
    assert response.status_code == 302
    message = outbox(app)[-1]
    assert message["To"] == "newbie@example.org"
    newbie = app.test_client()
    newbie.post(link_in(message), data={"password": "my first password", "confirm": "my first password"})
    assert newbie.get("/t/youth/dashboard").status_code == 200


def test_site_admin_actions_land_in_the_audit_log_and_can_be_filtered(app, people):
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    admin.post("/admin/teams", data={"slug": "adult-care", "name": "Adult social care", "description": ""})
    admin.post(f"/admin/users/{people['citizen']}/make-admin")
    page = admin.get("/admin/audit?action=team.").get_data(as_text=True)
    assert "team.created" in page and "user.make_admin" not in page
    page = admin.get("/admin/audit?actor=admin@example.org").get_data(as_text=True)
    assert "user.make_admin" in page and "team.created" in page
    assert "0 events" in admin.get("/admin/audit?from=2099-01-01").get_data(as_text=True)


def test_duplicate_team_slug_is_refused_beside_the_field(app, people):
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    page = admin.post("/admin/teams", data={"slug": "youth", "name": "Again"}).get_data(as_text=True)
    assert "A team already uses this web address name" in page


def test_last_owner_cannot_be_removed(app, people):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    with app.app_context():
        from coproduce.models import Membership

        mine = db.session.execute(db.select(Membership).where(Membership.user_id == people["owner"])).scalar_one()
        mine_id = mine.id
    owner.post(f"/t/youth/manage/members/{mine_id}/remove")
    assert owner.get("/t/youth/manage/members").status_code == 200


def test_passwords_are_argon2_hashes(ctx):
    user = add_user("hash@example.org")
    assert user.password_hash.startswith("$argon2id$")


def test_the_site_hashes_passwords_with_argon2_at_full_cost():
    """The tests hash quickly (tests/fixtures.py); a site on its own must not."""
    import subprocess
    import sys

    from argon2 import Parameters, extract_parameters
    from argon2.profiles import RFC_9106_LOW_MEMORY

    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coproduce.models.user import User; u = User(); "
            "u.set_password('a long pass phrase'); print(u.password_hash)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    used: Parameters = extract_parameters(printed)
    assert used.type.name == "ID"
    assert used.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost and used.time_cost >= RFC_9106_LOW_MEMORY.time_cost
