"""Sign-in sessions, rate limits and the security headers on every response."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import secrets
import time
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import login_user, logout_user
from werkzeug.exceptions import HTTPException, TooManyRequests

from coproduce.extensions import db, limiter, login

SESSION_KEY = "_coproduce_sid"
TOUCH_EVERY = timedelta(minutes=1)  # how stale last_seen_at may get before a request writes it


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _session_limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_MAX_HOURS"])


def start_session(user) -> None:
    """Sign in with a brand-new session: nothing from before it (CSRF secret included) carries over."""
    from coproduce.models import UserSession, utcnow

    now = utcnow()
    idle, longest = _session_limits()
    # Forget every session that has timed out (anyone's): the table holds only live sessions.
    db.session.execute(
        db.delete(UserSession).where((UserSession.last_seen_at < now - idle) | (UserSession.created_at < now - longest))
    )
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(key_hash=_key_hash(key), user_id=user.id, created_at=now, last_seen_at=now))
    db.session.commit()
    session.clear()
    session[SESSION_KEY] = key
    login_user(user)
    g.coproduce_signed_in = True


def end_session() -> None:
    """Sign out here: the server forgets the session, so a copy of the cookie stops working too."""
    from coproduce.models import UserSession

    key = session.get(SESSION_KEY)
    if isinstance(key, str):
        db.session.execute(db.delete(UserSession).where(UserSession.key_hash == _key_hash(key)))
        db.session.commit()
    logout_user()
    session.clear()


def end_all_sessions(user, keep_this_one: bool = False) -> None:
    """Sign the person out on every device (optionally staying signed in on this one)."""
    from coproduce.models import UserSession

    query = db.delete(UserSession).where(UserSession.user_id == user.id)
    key = session.get(SESSION_KEY)
    if keep_this_one and isinstance(key, str):
        query = query.where(UserSession.key_hash != _key_hash(key))
    db.session.execute(query)
    db.session.commit()


def _load_user(user_id: str):
    from coproduce.models import User, UserSession, utcnow

    user_key, _, version = user_id.partition(":")
    key = session.get(SESSION_KEY)
    if not user_key.isdigit() or not isinstance(key, str):
        return None
    found = db.session.get(UserSession, _key_hash(key))
    if found is None or str(found.user_id) != user_key:
        return None
    now = utcnow()
    idle, longest = _session_limits()
    if now - found.last_seen_at > idle or now - found.created_at > longest:
        db.session.delete(found)
        db.session.commit()
        return None
    user = db.session.get(User, int(user_key))
    if user is None or str(user.session_version) != version or not user.is_confirmed:
        return None
    if now - found.last_seen_at > TOUCH_EVERY:
        found.last_seen_at = now
        db.session.commit()
    g.coproduce_signed_in = True
    return user


def mark_private() -> None:
    """This response holds something private (a draft, a result, a supplier's page): never cache it."""
    g.coproduce_private = True


def private_response() -> bool:
    """Signed-in pages, and pages marked private or reached through a secret link: never stored anywhere
    (nor in coproduce.page_cache)."""
    rule = request.url_rule
    return bool(
        g.get("coproduce_signed_in") or g.get("coproduce_private") or (rule is not None and "token" in rule.arguments)
    )


def _no_store(response):
    """One rule: signed-in pages, and pages marked private or reached through a secret link, are never stored."""
    if private_response():
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def csp_nonce() -> str:
    """This response's CSP nonce (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = new_nonce()
    return g.csp_nonce


def _security_headers(response):
    nonce = g.get("csp_nonce")
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


class TrustedProxyFix:
    """X-Forwarded-* headers count only on connections from the configured proxies (TRUSTED_PROXIES).

    From a proxy, the address is the last one in X-Forwarded-For (the one the proxy itself added), so a
    client cannot choose its own address by sending the header; from anyone else the headers are ignored.
    """

    def __init__(self, app, proxies: list[str]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.plain = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
        self.networks = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def _trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        return self.plain(environ, start_response)


def account_key() -> str:
    """Rate-limit key for the account a sign-in or reset form names (a hash: no email in the store)."""
    email = request.form.get("email", "")
    email = email.strip().lower() if isinstance(email, str) else ""
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _skip_limits() -> bool:
    return bool(g.get("coproduce_retry_after"))


def _keep_answers(error):
    """A refused POST re-shows the person's page with what they typed, and says how long to wait.

    The limit is checked as the view starts (after every access check), so the view is run once more with
    limits off and every form refusing to act (Form.validate_on_submit answers False): it draws the page
    from the posted answers. Pages that do not come back as a form get the plain 429 page.
    """
    if request.method == "POST" and request.endpoint in current_app.view_functions and not _skip_limits():
        current = limiter.current_limit
        reset_at = current.reset_at if current is not None else time.time() + 60
        g.coproduce_retry_after = max(1, math.ceil(reset_at - time.time()))
        try:
            response = current_app.make_response(
                current_app.ensure_sync(current_app.view_functions[request.endpoint])(**(request.view_args or {}))
            )
        except HTTPException:
            response = None
        if response is not None and response.status_code == 200:
            response.status_code = 429
            response.headers["Retry-After"] = str(g.coproduce_retry_after)
            return response
    handler = current_app.error_handler_spec[None][429].get(TooManyRequests)
    return handler(error) if handler else error


def init_security(app: Flask) -> None:
    login.init_app(app)
    login.user_loader(_load_user)
    login.login_view = "auth.sign_in"
    login.login_message = _l("Sign in to see this page.")
    login.login_message_category = "info"
    login.session_protection = "basic"

    # Counters every worker shares: Redis when there is one, else the site's own database. Never memory,
    # which each worker would count on its own.
    from coproduce import rate_limits  # noqa: F401 - registers the database storage with `limits`

    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or f"{rate_limits.SCHEME}://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_ENABLED", app.config.get("RATELIMIT_ENABLED", True))
    limiter.init_app(app)
    if _skip_limits not in limiter._request_filters:
        limiter.request_filter(_skip_limits)
    app.register_error_handler(RateLimitExceeded, _keep_answers)

    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, app.config.get("TRUSTED_PROXIES") or [])  # type: ignore[method-assign]

    app.after_request(_security_headers)
    app.after_request(_no_store)
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
