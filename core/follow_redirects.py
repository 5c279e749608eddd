"""One request per step of a journey: a form sent by coproduce.js gets the next page in the POST's answer.

Every form keeps post/redirect/get: the POST answers "303 See Other" and the browser asks for the next
page, so a refresh or the back button never sends a form twice. On a phone line with 150 ms round trips
that second request is a quarter of a second per page. When coproduce.js sends a form marked
`data-coproduce-follow` it adds the header `X-Coproduce-Follow: 1`, and `FollowRedirects`, in front of the
app, then asks the app for the page the POST redirects to itself, in the same process, with the cookies
the POST set, and sends that page in the POST's answer with `X-Coproduce-Location: <its address>`. The
script shows the page and puts its address in the address bar (history.pushState), so a refresh asks for
that address with a GET, as after a redirect.

Only a redirect to a path on this site is followed (never one to another host), only once, and only for a
POST carrying the header: a browser sends it from this site's own pages alone (another site's page cannot
add a header to a request here without CORS, which Coproduce never allows). Without JavaScript nothing
changes. The app itself sees two ordinary requests, each with its own limits, checks and log line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http.cookies import CookieError, SimpleCookie
from io import BytesIO
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

#: The request header coproduce.js sends with a form it wants answered with the next page.
FOLLOW_HEADER = "X-Coproduce-Follow"
#: The response header telling the script the address of the page it was sent instead of a redirect.
LOCATION_HEADER = "X-Coproduce-Location"

_FOLLOWED = frozenset({"301", "302", "303"})  # a browser turns a POST into a GET after these
_ENVIRON_FOLLOW = "HTTP_" + FOLLOW_HEADER.upper().replace("-", "_")
# What a framework leaves in the environ of the request it handled, which the next request must not inherit.
_PER_REQUEST = ("werkzeug.request", "werkzeug.proxy_fix.orig")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def local_target(location: str) -> str | None:
    """The path and query of a redirect to this site ("/t/x?lang=cy"), or None for anywhere else."""
    if not location.startswith("/") or location.startswith(("//", "/\\")):
        return None
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _set_cookies(headers: list[tuple[str, str]]) -> dict[str, str | None]:
    """Cookie name -> its new value, or None where the response deletes it."""
    found: dict[str, str | None] = {}
    for name, value in headers:
        if name.lower() != "set-cookie":
            continue
        parsed: SimpleCookie = SimpleCookie()
        try:
            parsed.load(value)
        except CookieError:
            continue
        for key, morsel in parsed.items():
            deleted = morsel["max-age"] == "0" or (morsel.coded_value in ("", '""') and bool(morsel["expires"]))
            found[key] = None if deleted else morsel.coded_value
    return found


def cookie_header(sent: str, changes: dict[str, str | None]) -> str:
    """The Cookie header a browser would send next: `sent` with the cookies a response set or deleted."""
    pairs: dict[str, str] = {}
    for part in sent.split(";"):
        name, equals, value = part.strip().partition("=")
        if equals and name:
            pairs.setdefault(name, value)
    for name, changed in changes.items():
        if changed is None:
            pairs.pop(name, None)
        else:
            pairs[name] = changed
    return "; ".join(f"{name}={value}" for name, value in pairs.items())


def _get_environ(original: dict[str, Any], target: str, cookies: str) -> dict[str, Any]:
    environ = {key: value for key, value in original.items() if key not in _PER_REQUEST}
    path, _, query = target.partition("?")
    script_name = environ.get("SCRIPT_NAME", "")
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :]
    environ.update(
        REQUEST_METHOD="GET",
        PATH_INFO=unquote_to_bytes(path).decode("latin-1"),  # WSGI's PATH_INFO is the decoded path, as latin-1
        QUERY_STRING=query,
        CONTENT_LENGTH="0",
        HTTP_COOKIE=cookies,
    )
    environ["wsgi.input"] = BytesIO(b"")
    for key in ("CONTENT_TYPE", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_ORIGIN", _ENVIRON_FOLLOW):
        environ.pop(key, None)
    if not cookies:
        environ.pop("HTTP_COOKIE")
    return environ


class FollowRedirects:
    """WSGI middleware: a POST sent with FOLLOW_HEADER that redirects here is answered with the page itself."""

    def __init__(self, app: WSGIApp):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get(_ENVIRON_FOLLOW) != "1":
            return self.app(environ, start_response)
        original = dict(environ)  # middleware behind this one (ProxyFix) changes the environ it is given
        answered: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info=None):
            answered[:] = [status, headers, exc_info]
            return lambda _data: None  # the write() callable: Flask never uses it

        body = self.app(environ, keep)
        status, headers, exc_info = answered
        location = next((v for k, v in headers if k.lower() == "location"), "")
        target = local_target(location) if status[:3] in _FOLLOWED else None
        if target is None:
            start_response(status, headers, exc_info)
            return body
        if hasattr(body, "close"):
            body.close()  # a redirect's few bytes of body are not needed
        changes = _set_cookies(headers)
        get_environ = _get_environ(original, target, cookie_header(original.get("HTTP_COOKIE", ""), changes))

        def finish(status: str, page_headers: list[tuple[str, str]], exc_info=None):
            own = set(_set_cookies(page_headers))
            carried = [
                (k, v) for k, v in headers if k.lower() == "set-cookie" and not own.intersection(_set_cookies([(k, v)]))
            ]
            return start_response(status, [*page_headers, *carried, (LOCATION_HEADER, target)], exc_info)

        return self.app(get_environ, finish)
