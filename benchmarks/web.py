"""Web figures: the real app under `coproduce serve` against the bare app (bare_app.py) under the same
gunicorn settings, side by side on this machine.

- start-up: create_app() with every bundled plugin against create_bare_app(), each in a fresh
  Python process (imports included); and `coproduce serve` until /healthz answers against the bare
  server until its page answers;
- throughput under load from wrk (another process, a fixed number of connections): the public
  assessment page (GET), saving a page of answers (POST) and the final submission that records
  a response (POST), against the bare page (GET) and the bare one-row insert (POST);
- resident memory of each gunicorn worker after the load.

The real app runs on SQLite with the demo data (`coproduce init --demo`) and 2 workers. Public
forms allow 30 POSTs a minute per address; COPRODUCE_TRUST_PROXY=true makes the app take the
address from X-Forwarded-For, which the load script sets to a new address on every request, so
the limiter is still consulted on every POST but never refuses one.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 4

# One request a call; a new X-Forwarded-For address every time (see the module's docstring).
LUA = """
counter = %(start)d
local path_template, body_template, cookie = %(path)s, %(body)s, %(cookie)s
request = function()
  counter = counter + 1
  local path = string.gsub(path_template, "{n}", string.format("%%07d", counter))
  local headers = {["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d", math.floor(counter / 65536) %% 256,
                                                       math.floor(counter / 256) %% 256, counter %% 256)}
  if cookie ~= "" then headers["Cookie"] = cookie end
  if body_template == "" then return wrk.format("GET", path, headers) end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", path, headers, body_template)
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for this ASCII text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> float:
    """Seconds until `url` answers 200 (polled every 10 ms)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}) before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory (VmRSS) of each worker process of a gunicorn master."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


@dataclass
class Load:
    rate: float  # requests per second
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors


def wrk(url: str, seconds: float, body: str = "", cookie: str = "", folder: Path = Path("."), start: int = 0) -> Load:
    """Drive `url` with wrk: one thread, CONNECTIONS connections, for `seconds`. {n} in the URL
    becomes the request's number, counted from start + 1."""
    script = folder / "load.lua"
    base, _, path = url.partition("://")[2].partition("/")
    script.write_text(
        LUA
        % {"path": _lua_string("/" + path), "body": _lua_string(body), "cookie": _lua_string(cookie), "start": start}
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), f"http://{base}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += int(found.group(1)) + int(found.group(3)) + int(found.group(4))
    return Load(rate, requests, errors)


def _python() -> str:
    return sys.executable


def _coproduce() -> list[str]:
    script = Path(sys.executable).with_name("coproduce")
    return [str(script)] if script.exists() else [sys.executable, "-m", "coproduce"]


def startup_seconds(code: str, env: dict, runs: int) -> float:
    """Median seconds a fresh Python process takes to run `code` (which prints its own timing)."""
    timings = []
    for _ in range(runs):
        out = subprocess.run([_python(), "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
        timings.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(timings)


CREATE_APP = """import time; started = time.perf_counter()
from coproduce import create_app
app = create_app()
assert len(app.extensions["plugins"].loaded) >= 3, app.extensions["plugins"].loaded
print(time.perf_counter() - started)"""
CREATE_BARE = """import time; started = time.perf_counter()
from benchmarks.bare_app import create_bare_app
app = create_bare_app({url!r})
print(time.perf_counter() - started)"""


class Site:
    """A demo instance of the real app: its folder, its readiness assessment, a session to post with."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {
            **os.environ,
            "COPRODUCE_INSTANCE_PATH": str(folder),
            "COPRODUCE_TRUST_PROXY": "true",
            "PYTHONPATH": str(REPO),
        }
        subprocess.run([*_coproduce(), "init", "--demo"], env=self.env, cwd=REPO, check=True, capture_output=True)
        with sqlite3.connect(folder / "coproduce.db") as db:
            self.team, self.code, self.assessment_id = db.execute(
                "SELECT t.slug, a.code, a.id FROM consultation_vs_coproduction_assessment a "
                "JOIN team t ON t.id = a.team_id ORDER BY a.id LIMIT 1"
            ).fetchone()

    def serve(self, port: int, log) -> subprocess.Popen:
        """The site under `coproduce serve` (gunicorn, WORKERS workers) on a local port, its output to log."""
        return subprocess.Popen(
            [*_coproduce(), "serve", "--port", str(port), "--workers", str(WORKERS)],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def public_path(self) -> str:
        return f"/t/{self.team}/readiness/a/{self.code}"

    def add_drafts(self, count: int, prefix: str) -> None:
        """`count` drafts with every question answered, tokens prefix0000001, prefix0000002, ..."""
        from sqlalchemy import insert

        from benchmarks.consultation_vs_coproduction import _answers_at
        from coproduce import create_app
        from coproduce.plugins import db
        from coproduce_plugins.consultation_vs_coproduction.campaigns import hash_token
        from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Draft
        from coproduce_plugins.consultation_vs_coproduction.versions import questionnaire_of

        app = create_app({"INSTANCE_PATH": self.folder})
        with app.app_context():
            assessment = db.session.get(Assessment, self.assessment_id)
            answers = json.loads(_answers_at(questionnaire_of(assessment.version), "involving"))
            db.session.execute(
                insert(Draft),
                [
                    {
                        "assessment_id": self.assessment_id,
                        "token_hash": hash_token(f"{prefix}{n:07d}"),
                        "group": "resident",
                        "easy_read": False,
                        "answers": answers,
                        "comment": "",
                    }
                    for n in range(1, count + 1)
                ],
            )
            db.session.commit()
            self.first_page = {
                q.id: answers[q.id] for q in questionnaire_of(assessment.version).dimensions[0].questions
            }
            db.session.remove()
            db.engine.dispose()

    def responses(self) -> int:
        with sqlite3.connect(self.folder / "coproduce.db") as db:
            return db.execute("SELECT count(*) FROM consultation_vs_coproduction_response").fetchone()[0]


def session_for_forms(base: str, path: str) -> tuple[str, str]:
    """A session cookie and the CSRF token of its form, as a browser would have after one GET."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + path).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    if token is None:
        token = re.search(r'csrf_token[^>]*value="([^"]+)"', page)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, next(g for g in token.groups() if g)


@dataclass
class WebFigures:
    create_app_s: float
    create_bare_s: float
    serve_s: float
    serve_bare_s: float
    rates: dict  # name -> (app Load, bare Load) of the round with the median ratio
    rss_app: list
    rss_bare: list
    responses_recorded: int


def run(quick: bool, log=print) -> WebFigures:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    seconds = 3 if quick else 10
    rounds = 1 if quick else 3
    root = Path(tempfile.mkdtemp(prefix="coproduce-web-bench-"))
    try:
        log("web: creating the demo site (coproduce init --demo)...")
        site = Site(root / "instance")
        # Drafts enough for the fastest submission rate we could plausibly see, in every round.
        drafts = (400 if quick else 1500) * seconds * rounds
        site.add_drafts(drafts, "bench")
        site.add_drafts(drafts, "save")  # each save to a draft of its own: a draft takes 30 POSTs a minute
        site.add_drafts(1, "page")
        site.add_drafts(1, "probe")
        bare_url = f"sqlite:///{root / 'bare.db'}"
        startup_runs = 1 if quick else 3
        log("web: start-up times...")
        create_app_s = startup_seconds(CREATE_APP, site.env, startup_runs)
        create_bare_s = startup_seconds(CREATE_BARE.format(url=bare_url), site.env, startup_runs)

        app_port, bare_port = free_port(), free_port()
        app_log, bare_log = open(root / "app.log", "w"), open(root / "bare.log", "w")
        app = site.serve(app_port, app_log)
        try:
            serve_s = wait_for(f"http://127.0.0.1:{app_port}/healthz", app)
            bare = subprocess.Popen(
                [
                    _python(),
                    "-m",
                    "benchmarks.serve_bare",
                    "--port",
                    str(bare_port),
                    "--workers",
                    str(WORKERS),
                    "--database",
                    bare_url,
                ],
                env=site.env,
                cwd=REPO,
                stdout=bare_log,
                stderr=subprocess.STDOUT,
            )
            try:
                serve_bare_s = wait_for(f"http://127.0.0.1:{bare_port}/", bare)
                figures = _load(
                    site, f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}", seconds, rounds, root, log
                )
                rss_app, rss_bare = worker_rss_mb(app.pid), worker_rss_mb(bare.pid)
            finally:
                stop(bare)
        finally:
            stop(app)
        return WebFigures(
            create_app_s, create_bare_s, serve_s, serve_bare_s, figures, rss_app, rss_bare, site.responses()
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _load(site: Site, app_base: str, bare_base: str, seconds: float, rounds: int, root: Path, log) -> dict:
    public = site.public_path()
    cookie, csrf = session_for_forms(app_base, public)
    from urllib.parse import urlencode

    page_body = urlencode({"csrf_token": csrf, **site.first_page})
    check_body = urlencode({"csrf_token": csrf})
    # One of each by hand first: a POST the app refused (400) or sent back with errors (200) would
    # count as a success in wrk's figures; both must redirect onwards.
    for path, body, onwards in (
        (f"{public}/r/page0000001/1", page_body, f"{public}/r/page0000001/2"),
        (f"{public}/r/probe0000001/check", check_body, f"{public}/r/probe0000001/result"),
    ):
        status, location = _post(app_base + path, body, cookie)
        if status not in (302, 303) or not location.endswith(onwards):
            raise RuntimeError(f"POST {path} answered {status} {location!r}, not a redirect to {onwards}")
    before = site.responses()
    cases = {
        "public page GET": (
            lambda: wrk(app_base + public, seconds, folder=root),
            lambda: wrk(bare_base + "/", seconds, folder=root),
        ),
        "save answers POST": (
            lambda: wrk(app_base + f"{public}/r/save{{n}}/1", seconds, page_body, cookie, root, start=next_save[0]),
            lambda: wrk(bare_base + "/", seconds, "answer=b", folder=root),
        ),
        "submit response POST": (
            lambda: wrk(
                app_base + f"{public}/r/bench{{n}}/check", seconds, check_body, cookie, root, start=next_draft[0]
            ),
            lambda: wrk(bare_base + "/", seconds, "answer=b", folder=root),
        ),
    }
    # warm both servers (templates, translations, connections) before measuring
    wrk(app_base + public, 1, folder=root)
    wrk(bare_base + "/", 1, folder=root)
    measured: dict[str, list[tuple[Load, Load]]] = {name: [] for name in cases}
    next_draft = [0]  # each submission uses a draft not submitted before, across rounds
    next_save = [0]  # and each save a draft not saved to before
    for number in range(rounds):
        for name, (app_case, bare_case) in cases.items():
            app_load, bare_load = app_case(), bare_case()
            log(
                f"web: round {number + 1} {name}: app {app_load.rate:.0f}/s, bare {bare_load.rate:.0f}/s"
                + (f" ({app_load.errors} app errors)" if app_load.errors else "")
            )
            measured[name].append((app_load, bare_load))
            if name.startswith("submit"):
                next_draft[0] += app_load.requests + 2 * CONNECTIONS  # and the few sent but not counted
            if name.startswith("save"):
                next_save[0] += app_load.requests + 2 * CONNECTIONS
    recorded = site.responses() - before
    if recorded < next_draft[0] - rounds * 2 * CONNECTIONS:
        raise RuntimeError(f"only {recorded} responses were recorded for {next_draft[0]} submissions")
    log(f"web: {recorded} responses recorded by the submissions")
    # Each round runs the app and the bare app one after the other: keep the round whose ratio is
    # the median, so both rates come from the same moment of the machine's load.
    return {
        name: sorted(pairs, key=lambda pair: pair[0].rate / pair[1].rate)[len(pairs) // 2]
        for name, pairs in measured.items()
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, body: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=body.encode(),
        headers={
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "10.255.0.1",
        },
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")
