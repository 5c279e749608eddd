"""Sign-in sessions, rate limits and the security headers on every response."""

from __future__ import annotations

import secrets

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l

from coproduce.extensions import db, limiter, login


def _load_user(user_id: str):
    from coproduce.models import User

    user_key, _, version = user_id.partition(":")
    if not user_key.isdigit():
        return None
    user = db.session.get(User, int(user_key))
    if user is None or str(user.session_version) != version or not user.is_confirmed:
        return None
    return user


def _csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
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


def init_security(app: Flask) -> None:
    login.init_app(app)
    login.user_loader(_load_user)
    login.login_view = "auth.sign_in"
    login.login_message = _l("Sign in to see this page.")
    login.login_message_category = "info"
    login.session_protection = "basic"

    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_ENABLED", app.config.get("RATELIMIT_ENABLED", True))
    limiter.init_app(app)

    if app.config.get("TRUST_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    app.after_request(_security_headers)
    app.context_processor(lambda: {"cspNonce": _csp_nonce()})
