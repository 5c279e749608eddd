"""Pre-registration: an account does nothing until its owner proves they read mail sent to its address."""

import re
import statistics
import time

import sqlalchemy as sa
from flask_migrate import upgrade

from coproduce.extensions import db
from coproduce.migrations_config import MIGRATIONS_DIR
from coproduce.models import Membership, User
from coproduce.testing import PASSWORD, outbox, sign_in


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def confirm_link(message) -> str:
    return re.search(r"https?://\S+(/confirm-email/\S+)", body(message)).group(1)


def invite_link(message) -> str:
    return re.search(r"https?://\S+(/reset-password/\S+)", body(message)).group(1)


SIGN_UP = {"display_name": "Ola", "email": "ola@example.org", "password": "a long quiet garden path"}


def test_sign_up_does_not_sign_in_until_the_email_is_confirmed(app, people):
    client = app.test_client()
    response = client.post("/sign-up", data=SIGN_UP)
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not signed in
    refused = client.post("/sign-in", data={"email": "ola@example.org", "password": SIGN_UP["password"]})
    assert refused.status_code == 200
    assert "Confirm your email address before you sign in" in refused.get_data(as_text=True)
    link = confirm_link(outbox(app)[-1])
    page = client.get(link)
    assert page.status_code == 200 and "Confirm your email address" in page.get_data(as_text=True)
    with app.app_context():  # following the link (a mail scanner does) is not enough: a button confirms
        assert (
            db.session.execute(db.select(User).where(User.email == "ola@example.org")).scalar_one().is_confirmed
            is False
        )
    assert client.post(link).status_code == 302
    sign_in(client, "ola@example.org", SIGN_UP["password"])
    assert client.get("/account").status_code == 200


def test_sign_up_looks_the_same_whether_or_not_the_address_has_an_account(app, people):
    known = app.test_client().post("/sign-up", data={**SIGN_UP, "email": "member@example.org"})
    new = app.test_client().post("/sign-up", data=SIGN_UP)
    assert known.status_code == new.status_code == 200
    strip = lambda page: re.sub(r'value="[^"]*"', "", re.sub(r'nonce-[^"\']+|nonce="[^"]+"', "", page))  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(new.get_data(as_text=True))
    assert sorted(m["To"] for m in outbox(app)) == ["member@example.org", "ola@example.org"]


def test_pre_registered_address_gets_an_invitation_not_the_membership(app, people):
    """Someone signs up with a staff member's address; when the owner adds that address, the real
    person is invited, and the squatter never reaches the team."""
    squatter = app.test_client()
    squatter.post("/sign-up", data={**SIGN_UP, "email": "staff@example.org"})
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    response = owner.post(
        "/t/youth/manage/members",
        data={"email": "staff@example.org", "display_name": "Sam Staff", "role": "owner"},
        follow_redirects=True,
    )
    assert "We sent an invitation to staff@example.org" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "staff@example.org")).scalar_one()
        assert db.session.execute(db.select(Membership).where(Membership.user_id == user.id)).first() is None
    invitation = outbox(app)[-1]
    assert invitation["To"] == "staff@example.org"
    refused = squatter.post("/sign-in", data={"email": "staff@example.org", "password": SIGN_UP["password"]})
    assert refused.status_code == 200
    assert squatter.get("/t/youth/manage/members").status_code in (302, 403, 404)
    staff = app.test_client()
    link = invite_link(invitation)
    staff.post(link, data={"password": "my own quiet garden path", "confirm": "my own quiet garden path"})
    assert staff.get("/t/youth/manage/members").status_code == 200
    assert (
        squatter.post("/sign-in", data={"email": "staff@example.org", "password": SIGN_UP["password"]}).status_code
        == 200
    )


def test_changing_the_email_address_needs_a_new_confirmation(app, people):
    with app.app_context():
        user = db.session.get(User, people["member"])
        assert user.is_confirmed
        user.email = "member.new@example.org"
        db.session.commit()
        assert not user.is_confirmed
    refused = app.test_client().post("/sign-in", data={"email": "member.new@example.org", "password": PASSWORD})
    assert refused.status_code == 200


def test_invited_account_without_a_password_takes_as_long_to_refuse_as_any(app, people):
    from argon2 import PasswordHasher

    from coproduce.models import user as user_module

    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    owner.post("/t/youth/manage/members", data={"email": "new@example.org", "display_name": "New", "role": "member"})
    quick, user_module._hasher = user_module._hasher, PasswordHasher()  # the site's real cost
    try:
        with app.app_context():
            member = db.session.get(User, people["member"])
            member.password_hash = user_module._hasher.hash(PASSWORD)
            db.session.commit()

        def timed(email: str) -> float:
            client = app.test_client()
            start = time.perf_counter()
            client.post("/sign-in", data={"email": email, "password": "a guess at the password"})
            return time.perf_counter() - start

        invited = statistics.median(timed("new@example.org") for _ in range(5))
        real = statistics.median(timed("member@example.org") for _ in range(5))
    finally:
        user_module._hasher = quick
    assert invited > real * 0.6, (invited, real)


def test_accounts_that_existed_before_the_upgrade_count_as_confirmed(make_app, databases):
    url = databases.create_empty()
    app = make_app(DATABASE_URL=url, plugins=[])
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="0002_core")
        db.session.execute(
            sa.text(
                'INSERT INTO "user" (email, display_name, password_hash, is_site_admin, is_disabled, '
                "session_version, created_at) VALUES ('old@example.org', 'Old', '', false, false, 1, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR), revision="core@head")
        assert db.session.execute(sa.text('SELECT email_confirmed_at FROM "user"')).scalar() is not None
