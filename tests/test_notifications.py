"""Emails about work waiting for a person's teams: at once, a daily digest or none, in their language."""

from coproduce.extensions import db
from coproduce.models import NotificationChoice, User
from coproduce.notify import daily_digest, notify_at_once
from coproduce.testing import outbox, sign_in
from tests.dummy_plugin.models import DummyNote

SITE = "https://coproduce.example.gov.uk"


def _note(app, people, text):
    with app.app_context():
        db.session.add(DummyNote(team_id=people["team"], text=text))
        db.session.commit()


def _choose(app, user_id, choice):
    with app.app_context():
        db.session.merge(NotificationChoice(user_id=user_id, choice=choice))
        db.session.commit()


def _mails_to(app, email):
    return [(m["Subject"], m.get_payload(decode=True).decode()) for m in outbox(app) if m["To"] == email]


def test_each_person_chooses_at_once_a_daily_digest_or_none_on_their_account(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    assert "Email notifications" in client.get("/account").get_data(as_text=True)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'value="daily" checked' in page  # the default
    bad = client.post("/account/notifications", data={})
    assert bad.status_code == 200 and "Choose how often to hear from us" in bad.get_data(as_text=True)
    assert client.post("/account/notifications", data={"choice": "now"}).status_code == 302
    assert 'value="now" checked' in client.get("/account/notifications").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(NotificationChoice, people["member"]).choice == "now"


def test_at_once_tells_each_person_about_new_things_only_with_direct_links(make_app, people):
    app = make_app(SITE_URL=SITE)
    _choose(app, people["member"], "now")
    _choose(app, people["owner"], "none")
    with app.app_context():
        assert notify_at_once() == 0  # nothing waiting
    _note(app, people, "Ring the youth club")
    with app.app_context():
        assert notify_at_once() == 1
        assert notify_at_once() == 0  # told once
    ((subject, body),) = _mails_to(app, "member@example.org")
    assert subject == "New work is waiting for your team"
    assert "Hello Member," in body and "Dummy notes to read: Ring the youth club" in body
    assert f"{SITE}/t/youth/" in body
    _note(app, people, "Book the hall")
    with app.app_context():
        notify_at_once()
    latest = _mails_to(app, "member@example.org")[-1][1]
    assert "Book the hall" in latest and "Ring the youth club" not in latest
    assert _mails_to(app, "owner@example.org") == []  # chose none


def test_the_daily_digest_lists_everything_waiting_in_the_persons_language(make_app, people):
    app = make_app(SITE_URL=SITE)
    _choose(app, people["member"], "none")
    with app.app_context():
        db.session.get(User, people["owner"]).preferred_locale = "cy"
        db.session.commit()
        assert daily_digest() == 0  # nothing waiting: no email
    _note(app, people, "Ring the youth club")
    with app.app_context():
        assert daily_digest() == 1  # the owner (daily by default); the member chose none
    ((subject, body),) = _mails_to(app, "owner@example.org")
    assert subject == "Eich crynodeb dyddiol: beth sy'n aros am eich timau"
    assert "Helo Owner," in body and "Ring the youth club" in body and f"{SITE}/t/youth/" in body


def test_emails_and_the_choice_are_in_subject_access_and_go_with_erasure(app, people):
    import json

    from coproduce.models import OutgoingMail, WaitingNotice

    _choose(app, people["member"], "now")
    _note(app, people, "Ring the youth club")
    with app.app_context():
        notify_at_once()
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    data = json.loads(admin.get(f"/admin/users/{people['member']}/personal-data").data)
    assert data["email_notifications"] == "now"
    assert [m["subject"] for m in data["emails"]] == ["New work is waiting for your team"]
    assert admin.post(f"/admin/users/{people['member']}/erase").status_code == 302
    with app.app_context():
        assert (
            db.session.execute(db.select(OutgoingMail).where(OutgoingMail.recipient == "member@example.org")).first()
            is None
        )
        assert db.session.get(NotificationChoice, people["member"]) is None
        assert db.session.execute(db.select(WaitingNotice)).first() is None


def test_on_a_bilingual_welsh_site_both_emails_are_in_welsh_then_english(make_app, people):
    """The Welsh Language Standards: emails to the public and staff in Welsh and English together, Welsh first;
    a person reading another language still gets theirs alone."""
    app = make_app(SITE_URL=SITE, WELSH_BILINGUAL=True)
    _choose(app, people["member"], "now")
    with app.app_context():
        db.session.get(User, people["member"]).preferred_locale = "pl"
        db.session.commit()
    _note(app, people, "Ring the youth club")
    with app.app_context():
        assert daily_digest() == 1  # the owner
        assert notify_at_once() == 1  # the member, in Polish
    ((subject, body),) = _mails_to(app, "owner@example.org")
    assert " ".join(subject.split()) == (  # a long header is folded over two lines
        "Eich crynodeb dyddiol: beth sy'n aros am eich timau / Your daily digest: what is waiting for your teams"
    )
    assert body.index("Helo Owner,") < body.index("Hello Owner,")
    assert body.count("Ring the youth club") == 2 and body.count(f"{SITE}/t/youth/") == 2
    ((subject, body),) = _mails_to(app, "member@example.org")
    assert " / " not in subject and "Hello" not in body and "Helo" not in body
