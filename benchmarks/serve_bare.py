"""Serve the bare app (bare_app.py) with exactly the gunicorn settings `coproduce serve` uses.

    python -m benchmarks.serve_bare --port 5001 --workers 2 --database sqlite:////tmp/bare.db

The app is built once in the master process and forked into the workers, as core/server.py does.
"""

from __future__ import annotations

import argparse

from benchmarks.bare_app import create_bare_app
from coproduce.server import _Gunicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="sqlite:///bare.db")
    args = parser.parse_args(argv)
    app = create_bare_app(args.database)
    # The options of coproduce.server.run_gunicorn, less its post_fork (which resets the real app's
    # database engine; the bare app's engine holds no connection when the workers fork).
    options = {"bind": f"{args.host}:{args.port}", "workers": args.workers, "timeout": 60, "forwarded_allow_ips": ""}
    _Gunicorn(app, options).run()


if __name__ == "__main__":
    main()
