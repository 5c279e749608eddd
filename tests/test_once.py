"""One-time keys: a public form sent twice is stored once, with no personal data kept to tell."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from coproduce.extensions import db
from coproduce.form_base import Form
from coproduce.models import FormSubmission
from coproduce.once import KEY_DAYS, OnceField, claim_once, new_key, settle_once, verified_key
from coproduce.retention import apply_all


class _Sent:
    def __init__(self, key):
        self.once = SimpleNamespace(data=key)


def test_a_key_is_honoured_only_when_this_site_signed_it_within_the_week(app):
    with app.app_context():
        key = new_key()
        assert verified_key(key)
        assert verified_key(key[:-2] + ("AA" if not key.endswith("AA") else "BB")) is None
        assert verified_key("made-up") is None and verified_key(None) is None and verified_key("x" * 500) is None
        later = datetime.now(UTC) + timedelta(days=KEY_DAYS, minutes=1)
        assert verified_key(key, now=later) is None


def test_the_field_gives_a_fresh_key_when_shown_and_keeps_the_sent_one_when_shown_again(app):
    class Thing(Form):
        once = OnceField()

    with app.test_request_context("/"):
        first, second = Thing(meta={"csrf": False}), Thing(meta={"csrf": False})
        assert 'type="hidden"' in str(first.once)
        assert verified_key(first.once.data) and first.once.data != second.once._value()
        sent = Thing(formdata=MultiDict({"once": first.once.data}), meta={"csrf": False})
        assert f'value="{first.once.data}"' in str(sent.once)
        forged = Thing(formdata=MultiDict({"once": "forged"}), meta={"csrf": False})
        assert verified_key(forged.once._value())


def test_a_repeat_is_refused_and_sent_where_the_first_went(app):
    with app.app_context():
        sent = _Sent(new_key())
        assert claim_once(sent) is None
        settle_once(sent, "/thanks/7")
        db.session.commit()
        repeat = claim_once(sent)
        assert repeat is not None and repeat.outcome == "/thanks/7"
        assert repeat.response("/elsewhere").headers["Location"] == "/thanks/7"
        assert db.session.execute(sa.select(sa.func.count()).select_from(FormSubmission)).scalar_one() == 1


def test_a_form_without_a_valid_key_is_stored_not_lost(app):
    with app.app_context():
        assert claim_once(_Sent(None)) is None
        assert claim_once(_Sent("forged")) is None
        assert claim_once(SimpleNamespace()) is None
        assert db.session.execute(sa.select(sa.func.count()).select_from(FormSubmission)).scalar_one() == 0


def test_the_same_key_sent_at_once_from_many_connections_is_accepted_once(app):
    """Ten requests racing with one key: the database's unique key lets exactly one through."""
    with app.app_context():
        key = new_key()
    accepted, refused, errors = [], [], []
    start = threading.Barrier(10)

    def send():
        try:
            with app.app_context():
                start.wait()
                sent = _Sent(key)
                if claim_once(sent) is None:
                    time.sleep(0.2)  # the first holds its transaction open while it "stores"
                    settle_once(sent, "/thanks/1")
                    db.session.commit()
                    accepted.append(1)
                else:
                    refused.append(1)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (len(accepted), len(refused)) == (1, 9)


def test_retention_forgets_keys_after_the_week_they_can_be_used(app):
    with app.app_context():
        now = datetime.now(UTC)
        db.session.add_all(
            [
                FormSubmission(key_hash="a" * 64, received_at=now - timedelta(days=40)),
                FormSubmission(key_hash="b" * 64, received_at=now - timedelta(days=2)),
            ]
        )
        db.session.commit()
        dry = {r.rule.name: r.count for r in apply_all(dry_run=True)}
        assert dry["core.form_keys"] == 1
        assert db.session.execute(sa.select(sa.func.count()).select_from(FormSubmission)).scalar_one() == 2
        apply_all(dry_run=False)
        left = db.session.execute(sa.select(FormSubmission.key_hash)).scalars().all()
        assert left == ["b" * 64]
