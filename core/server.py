"""Run the app under gunicorn (the `coproduce serve` command)."""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _post_fork(server, worker):
    """Each worker starts clean: its own database connections, and no app context left over
    from the command line (else every request in the worker would share one `g` and one
    database session, and a signed-in person would look signed out to half the workers)."""
    from flask.globals import _cv_app

    from coproduce.extensions import db

    worker.coproduce_leftovers = []
    while (leftover := _cv_app.get(None)) is not None:
        leftover.pop()
        worker.coproduce_leftovers.append(leftover)
    app = server.app.application
    with app.app_context():
        db.engine.dispose(close=False)


def _worker_exit(server, worker):
    """Put the command line's app contexts back as they were, so the worker's exit unwinds them cleanly
    (else every worker ends with a LookupError and exit code 1)."""
    for leftover in reversed(getattr(worker, "coproduce_leftovers", [])):
        leftover.push()


def _hide_server_header() -> None:
    """gunicorn writes `Server: gunicorn` on every response, with no setting to stop it: a free hint for
    anyone scanning for a version to attack. Drop that line from the headers it writes."""
    from gunicorn.http import wsgi

    if getattr(wsgi.Response.default_headers, "coproduce_without_server", False):
        return
    original = wsgi.Response.default_headers

    def default_headers(self):
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.coproduce_without_server = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers


def run_gunicorn(app: Flask, host: str, port: int, workers: int) -> None:
    _hide_server_header()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "post_fork": _post_fork,
        "worker_exit": _worker_exit,
        "timeout": 60,
        # gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default: every site on a host
        # would share it. Coproduce needs none.
        "control_socket_disable": True,
        "forwarded_allow_ips": ",".join(app.config.get("TRUSTED_PROXIES") or [])
        if app.config.get("TRUST_PROXY")
        else "",
    }
    _Gunicorn(app, options).run()
