"""The front of the page cache: a stored page sent to the next equal request before Flask is reached.

coproduce.page_cache keeps pages for signed-out visitors inside Flask: a hit still pays for the request
and app contexts, the team's query, every before- and after-request function and the session. This
front answers from the same stored pages one step earlier, in `Coproduce.wsgi_app`, inside every WSGI
middleware (the trusted-proxy fix, static files, in-place forms), and only for a request that the page
cache inside Flask has already answered with that page:

- Flask decides what may be stored and for whom, as it always has. When it answers a GET with a stored
  page (kept or served), it offers the page here (`coproduce.page_cache.Offered`), and the front keeps
  it under a key of the raw request: the path and query string, the Host header and scheme, the language
  cookie and Accept-Language (all the language is chosen from for a signed-out visitor), and the page
  version, read in one query as each request starts. Everything else the page cache's key holds (the
  team's row and modules, the site settings) changes only with the page version.
- The front answers only a GET whose cookies are at most the session cookie and the language cookie,
  whose session (read with the app's own session interface) holds nothing of the person
  (`page_cache.shareable_session`), and whose headers pass the input layer's check. Anything else,
  and any request it has no page for, goes on to Flask unchanged.
- The response is the one Flask sent, with this request's CSRF token (and, for a new visitor, the session
  cookie that holds its secret), CSP nonce, one-time form keys, request id and log line.

A page is kept here no longer than in the page cache, and a view with rate limits is never offered.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import parse_cookie

from coproduce.page_cache import (
    _NONCE,
    OFFERED,
    PAGE_VERSION,
    Entry,
    Offered,
    PageCache,
    assemble,
    hashed_key,
    shareable_session,
)

#: The WSGI environ key of the front's key for a request it had no page for (Flask may offer one).
FRONT_KEY = "coproduce.front_key"
#: Response headers made anew for each response, never kept.
_OWN_HEADERS = frozenset({"content-length", "set-cookie", "x-request-id", "x-page-cache"})
_NONCE_MARK = "\x00nonce\x00"  # no header value holds NUL (the input layer refuses it in requests)


@dataclass(frozen=True, slots=True)
class Kept:
    """A stored page as the front sends it: the page, the response's headers, and its log line's fields."""

    entry: Entry
    headers: tuple[tuple[str, str], ...]
    team: str | None
    logged_path: str
    size: int
    expires: float


class Front:
    def __init__(self, app: Flask, cache: PageCache):
        from coproduce.extensions import db
        from coproduce.i18n import LOCALE_COOKIE
        from coproduce.models import SiteSetting
        from coproduce.once import key_serializer

        self.app = app
        self.pages: PageCache[Kept] = PageCache(max(cache.max_bytes // 2, 1), cache.seconds, cache.clock)
        self.answered = 0  # requests the front sent a page to (tests and benchmarks read it)
        interface = app.session_interface
        self.session_cookie = interface.get_cookie_name(app)  # type: ignore[attr-defined]
        self.cookies = frozenset({self.session_cookie, LOCALE_COOKIE})
        self.locale_cookie = LOCALE_COOKIE
        self.sessions = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        self.max_age = int(app.permanent_session_lifetime.total_seconds())
        self.csrf_field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        self.csrf = URLSafeTimedSerializer(
            app.config.get("WTF_CSRF_SECRET_KEY") or app.config["SECRET_KEY"], salt="wtf-csrf-token"
        )  # as Flask-WTF's generate_csrf signs
        self.keys = key_serializer(app.config["SECRET_KEY"])
        self.as_json = app.config.get("LOG_FORMAT") == "json"
        self.cache = cache  # its theme is part of every key
        with app.app_context():
            self.engine = db.engine
        query = select(SiteSetting.value).where(SiteSetting.key == PAGE_VERSION)
        self.version_sql = str(query.compile(dialect=self.engine.dialect, compile_kwargs={"literal_binds": True}))
        self.database_errors = self.engine.dialect.loaded_dbapi.Error

    # -- answering ----------------------------------------------------------------------

    def answer(self, environ: dict, start_response: Callable) -> Iterable[bytes] | None:
        """The stored page's response, or None: Flask answers (and FRONT_KEY says which page it may offer)."""
        if environ.get("REQUEST_METHOD") != "GET" or self.sessions is None:
            return None
        started = time.perf_counter()
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if not self.cookies.issuperset(cookies.keys()):
            return None
        session = self._session(cookies.get(self.session_cookie))
        if session is None or self._headers_refused(environ):
            return None
        try:
            version = self._page_version()
        except (SQLAlchemyError, self.database_errors):
            return None  # Flask draws the page that says the database is not answering
        key = self._key(environ, cookies.get(self.locale_cookie), version)
        kept = self.pages.get(key)
        if kept is None:
            environ[FRONT_KEY] = key
            return None
        self.answered += 1
        return self._send(kept, session, environ, start_response, started)

    def _page_version(self) -> Any:
        """The page version's row as the database driver gives it (text or JSON: only its equality counts),
        on a connection of the app's own pool, without building a statement for it each time."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self.version_sql)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()  # back to the pool, rolled back
        return row[0] if row else None

    def _session(self, value: str | None):
        """The visitor's session when it may share pages (an empty one for a new visitor), else None."""
        interface = self.app.session_interface
        if not value:
            return interface.session_class()  # type: ignore[attr-defined]
        try:
            data = self.sessions.loads(value, max_age=self.max_age)
        except BadData:  # forged, expired or unreadable: Flask starts a new session, and says so itself
            return None
        if not isinstance(data, dict) or not shareable_session(data):
            return None
        return interface.session_class(data)  # type: ignore[attr-defined]

    @staticmethod
    def _headers_refused(environ: dict) -> bool:
        from coproduce.input_guard import header_refused

        return any(
            header_refused(value)
            for name, value in environ.items()
            if isinstance(value, str) and (name.startswith("HTTP_") or name in ("CONTENT_TYPE", "CONTENT_LENGTH"))
        )

    def _key(self, environ: dict, locale_cookie: str | None, version: Any) -> bytes:
        parts = (
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("wsgi.url_scheme"),
            locale_cookie,
            environ.get("HTTP_ACCEPT_LANGUAGE"),
            self.cache.theme,
            repr(version),
        )
        return hashed_key(parts)

    def _send(self, kept: Kept, session, environ: dict, start_response: Callable, started: float):
        from coproduce.observability import request_id, write_request_line
        from coproduce.once import new_key
        from coproduce.security import new_nonce

        if session and session.get("_fresh") is not False:
            session["_fresh"] = False  # what Flask-Login's session protection writes into a session without a sign-in
        csrf = ""
        if kept.entry.has_csrf:
            if not isinstance(session.get(self.csrf_field), str):
                session[self.csrf_field] = secrets.token_hex(20)  # 40 hex digits, as Flask-WTF makes it
            csrf = self.csrf.dumps(session[self.csrf_field])
        nonce = new_nonce() if _NONCE in kept.entry.pieces else ""
        body = assemble(kept.entry, csrf, nonce, lambda: new_key(self.keys))
        asked = environ.get("HTTP_X_REQUEST_ID", "")
        rid = request_id(asked if isinstance(asked, str) else "")
        headers = [(name, value.replace(_NONCE_MARK, nonce)) for name, value in kept.headers]
        headers += [("X-Page-Cache", "hit"), ("X-Request-Id", rid)]
        response = Response(body, status=200, headers=headers)
        self.app.session_interface.save_session(self.app, session, response)
        fields = {
            "request_id": rid,
            "method": "GET",
            "path": kept.logged_path,
            "status": 200,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": None,
            "team": kept.team,
            "worker": os.getpid(),
            "page_cache": "hit",
        }
        write_request_line(fields, self.as_json)
        return response(environ, start_response)

    # -- keeping ------------------------------------------------------------------------

    def watch(self, environ: dict, start_response: Callable, app: Callable) -> Iterable[bytes]:
        """Flask's answer, keeping the page it offers (when the front worked out a key for the request)."""
        key = environ.get(FRONT_KEY)
        if key is None:
            return app(environ, start_response)
        seen: list = []

        def capture(status, headers, exc_info=None):
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = app(environ, capture)
        offered = environ.get(OFFERED)
        if isinstance(offered, Offered) and seen and seen[0].startswith("200 "):
            self._keep(key, offered, seen[1])
        return body

    def _keep(self, key: bytes, offered: Offered, headers: list[tuple[str, str]]) -> None:
        own_cookie = self.session_cookie + "="
        if any(name.lower() == "set-cookie" and not value.startswith(own_cookie) for name, value in headers):
            return  # a language chosen by link sets its cookie: Flask answers such a request each time
        nonce = offered.nonce
        kept_headers = tuple(
            (name, value.replace(nonce, _NONCE_MARK) if nonce else value)
            for name, value in headers
            if name.lower() not in _OWN_HEADERS
        )
        size = offered.entry.size + sum(len(n) + len(v) for n, v in kept_headers) + 200
        entry = offered.entry
        self.pages.put(key, Kept(entry, kept_headers, offered.team, offered.logged_path, size, entry.expires))


def init_front(app: Flask, cache: PageCache) -> None:
    app.extensions["page_front"] = Front(app, cache)
