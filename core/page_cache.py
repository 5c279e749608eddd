"""Whole pages for signed-out visitors, kept by each worker process; and the page version that retires them.

A signed-out visitor's GET of a public page is answered from the worker's memory when an equal request
was answered within PAGE_CACHE_SECONDS. Equal means the same key, which holds everything such a page is
drawn from: the path and the query string, the host and scheme, the page's language, the theme and its
version, the team's row and its switched-on plugins, the site settings a site admin edits, and the page
version. Nothing in the key is kept as text: it is a hash.

The page version (a `site_setting` row, never edited in the browser) changes in the same transaction as
any write made by a signed-in person, a command, a scheduled task or a background job: a listener on the
database session writes a new random value as the commit starts (`watch_writes`). Team pages read it in
the query that already loads the team (`coproduce.helpers.load_request_team`), other pages with one small
query, so a change by staff is seen by the very next request in every worker and on every server.
Signed-out people's own submissions do not change it (the cache would empty on each one): what pages
show of them (appreciation counts) may be up to PAGE_CACHE_SECONDS old; a plugin whose anonymous write
must show at once calls `pages_changed()`.

What is never stored, nor served from here:
- anything but GET and HEAD; anyone signed in (or whose session holds anything but a CSRF secret and
  Flask-Login's "not fresh" mark: a flashed message, a voter's token, a link to show once); a response
  that is not a 200 HTML page, that sets a cookie, that is private (`mark_private`, a secret link,
  `Cache-Control: private` or `no-store`);
- a page marked `no_page_cache()` (search and filter pages that show what was typed), and a page whose
  form shows a typed value or an error (coproduce.component_cache tells);
- a page whose query string holds anything but a language (`lang=cy`) and numbers (`page=2`): text in a
  query string is what someone typed, and it is not kept beyond their request.

The per-response parts of a stored page (the CSRF token, the CSP nonce, the one-time keys of public
forms) are stored as markers and put in as each response goes out, the first one included.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any, Generic, Protocol, TypeVar

from flask import Flask, Response, current_app, g, has_request_context, request, request_started, session
from flask_babel import get_locale
from sqlalchemy.exc import SQLAlchemyError

#: The `site_setting` row whose value changes whenever staff change anything.
PAGE_VERSION = "page_version"

#: Tables whose rows never change what a public page shows: a write to them alone keeps the page version.
UNTRACKED_TABLES = frozenset(
    {"rate_limit", "user_session", "outgoing_mail", "background_job", "form_submission", "waiting_notice"}
)

#: What a signed-out visitor's session may hold for their pages to be shared: Flask-WTF's CSRF secret, and
#: Flask-Login's `_fresh` mark (its session protection sets it to False in any session without a sign-in).
SHAREABLE_SESSION_KEYS = frozenset({"csrf_token", "_fresh"})

_WRITES = "coproduce_page_writes"
_FORCED = "coproduce_pages_changed"
_OWN_STATEMENT = "coproduce_page_version"

_CSRF, _NONCE, _ONCE = 0, 1, 2

#: The WSGI environ key under which a request's stored page is offered to coproduce.page_front.
OFFERED = "coproduce.page_offered"


@dataclass(frozen=True, slots=True)
class Entry:
    """A stored page: its text cut at the per-response parts (str pieces, and _CSRF/_NONCE/_ONCE slots)."""

    pieces: tuple[str | int, ...]
    headers: tuple[tuple[str, str], ...]
    size: int
    expires: float
    has_csrf: bool


@dataclass(frozen=True, slots=True)
class Offered:
    """A page this request was answered with, and what its response put in beside it."""

    entry: Entry
    nonce: str | None
    team: str | None
    logged_path: str


class Stored(Protocol):
    @property
    def size(self) -> int: ...

    @property
    def expires(self) -> float: ...


T = TypeVar("T", bound=Stored)


class PageCache(Generic[T]):
    """A thread-safe LRU of Entry (or anything with its `size` and `expires`) by key, bounded in bytes;
    entries live `seconds`."""

    def __init__(self, max_bytes: int, seconds: int, clock: Callable[[], float] = time.monotonic):
        self.max_bytes = max_bytes
        self.seconds = seconds
        self.clock = clock
        self.theme: tuple = ()  # the theme's name and version: the same for the process's life
        self.not_pages: set[str] = set()  # endpoints that answered 200 with something else than HTML
        self._entries: OrderedDict[bytes, T] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes) -> T | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= self.clock():
                del self._entries[key]
                self._bytes -= entry.size
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: bytes, entry: T) -> bool:
        """Keep the entry, forgetting the least recently used ones to make room; False when it is too big."""
        if entry.size > self.max_bytes // 4:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            while self._entries and self._bytes + entry.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size
            self._entries[key] = entry
            self._bytes += entry.size
            return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def holds(self, text: str) -> bool:
        """Whether any stored page contains `text` (for tests: nothing a person typed is kept)."""
        with self._lock:
            return any(
                text in piece
                for entry in self._entries.values()
                for piece in getattr(entry, "pieces", ())
                if type(piece) is str
            )


# -- views and plugins ------------------------------------------------------------------


def no_page_cache() -> None:
    """This page is drawn for this request alone: it shows what someone typed (a search), or changes too often."""
    if has_request_context():
        g._page_cache_refused = True


def pages_changed() -> None:
    """What this request commits changes public pages (an anonymous write shown at once): the commit gives
    every worker's page cache a new page version, as a change by staff does."""
    from coproduce.extensions import db

    db.session.info[_FORCED] = True


# -- the page version -------------------------------------------------------------------


def current_page_version() -> object:
    """The page version this request read (with the team, or here with the site settings, one query)."""
    from coproduce.site_settings import read_remembered, remembered_row

    known, row = remembered_row(PAGE_VERSION)
    if not known:
        read_remembered()
        known, row = remembered_row(PAGE_VERSION)
    return row.value if row is not None else None


def _tracked(obj) -> bool:
    return getattr(obj, "__tablename__", None) not in UNTRACKED_TABLES


def _pending_writes(session) -> bool:
    if any(_tracked(obj) for obj in chain(session.new, session.deleted)):
        return True
    return any(_tracked(obj) and session.is_modified(obj, include_collections=False) for obj in session.dirty)


def _note_flush(session, _flush_context, _instances) -> None:
    if not session.info.get(_WRITES) and _pending_writes(session):
        session.info[_WRITES] = True


def _note_statement(state) -> None:
    if state.is_select or state.session.info.get(_WRITES) or state.execution_options.get(_OWN_STATEMENT):
        return
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in UNTRACKED_TABLES:
            return
        state.session.info[_WRITES] = True
        return
    text = getattr(statement, "text", None)
    if isinstance(text, str) and text.lstrip()[:6].lower() in ("insert", "update", "delete"):
        state.session.info[_WRITES] = True


def _by_staff() -> bool:
    """A write outside a visitor's request (a command, a task, a job, a test's set-up), or by someone signed in."""
    if not has_request_context() or not g.get("_coproduce_dispatched"):
        return True
    if g.get("coproduce_signed_in"):
        return True
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return True
    return "_user_id" in session


def _bump_before_commit(session) -> None:
    if session.in_nested_transaction():
        return
    forced = session.info.get(_FORCED)
    if not forced and not ((session.info.get(_WRITES) or _pending_writes(session)) and _by_staff()):
        return
    bump_page_version(session)


def bump_page_version(session) -> None:
    """Give the page version a new value in the session's transaction (an upsert: the row may not exist yet)."""
    from sqlalchemy.dialects import postgresql, sqlite

    from coproduce.models import SiteSetting

    table = SiteSetting.__table__
    insert: Any = postgresql.insert if session.get_bind(clause=table).dialect.name == "postgresql" else sqlite.insert
    value = {"value": secrets.token_hex(8)}
    statement = insert(table).values(key=PAGE_VERSION, value=value)
    statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={"value": statement.excluded.value})
    session.execute(statement, execution_options={_OWN_STATEMENT: True})
    session.info.pop(_FORCED, None)
    session.info.pop(_WRITES, None)


def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WRITES, None)
        session.info.pop(_FORCED, None)


_watching = False


def watch_writes() -> None:
    """Listen to every Flask-SQLAlchemy session (once a process)."""
    global _watching
    if _watching:
        return
    from sqlalchemy import event

    from coproduce.extensions import db

    event.listen(db.session, "before_flush", _note_flush)
    event.listen(db.session, "do_orm_execute", _note_statement)
    event.listen(db.session, "before_commit", _bump_before_commit)
    event.listen(db.session, "after_transaction_end", _forget)
    _watching = True


# -- serving ----------------------------------------------------------------------------


def _visitor_may_share() -> bool:
    from flask_login import current_user

    if request.method not in ("GET", "HEAD") or request.routing_exception is not None:
        return False
    # Who the visitor is comes first: Flask-Login's look at the session (it marks a session without a sign-in
    # "not fresh") then sees it as it came, before this response's CSRF secret is added (coproduce.page_front
    # does the same).
    if current_user.is_authenticated or not _session_is_shareable():
        return False
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies


def _query_is_shareable() -> bool:
    """Only a language and numbers: any other text in a query string is someone's typing."""
    from coproduce.i18n import LANGUAGES

    for name, value in request.args.items(multi=True):
        if name == "lang" and value in LANGUAGES:
            continue
        if value.isdigit() and value.isascii() and len(value) <= 9:
            continue
        return False
    return True


def page_key(cache: PageCache) -> bytes:
    team = g.get("team")
    if team is not None:
        host = current_app.extensions["plugins"]
        team_state: tuple = (
            team.id,
            team.slug,
            team.name,
            team.description,
            repr(team.translations),
            repr(team.archived_at),
            tuple(sorted(host.enabled_for(team))),
        )
    else:
        team_state = (g.get("team_slug"),)
    from coproduce.site_settings import EDITABLE, remembered_row

    version = current_page_version()  # reads (and remembers) the settings too on a page without a team
    settings = tuple(repr(row.value) if row is not None else None for row in (remembered_row(k)[1] for k in EDITABLE))
    parts = (
        request.script_root,
        request.path,
        request.query_string,
        request.host,
        request.scheme,
        str(get_locale()),
        cache.theme,
        team_state,
        settings,
        repr(version),
    )
    return hashed_key(parts)


def hashed_key(parts: tuple) -> bytes:
    """A stored page's key: a hash of what it is drawn from (nothing of the request is kept as text)."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=20).digest()


def dispatch(view: Callable[[], object]):
    """Coproduce.dispatch_request: a stored page instead of the view, when there is one for this request."""
    cache: PageCache | None = current_app.extensions.get("page_cache")
    if cache is None or request.endpoint in cache.not_pages or not _visitor_may_share() or not _query_is_shareable():
        return view()
    try:
        key = page_key(cache)
    except SQLAlchemyError:  # the database is not answering: the view says so as it always has
        from coproduce.extensions import db

        db.session.rollback()
        return view()
    entry = cache.get(key)
    g._page_cache = (cache, key, entry)
    if entry is None:
        return view()
    return Response(status=200, headers=list(entry.headers))


def _markers() -> dict[int, str]:
    return current_app.extensions["page_cache_markers"]


def _storable(response: Response) -> bool:
    from coproduce.extensions import limiter
    from coproduce.security import private_response

    if response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed:
        return False
    if response.direct_passthrough or "Set-Cookie" in response.headers:
        return False
    if response.cache_control.private or response.cache_control.no_store:
        return False
    if g.get("_page_cache_refused") or private_response():
        return False
    if limiter.current_limits:
        return False  # the view counts its visits (Flask-Limiter checks them as the view runs): it must run
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    return _session_is_shareable()


def _session_is_shareable() -> bool:
    return shareable_session(session)


def shareable_session(data: Mapping[str, object]) -> bool:
    """The session holds nothing of the person: at most a CSRF secret and a `_fresh` that is not True."""
    return SHAREABLE_SESSION_KEYS.issuperset(data.keys()) and data.get("_fresh") is not True


def _entry_of(response: Response, cache: PageCache) -> Entry | None:
    if not _storable(response):
        return None
    try:
        text = response.get_data(as_text=False).decode("utf-8")
    except UnicodeDecodeError:
        return None
    marks = _markers()
    for mark in marks.values():
        if mark in text:  # a marker in the page itself (it is random per process): never guess
            return None
    token = g.get("csrf_token")
    if isinstance(token, str) and token:
        text = text.replace(token, marks[_CSRF])
    nonce = g.get("csp_nonce")
    if isinstance(nonce, str) and nonce:
        text = text.replace(nonce, marks[_NONCE])
    for key in g.get("_once_keys", ()):
        text = text.replace(key, marks[_ONCE])
    # A token or key this request did not make the usual way (another form's secret) would be sent to everyone.
    if text.count('name="csrf_token"') > text.count(marks[_CSRF]) or text.count('name="once"') > text.count(
        marks[_ONCE]
    ):
        return None
    pieces: list[str | int] = [text]
    for slot, mark in marks.items():
        cut: list[str | int] = []
        for piece in pieces:
            if type(piece) is not str or mark not in piece:
                cut.append(piece)
                continue
            parts = piece.split(mark)
            for index, part in enumerate(parts):
                if index:
                    cut.append(slot)
                if part:
                    cut.append(part)
        pieces = cut
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "set-cookie", "x-page-cache")
    )
    size = len(text.encode("utf-8")) + sum(len(n) + len(v) for n, v in headers) + 200
    return Entry(tuple(pieces), headers, size, cache.clock() + cache.seconds, _CSRF in pieces)


def _fill(response: Response, entry: Entry) -> None:
    from flask_wtf.csrf import generate_csrf

    from coproduce.once import new_key
    from coproduce.security import csp_nonce

    csrf = generate_csrf() if entry.has_csrf else ""
    nonce = csp_nonce() if _NONCE in entry.pieces else ""
    response.set_data(assemble(entry, csrf, nonce, new_key))  # type: ignore[arg-type]


def assemble(entry: Entry, csrf: str, nonce: str, new_key: Callable[[], str]) -> bytes:
    """The stored page with this response's CSRF token, nonce and a new one-time key for each form."""
    out = []
    for piece in entry.pieces:
        if type(piece) is str:
            out.append(piece)
        elif piece == _CSRF:
            out.append(csrf)
        elif piece == _NONCE:
            out.append(nonce)
        else:
            out.append(new_key())
    return "".join(out).encode("utf-8")


def _finish(response: Response) -> Response:
    state = g.pop("_page_cache", None)
    if state is None:
        return response
    cache, key, entry = state
    if entry is None:
        if response.status_code == 200 and response.mimetype != "text/html" and request.endpoint:
            cache.not_pages.add(request.endpoint)  # JSON, CSV, files: no key worked out for them again
        entry = _entry_of(response, cache)
        if entry is None:
            return response
        cache.put(key, entry)
        g.page_cache = "miss"
    else:
        g.page_cache = "hit"
    _fill(response, entry)
    response.headers["X-Page-Cache"] = g.page_cache
    _offer_to_front(entry)
    return response


def _offer_to_front(entry: Entry) -> None:
    """What coproduce.page_front needs to answer the next equal request itself, on the WSGI environ (it reads
    it once the response is complete)."""
    from coproduce.helpers import loaded_slug
    from coproduce.observability import logged_path

    request.environ[OFFERED] = Offered(entry, g.get("csp_nonce"), loaded_slug(g.get("team")), logged_path())


def _dispatched(_app, **_extra) -> None:
    """A request the app dispatches (not a job's or a test's request context); nothing left from the last one
    (tests may keep one app context, and so one `g`, across requests)."""
    for name in ("_page_cache", "_page_cache_refused", "_once_keys", "page_cache"):
        g.pop(name, None)
    g._coproduce_dispatched = True


def init_page_cache(app: Flask) -> None:
    """After every other set-up (its after-request function then runs first, on the view's own response)."""
    watch_writes()
    request_started.connect(_dispatched, app)
    components = app.extensions.get("component_cache")
    if components is not None:
        components.on_personal = no_page_cache
    megabytes = app.config.get("PAGE_CACHE_MB", 16)
    if not megabytes:
        app.extensions["page_cache"] = None
        return
    cache: PageCache[Entry] = PageCache(megabytes * 1024 * 1024, app.config.get("PAGE_CACHE_SECONDS", 60))
    theme = app.extensions.get("theme")
    cache.theme = (getattr(theme, "name", None), getattr(theme, "brand_css_version", None))
    prefix = "cpmark" + secrets.token_hex(8)
    app.extensions["page_cache"] = cache
    app.extensions["page_cache_markers"] = {_CSRF: prefix + "c", _NONCE: prefix + "n", _ONCE: prefix + "o"}
    app.after_request(_finish)
    from coproduce.page_front import init_front

    init_front(app, cache)
