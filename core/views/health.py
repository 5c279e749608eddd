"""GET /healthz: are the database and the storage reachable, which plugins are loaded or failing, how long
the job queue is.

The public (a load balancer outside the host, anyone) reads only {"status": "ok"} or
{"status": "unavailable"}; the details (worker PID, each check, plugins that failed to load and why)
go to site admins and to requests from the host itself (monitoring on localhost)."""

from __future__ import annotations

import ipaddress
import os

from flask import Blueprint, current_app, request
from flask_login import current_user
from sqlalchemy import text

from coproduce.extensions import csrf, db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    host = current_app.extensions["plugins"]
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - report, never raise
        db.session.rollback()
        checks["database"] = f"unreachable: {type(error).__name__}"
    try:
        current_app.extensions["storage"].check()
        checks["storage"] = "ok"
    except Exception as error:  # noqa: BLE001 - report, never raise
        checks["storage"] = f"unreachable: {type(error).__name__}"
    for plugin_name, pairs in host.all_hooks().each("health_checks"):
        for name, check in pairs or []:
            try:
                check()
                checks[f"{plugin_name}.{name}"] = "ok"
            except Exception as error:  # noqa: BLE001
                checks[f"{plugin_name}.{name}"] = f"failing: {error}"
    # A server that cannot reach the database or the shared storage is taken out by the load balancer.
    serving = checks["database"] == "ok" and checks["storage"] == "ok"
    if not _may_see_details():
        return {"status": "ok" if serving else "unavailable"}, 200 if serving else 503
    status = "unhealthy" if not serving else "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    body = {
        "status": status,
        "worker": os.getpid(),
        "checks": checks,
        "plugins": {
            "loaded": sorted(host.loaded),
            "failed": dict(sorted(host.failed.items())),
        },
        "queue": _queue(),
    }
    return body, 200 if serving else 503


def _may_see_details() -> bool:
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    return local or bool(current_user.is_authenticated and current_user.is_site_admin)


def _queue() -> dict:
    """Background jobs waiting and scheduled, emails waiting or failed, the oldest waiting (coproduce.tasks)."""
    from coproduce.tasks import queue_status

    try:
        return queue_status(current_app)
    except Exception as error:  # noqa: BLE001 - report, never raise
        db.session.rollback()
        return {"error": f"unreadable: {type(error).__name__}"}
