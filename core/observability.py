"""Request logs with a request id (JSON when LOG_FORMAT=json), and errors logged with that id."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request
from flask_login import current_user

from coproduce.helpers import loaded_slug

log = logging.getLogger("coproduce.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _start():
    asked = request.headers.get("X-Request-Id", "")
    g.request_id = asked if REQUEST_ID.match(asked) else uuid.uuid4().hex[:16]
    g.request_started = time.perf_counter()


def request_fields(status: int) -> dict:
    team = g.get("team")
    user_id = current_user.get_id().split(":")[0] if current_user and current_user.is_authenticated else None
    return {
        "request_id": g.get("request_id"),
        "method": request.method,
        "path": request.path,
        "status": status,
        "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
        "user_id": int(user_id) if user_id else None,
        "team": loaded_slug(team),
    }


def _finish(response):
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if not request.path.startswith(("/static/", "/theme/static/")):
        try:
            fields = request_fields(response.status_code)
        except Exception:  # noqa: BLE001 - a broken database must not stop the answer (or its headers)
            log.warning("request fields unavailable", exc_info=True)
            return response
        if g.get("log_json"):
            log.info(json.dumps(fields))
        else:
            log.info(
                "%(method)s %(path)s %(status)s %(duration_ms)sms request=%(request_id)s user=%(user_id)s "
                "team=%(team)s",
                fields,
            )
    return response


def log_exception(error: BaseException) -> str:
    """Log an unexpected error with the request id; returns the id to show the person."""
    request_id = g.get("request_id", "-")
    logging.getLogger("coproduce.errors").error(
        "unhandled %s on %s %s request=%s",
        type(error).__name__,
        request.method,
        request.path,
        request_id,
        exc_info=error,
    )
    return request_id


def init_observability(app: Flask) -> None:
    as_json = app.config.get("LOG_FORMAT") == "json"
    app.before_request(_start)
    app.before_request(lambda: setattr(g, "log_json", as_json))
    app.after_request(_finish)
