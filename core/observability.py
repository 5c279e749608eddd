"""Request logs with a request id (JSON when LOG_FORMAT=json), and errors logged with that id."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

from coproduce.helpers import loaded_slug

log = logging.getLogger("coproduce.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: What a secret in a URL looks like when the route is not known (a mistyped or expired link): long,
#: URL-safe, mixed case with digits. Slugs and words are lower case, so they stay readable in the logs.
_SECRET_LOOKING = re.compile(r"^(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9_.~-]{20,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REDACTED = "[redacted]"


def _is_secret_arg(name: str) -> bool:
    return "token" in name or name in {"secret", "key"}


def logged_path() -> str:
    """The request path for the logs: secret tokens (save, supplier and reset links) replaced by
    [redacted], and control characters written as escapes so that CR/LF cannot start a forged line."""
    secrets = {str(v) for k, v in (request.view_args or {}).items() if _is_secret_arg(k)}
    segments = [
        REDACTED if segment in secrets or _SECRET_LOOKING.match(segment) else segment
        for segment in request.path.split("/")
    ]
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", "/".join(segments))


def request_id(asked: str) -> str:
    """The id a client sent in X-Request-Id when it looks like one, else a new one."""
    return asked if REQUEST_ID.match(asked) else uuid.uuid4().hex[:16]


def _start():
    g.request_id = request_id(request.headers.get("X-Request-Id", ""))
    g.request_started = time.perf_counter()


def request_fields(status: int) -> dict:
    team = g.get("team")
    user_id = current_user.get_id().split(":")[0] if current_user and current_user.is_authenticated else None
    return {
        "request_id": g.get("request_id"),
        "method": request.method,
        "path": logged_path(),
        "status": status,
        "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
        "user_id": int(user_id) if user_id else None,
        "team": loaded_slug(team),
        "worker": os.getpid(),
        "page_cache": g.get("page_cache"),  # "hit" or "miss" when the page cache answered or kept the page
    }


def _finish(response):
    if "request_id" not in g:  # refused by the input layer before the request was started
        _start()
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if not request.path.startswith(("/static/", "/theme/static/")):
        try:
            fields = request_fields(response.status_code)
        except Exception:  # noqa: BLE001 - a broken database must not stop the answer (or its headers)
            log.warning("request fields unavailable", exc_info=True)
            return response
        write_request_line(fields, bool(g.get("log_json")))
    return response


def write_request_line(fields: dict, as_json: bool) -> None:
    """One line for one request (coproduce.page_front writes those it answers itself with this too)."""
    if as_json:
        log.info(json.dumps(fields))
    else:  # an empty field is "-", as web servers write it, not Python's None
        log.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms request=%(request_id)s user=%(user_id)s "
            "team=%(team)s worker=%(worker)s page_cache=%(page_cache)s",
            {key: "-" if value is None else value for key, value in fields.items()},
        )


def log_exception(error: BaseException) -> str:
    """Log an unexpected error with the request id; returns the id to show the person."""
    request_id = g.get("request_id", "-")
    logging.getLogger("coproduce.errors").error(
        "unhandled %s on %s %s request=%s",
        type(error).__name__,
        request.method,
        logged_path(),
        request_id,
        exc_info=error,
    )
    return request_id


def init_observability(app: Flask) -> None:
    as_json = app.config.get("LOG_FORMAT") == "json"
    app.before_request(_start)
    app.before_request(lambda: setattr(g, "log_json", as_json))
    app.after_request(_finish)
