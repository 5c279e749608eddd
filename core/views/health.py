"""GET /healthz: is the database reachable, which plugins are loaded or failing, how long the job queue is."""

from __future__ import annotations

import os

from flask import Blueprint, current_app
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
    for plugin_name, pairs in host.all_hooks().each("health_checks"):
        for name, check in pairs or []:
            try:
                check()
                checks[f"{plugin_name}.{name}"] = "ok"
            except Exception as error:  # noqa: BLE001
                checks[f"{plugin_name}.{name}"] = f"failing: {error}"
    database_ok = checks["database"] == "ok"
    status = "unhealthy" if not database_ok else "ok" if all(v == "ok" for v in checks.values()) else "degraded"
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
    return body, 200 if database_ok else 503


def _queue() -> dict:
    """Background jobs waiting and scheduled, emails waiting or failed, the oldest waiting (coproduce.tasks)."""
    from coproduce.tasks import queue_status

    try:
        return queue_status(current_app)
    except Exception as error:  # noqa: BLE001 - report, never raise
        db.session.rollback()
        return {"error": f"unreadable: {type(error).__name__}"}
