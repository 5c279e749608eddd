"""Outgoing email, off the request path.

`send_mail` keeps the email in the database (table outgoing_mail) and queues a job; a worker
(`coproduce worker`) sends it: over SMTP when MAIL_SERVER is set, otherwise as a file in the instance
outbox. A send that fails is tried again later, each wait twice the last (MAIL_RETRY_SECONDS, then
doubling, at most an hour), and after MAIL_MAX_ATTEMPTS it is marked failed and listed for site admins
(/admin/emails), who can try it again. A job lost with its worker is found again by the sweep (every
minute, and when a worker starts) once its claim has run out (MAIL_LEASE_SECONDS).

Call send_mail after committing your own changes: it writes on a connection of its own.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, or_, select, update

from coproduce.extensions import db
from coproduce.models.mail import FAILED, SENT, WAITING, OutgoingMail
from coproduce.models.types import utcnow

logger = logging.getLogger("coproduce.mail")
TABLE = OutgoingMail.__table__
DEFAULTS = {
    "MAIL_TIMEOUT": 30,  # seconds to wait for the mail server at each step
    "MAIL_LEASE_SECONDS": 300,  # how long a worker's claim on an email lasts
    "MAIL_MAX_ATTEMPTS": 10,
    "MAIL_RETRY_SECONDS": 30,  # the first wait after a failure; each later wait doubles
}
MAX_RETRY_WAIT = 3600


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def outbox_path() -> Path:
    return Path(current_app.instance_path) / "outbox"


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue an email to one address. Returns at once; a worker sends it."""
    domain = (current_app.config.get("MAIL_FROM") or "coproduce@localhost").rpartition("@")[2] or "localhost"
    now = utcnow()
    with db.engine.begin() as connection:
        result = connection.execute(
            insert(TABLE).values(
                message_id=make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain),
                recipient=to,
                subject=str(subject),
                body=str(body),
                status=WAITING,
                attempts=0,
                due_at=now,
                created_at=now,
            )
        )
        mail_id = result.inserted_primary_key[0]  # type: ignore[index]
    enqueue(mail_id)


#: Between the Welsh and the English of a bilingual email.
BILINGUAL_DIVIDER = "\n\n" + "-" * 40 + "\n\n"


def send_mail_in_print_languages(to: str, compose: Callable[[], tuple[str, str]]) -> None:
    """Queue an email that compose() writes as (subject, body) in the current language; on a bilingual
    site (WELSH_BILINGUAL) it is written in Welsh, then English, and both go in one email."""
    from coproduce.content import in_print_languages  # noqa: PLC0415 - content reads the request's language

    parts = [written for _lang, written in in_print_languages(compose)]
    subject = " / ".join(str(part[0]) for part in parts)
    body = BILINGUAL_DIVIDER.join(str(part[1]) for part in parts)
    send_mail(to, subject, body)


def enqueue(mail_id: int, delay: int | None = None) -> None:
    """Queue the job that sends one email; when the queue cannot be reached, the sweep finds it later."""
    task = current_app.extensions["tasks"].deliver_mail
    try:
        if delay:
            task.schedule(args=(mail_id,), delay=delay)
        else:
            task(mail_id)
    except Exception:  # noqa: BLE001 - the email is kept; the sweep queues it again
        logger.exception("email %s kept but not queued; the sweep will queue it", mail_id)


def retry_wait(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts."""
    return min(_setting("MAIL_RETRY_SECONDS") * 2 ** max(attempts - 1, 0), MAX_RETRY_WAIT)


def _claim(mail_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(TABLE)
        .where(
            TABLE.c.id == mail_id,
            TABLE.c.status == WAITING,
            TABLE.c.due_at <= now + timedelta(seconds=1),
            or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=_setting("MAIL_LEASE_SECONDS")), attempts=TABLE.c.attempts + 1)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return claimed == 1


def deliver(mail_id: int) -> str:
    """The job: send one email unless it is sent, given up on, or another worker holds it."""
    now = utcnow()
    if not _claim(mail_id, now):
        return "skipped"
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None:  # erased between the claim and now
        return "skipped"
    try:
        transmit(mail)
    except Exception as error:  # noqa: BLE001 - every failure is kept and tried again
        mail.last_error = f"{type(error).__name__}: {error}"[:500]
        mail.claimed_until = None
        if mail.attempts >= _setting("MAIL_MAX_ATTEMPTS"):
            mail.status = FAILED
            db.session.commit()
            logger.error(
                "email %s to %s failed %d times; listed for site admins", mail.id, mail.recipient, mail.attempts
            )
            return "failed"
        wait = retry_wait(mail.attempts)
        mail.due_at = utcnow() + timedelta(seconds=wait)
        db.session.commit()
        logger.warning("email %s not sent (%s); trying again in %d s", mail.id, mail.last_error, wait)
        enqueue(mail.id, wait)
        return "retrying"
    mail.status = SENT
    mail.body = ""  # sent: the text (which may hold a one-time link) is not kept
    mail.sent_at = utcnow()
    mail.claimed_until = None
    mail.last_error = None
    db.session.commit()
    return "sent"


def build_message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = format_datetime(mail.created_at)
    message.set_content(mail.body)
    return message


def transmit(mail: OutgoingMail) -> None:
    config = current_app.config
    message = build_message(mail)
    if not config.get("MAIL_SERVER"):
        folder = outbox_path()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        partial = folder / f".{stamp}-{mail.id}.part"
        partial.write_bytes(bytes(message))
        partial.rename(folder / f"{stamp}-{mail.id}.eml")
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=_setting("MAIL_TIMEOUT")) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def sweep(now: datetime | None = None) -> int:
    """Queue again every waiting email whose job seems lost: due longer ago than a claim lasts, and unclaimed."""
    now = now or utcnow()
    stale = now - timedelta(seconds=_setting("MAIL_LEASE_SECONDS"))
    ids = (
        db.session.execute(
            select(TABLE.c.id).where(
                TABLE.c.status == WAITING,
                TABLE.c.due_at < stale,
                or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
            )
        )
        .scalars()
        .all()
    )
    db.session.rollback()
    for mail_id in ids:
        enqueue(mail_id)
    return len(ids)


def retry_failed(mail_id: int) -> bool:
    """A site admin's "try again": the email waits once more, with its attempts counted afresh."""
    changed = db.session.execute(
        update(TABLE)
        .where(TABLE.c.id == mail_id, TABLE.c.status == FAILED)
        .values(status=WAITING, attempts=0, due_at=utcnow(), claimed_until=None)
    ).rowcount  # type: ignore[attr-defined]
    db.session.commit()
    if changed:
        enqueue(mail_id)
    return bool(changed)


def retention_rule():
    """Sent emails' records (address, subject, when) go after a month; waiting and failed ones stay."""
    from coproduce.retention import RetentionRule

    def apply(cutoff: datetime, dry_run: bool) -> int:
        old = (TABLE.c.status == SENT) & (TABLE.c.sent_at < cutoff)
        if dry_run:
            return db.session.execute(select(func.count()).select_from(TABLE).where(old)).scalar_one()
        return db.session.execute(TABLE.delete().where(old)).rowcount  # type: ignore[attr-defined]

    return RetentionRule("core.sent_mail", "records of emails already sent", 1, apply)


def mail_counts() -> dict:
    """Emails waiting and failed, and when the oldest waiting one was queued."""
    counts: dict = dict(db.session.execute(select(TABLE.c.status, func.count()).group_by(TABLE.c.status)).all())
    oldest = db.session.execute(select(func.min(TABLE.c.created_at)).where(TABLE.c.status == WAITING)).scalar()
    if isinstance(oldest, datetime) and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return {
        "emails_waiting": counts.get(WAITING, 0),
        "emails_failed": counts.get(FAILED, 0),
        "oldest_waiting_email": oldest.isoformat() if oldest else None,
    }


__all__ = ["SENT", "FAILED", "WAITING", "send_mail", "deliver", "sweep", "retry_failed", "outbox_path"]
