"""10,000 queued emails drained by a real `coproduce worker` to a real SMTP server (aiosmtpd, this machine).

    python -m benchmarks.mail_queue [--emails N] [--threads N] [--storage sqlite|redis|both]

Queues N emails with send_mail (as pages do), then starts one worker process and times it until the
SMTP server has every email. Reports the queueing rate, the drain rate, and checks that each email
arrived exactly once (by Message-ID): duplicates and losses must both be 0. Redis: database 8 on
127.0.0.1:6379, flushed before and after (skipped when no Redis answers).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

REDIS_URL = "redis://127.0.0.1:6379/8"  # not one the tests use (tests/serve_helpers.redis_db_of_worker)


def _redis_ready() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
        return True
    except redis.ConnectionError:
        return False


def run(emails: int = 10_000, threads: int = 4, storage: str = "sqlite", log=print) -> dict:
    from coproduce import create_app
    from coproduce.extensions import db
    from coproduce.mail import send_mail
    from coproduce.migrations_config import upgrade_all
    from coproduce.models import OutgoingMail
    from coproduce.testing.smtp import MailServer, start_worker

    with tempfile.TemporaryDirectory() as folder, MailServer() as server:
        folder = Path(folder)
        settings = {
            "INSTANCE_PATH": folder / "instance",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": server.port,
        }
        if storage == "redis":
            settings["REDIS_URL"] = REDIS_URL
        app = create_app(dict(settings), plugins=[])
        with app.app_context():
            upgrade_all()
            started = time.perf_counter()
            for n in range(emails):
                send_mail(f"person{n}@example.org", f"Message {n}", f"Body of message {n}.")
            queued_s = time.perf_counter() - started
        log(f"{storage}: {emails:,} emails queued in {queued_s:.1f} s; draining with {threads} threads")
        worker = start_worker({**settings, "TASKS_IMMEDIATE": False, "THREADS": threads}, [], folder / "worker.log")
        try:
            started = time.perf_counter()
            deadline = started + 1800
            while len(server.messages) < emails and time.perf_counter() < deadline and worker.poll() is None:
                time.sleep(0.2)
            drained_s = time.perf_counter() - started
            time.sleep(3)  # anything sent twice would arrive now
        finally:
            worker.terminate()
            worker.wait(30)
        with app.app_context():
            expected = set(db.session.execute(db.select(OutgoingMail.message_id)).scalars())
            unsent = db.session.execute(
                db.select(db.func.count()).select_from(OutgoingMail).where(OutgoingMail.status != "sent")
            ).scalar_one()
            db.engine.dispose()
        received = Counter(m["Message-ID"] for m in server.messages)
        return {
            "storage": storage,
            "emails": emails,
            "threads": threads,
            "queued_s": queued_s,
            "queue_rate": emails / queued_s,
            "drained_s": drained_s,
            "drain_rate": len(server.messages) / drained_s,
            "duplicates": sum(c - 1 for c in received.values() if c > 1),
            "lost": len(expected - set(received)),
            "unsent_rows": unsent,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--storage", choices=("sqlite", "redis", "both"), default="both")
    args = parser.parse_args(argv)
    storages = ["sqlite", "redis"] if args.storage == "both" else [args.storage]
    failed = False
    print("| Queue | Emails | Queued (emails/s) | Drained (emails/s) | Drain time (s) | Duplicates | Lost |")
    print("|---|---|---|---|---|---|---|")
    for storage in storages:
        if storage == "redis" and not _redis_ready():
            print(f"| redis | skipped: no Redis at {REDIS_URL} | | | | | |")
            continue
        found = run(args.emails, args.threads, storage)
        failed |= bool(found["duplicates"] or found["lost"] or found["unsent_rows"])
        print(
            f"| {storage} | {found['emails']:,} | {found['queue_rate']:.0f} | {found['drain_rate']:.0f} | "
            f"{found['drained_s']:.1f} | {found['duplicates']} | {found['lost']} |",
            flush=True,
        )
        if storage == "redis":
            _redis_ready()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
