"""Emails go through the task queue, sent by a real worker process to a real SMTP server (aiosmtpd),
on the SQLite queue in the instance folder and on Redis."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta

from coproduce.extensions import db
from coproduce.models import OutgoingMail
from coproduce.testing import add_user, sign_in
from coproduce.testing.smtp import wait_until


def _queued_app(make_app, server, queue_settings, **extra):
    return make_app(TASKS_IMMEDIATE=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, **queue_settings, **extra)


def _mails(app):
    with app.app_context():
        return db.session.execute(db.select(OutgoingMail).order_by(OutgoingMail.id)).scalars().all()


def test_a_stalled_mail_server_holds_up_no_page_and_the_email_arrives_when_it_recovers(
    make_app, mail_server, queue_settings, workers
):
    app = _queued_app(make_app, mail_server, queue_settings)
    with app.app_context():
        add_user("member@example.org")
    worker = workers(app)
    mail_server.stall()
    client = app.test_client()
    started = time.monotonic()
    response = client.post("/reset-password", data={"email": "member@example.org"})
    took = time.monotonic() - started
    assert response.status_code == 200
    # The page has answered while the mail server is still stalled (it recovers only below).
    assert took < 5, f"the page took {took:.1f} s while the mail server stalled"
    assert wait_until(lambda: mail_server.stalled_sessions >= 1, 60), "the worker never reached the mail server"
    time.sleep(0.5)
    assert mail_server.messages == []
    mail_server.recover()
    received = mail_server.wait_for(1, 60)
    assert len(received) == 1
    assert received[0]["To"] == "member@example.org"
    assert "/reset-password/" in received[0].get_payload(decode=True).decode()
    assert wait_until(lambda: _mails(app)[0].status == "sent", 30)
    assert worker.poll() is None


def test_a_worker_killed_mid_send_leaves_the_email_to_another_which_sends_it_once(
    make_app, mail_server, queue_settings, workers
):
    from coproduce.mail import send_mail

    app = _queued_app(make_app, mail_server, queue_settings, MAIL_LEASE_SECONDS=2)
    first = workers(app)
    mail_server.stall()
    with app.app_context():
        send_mail("resident@example.org", "Your offer of help", "Thank you for offering to help.")
    assert wait_until(lambda: mail_server.stalled_sessions >= 1, 60), "the worker never reached the mail server"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    mail_server.recover()
    assert _mails(app)[0].status == "waiting"
    time.sleep(2.5)  # the dead worker's claim runs out
    workers(app)
    received = mail_server.wait_for(1, 60)
    time.sleep(2)  # anything more would arrive now
    assert [m["To"] for m in mail_server.messages] == ["resident@example.org"]
    assert received[0]["Subject"] == "Your offer of help"
    (mail,) = _mails(app)
    assert mail.status == "sent"
    assert mail.attempts == 2
    assert received[0]["Message-ID"] == mail.message_id


def test_a_failing_send_is_retried_with_longer_waits_then_listed_for_site_admins_who_can_retry_it(
    make_app, mail_server, people
):
    from coproduce import mail as mail_module

    # Immediate jobs, but a real SMTP address where nothing listens: every attempt fails.
    app = make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=mail_server.port + 1 if mail_server.port < 65535 else 1,
        MAIL_MAX_ATTEMPTS=3,
        MAIL_TIMEOUT=2,
    )
    with app.app_context():
        mail_module.send_mail("member@example.org", "Hello", "A body")
        mail = db.session.execute(db.select(OutgoingMail)).scalar_one()
        assert (mail.status, mail.attempts) == ("waiting", 1)
        first_wait = mail.due_at - datetime.now(UTC)
        assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
        assert app.extensions["huey"].scheduled_count() == 1  # the retry is scheduled, not lost
        assert mail_module.deliver(mail.id) == "skipped"  # not before its time
        waits = [mail_module.retry_wait(n) for n in (1, 2, 3, 12)]
        assert waits == [30, 60, 120, 3600]
        for _attempt in (2, 3):
            db.session.execute(db.update(OutgoingMail).values(due_at=datetime.now(UTC) - timedelta(seconds=1)))
            db.session.commit()
            mail_module.deliver(mail.id)
        db.session.refresh(mail)
        assert (mail.status, mail.attempts) == ("failed", 3)
        assert "ConnectionRefusedError" in mail.last_error
        mail_id = mail.id

    client = app.test_client()
    sign_in(client, "member@example.org")
    assert client.get("/admin/emails/").status_code == 403
    client.post("/sign-out")
    sign_in(client, "admin@example.org")
    page = client.get("/admin/emails/").get_data(as_text=True)
    assert "member@example.org" in page and "Hello" in page and "ConnectionRefusedError" in page
    health = client.get("/healthz").get_json()
    assert health["queue"]["emails_failed"] == 1

    app.config["MAIL_PORT"] = mail_server.port  # the mail server is put right
    response = client.post(f"/admin/emails/{mail_id}/retry", follow_redirects=True)
    assert "queued to be sent again" in response.get_data(as_text=True)
    assert [m["Subject"] for m in mail_server.wait_for(1, 10)] == ["Hello"]
    assert "Every email was sent" in client.get("/admin/emails/").get_data(as_text=True)
    assert client.post(f"/admin/emails/{mail_id}/retry").status_code == 404  # sent: nothing to retry


def test_without_a_mail_server_emails_still_land_in_the_outbox(app, people):
    from coproduce.testing import outbox

    client = app.test_client()
    client.post("/reset-password", data={"email": "member@example.org"})
    (message,) = outbox(app)
    assert message["To"] == "member@example.org"
    assert message["Message-ID"]


def test_periodic_jobs_fire_at_their_times_on_the_real_queue(make_app, queue_settings, tmp_path):
    """The consumer's own scheduler and worker, driven with the clock given: the sweep every minute,
    retention at 03:15 UTC (here, removing an outbox file older than three months)."""
    app = make_app(TASKS_IMMEDIATE=False, **queue_settings)
    huey = app.extensions["huey"]
    huey.flush()
    old = os.path.join(app.instance_path, "outbox", "old.eml")
    os.makedirs(os.path.dirname(old), exist_ok=True)
    with open(old, "wb") as file:
        file.write(b"Subject: old\n\nold")
    os.utime(old, (time.time() - 200 * 86400,) * 2)
    consumer = huey.create_consumer(workers=1, periodic=True)
    worker, scheduler = consumer._create_worker(), consumer._create_scheduler()

    def fire(at: datetime) -> list[str]:
        scheduler.enqueue_periodic_tasks(at)
        names = sorted(task.name for task in huey.pending())
        while huey.pending_count():
            worker.loop(at)
        return names

    every_minute = ["coproduce.notify_at_once", "coproduce.sweep_jobs", "coproduce.sweep_mail"]
    assert fire(datetime(2026, 12, 2, 3, 14)) == every_minute
    assert os.path.exists(old)
    assert fire(datetime(2026, 12, 2, 3, 15)) == sorted(every_minute + ["coproduce.retention"])
    assert not os.path.exists(old)
    assert fire(datetime(2026, 12, 2, 3, 16)) == every_minute
    assert fire(datetime(2026, 12, 2, 7, 0)) == sorted(every_minute + ["coproduce.daily_digest"])
    # Mondays at 08:00 UTC, the plugins' reminders (scheduled through coproduce.plugins.schedule_task).
    assert fire(datetime(2026, 12, 7, 8, 0)) == every_minute + [
        "procurement_social_value.reminders",
        "project_pack.reminders",
    ]
    assert fire(datetime(2026, 12, 8, 8, 0)) == every_minute


def test_a_sent_email_keeps_no_text_and_its_record_goes_after_a_month(app, people):
    from coproduce.retention import apply_all

    client = app.test_client()
    client.post("/reset-password", data={"email": "member@example.org"})
    with app.app_context():
        (mail,) = db.session.execute(db.select(OutgoingMail)).scalars().all()
        assert mail.status == "sent" and mail.body == ""  # the reset link is not kept in the database
        results = {r.rule.name: r.count for r in apply_all(True, now=mail.sent_at + timedelta(days=20))}
        assert results["core.sent_mail"] == 0
        results = {r.rule.name: r.count for r in apply_all(False, now=mail.sent_at + timedelta(days=40))}
        db.session.commit()
        assert results["core.sent_mail"] == 1
        assert db.session.execute(db.select(OutgoingMail)).first() is None
