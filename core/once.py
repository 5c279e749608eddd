"""Each public form is stored once, however often it is sent (a double click, a resend after a slow reply).

Every rendering of a public form carries a random one-time key, signed so that the site only honours keys
it made. The first submission that carries a key records it, in the same transaction as what it stores;
a repeat finds the key taken and is sent where the first one went. The key says nothing about the person
who sent it: no address, no account, no cookie. Keys are honoured for KEY_DAYS days, and the retention
rule "core.form_keys" forgets them after that.

A plugin adds `once = OnceField()` to its form, renders `{{ form.once }}` beside `{{ form.csrf_token }}`,
and in the view:

    repeat = claim_once(form)
    if repeat:
        return repeat.response(url_for(".thanks"))
    ... store the submission ...
    settle_once(form, url_for(".thanks", id=thing.id))
    db.session.commit()
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, g, has_request_context, redirect
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from coproduce.extensions import db
from coproduce.models import FormSubmission
from coproduce.retention import RetentionRule

KEY_DAYS = 7


def key_serializer(secret_key: str) -> URLSafeTimedSerializer:
    """What signs and reads the keys (coproduce.page_front signs them with it outside a request)."""
    return URLSafeTimedSerializer(secret_key, salt="coproduce-form-once")


def _serializer() -> URLSafeTimedSerializer:
    return key_serializer(current_app.config["SECRET_KEY"])


def new_key(serializer: URLSafeTimedSerializer | None = None) -> str:
    return (serializer or _serializer()).dumps(secrets.token_urlsafe(16))


def verified_key(signed: str | None, now: datetime | None = None) -> str | None:
    """The random part of a key this site made within KEY_DAYS days, or None."""
    if not signed or not isinstance(signed, str) or len(signed) > 200:
        return None
    try:
        key, signed_at = _serializer().loads(signed, return_timestamp=True)
    except BadSignature:
        return None
    if not isinstance(key, str):
        return None
    if (now or datetime.now(UTC)) - signed_at > timedelta(days=KEY_DAYS):
        return None
    return key


class OnceField(HiddenField):
    """A hidden field holding the form's one-time key; a fresh key whenever the form is shown anew."""

    def _value(self):
        if not verified_key(self.data):
            self.data = new_key()
        if has_request_context():  # coproduce.page_cache stores the page with a marker in its place
            g.setdefault("_once_keys", []).append(self.data)
        return self.data

    def __call__(self, **kwargs):
        kwargs.pop("params", None)  # pages that render every field pass GOV.UK params to each
        return super().__call__(**kwargs)


@dataclass(frozen=True)
class Repeat:
    """A submission the site already has. outcome: where the first one was sent, when it said."""

    outcome: str | None

    def response(self, fallback: str):
        return redirect(self.outcome or fallback, code=303)


def _key_of(form) -> str | None:
    field = getattr(form, "once", None)
    return verified_key(field.data) if field is not None else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def claim_once(form) -> Repeat | None:
    """Record the form's key before anything else is written. None: go on and store; Repeat: don't.

    Call it before the view writes anything: a repeat rolls back the session. A form sent without a
    valid key (an expired page, a script) is stored without the protection rather than lost.
    """
    key = _key_of(form)
    if key is None:
        return None
    digest = _digest(key)
    db.session.add(FormSubmission(key_hash=digest))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = db.session.get(FormSubmission, digest)
        return Repeat(earlier.outcome if earlier else None)
    return None


def settle_once(form, outcome: str) -> None:
    """Remember where the first submission went (a path that holds no secret), before the commit."""
    key = _key_of(form)
    if key is None:
        return
    row = db.session.get(FormSubmission, _digest(key))
    if row is not None:
        row.outcome = outcome[:500]


def retention_rule() -> RetentionRule:
    def apply(cutoff: datetime, dry_run: bool) -> int:
        cutoff = min(cutoff, datetime.now(UTC) - timedelta(days=KEY_DAYS))
        old = db.select(FormSubmission).where(FormSubmission.received_at < cutoff)
        count = db.session.execute(db.select(db.func.count()).select_from(old.subquery())).scalar_one()
        if not dry_run and count:
            db.session.execute(db.delete(FormSubmission).where(FormSubmission.received_at < cutoff))
            db.session.commit()
        return count

    from flask_babel import lazy_gettext as _l

    return RetentionRule(
        "core.form_keys",
        _l("one-time keys of public forms"),
        1,
        apply,
        why=_l("to refuse the same form sent twice; they hold nothing about the person"),
    )
