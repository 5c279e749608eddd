"""Installed the documented way, from a wheel, outside the checkout, Coproduce is a whole site.

The wheel is built from a copy of the checkout's tracked files (plus the built GOV.UK assets, as
`make dist` has them), installed in a new virtual environment, and run from another directory:
`coproduce init --demo`, then `coproduce serve`. Slow the first time: it installs every dependency (from
pip's cache); the installation is then kept until a source file changes (the `installed` fixture).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from coproduce.testing import postgres_url

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow
GENERIC = {"core", "plugins", "themes", "tests", "benchmarks", "scripts"}


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own local server
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _sources() -> list[Path]:
    """What the wheel is built from: the checkout's tracked files and the built GOV.UK assets."""
    tracked = [REPO / name for name in _run("git", "ls-files", cwd=REPO).stdout.split()]
    built = sorted(p for p in (REPO / "core" / "static" / "govuk").rglob("*") if p.is_file())
    return [p for p in tracked if p.is_file()] + built


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in files:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _build(work: Path, files: list[Path]) -> None:
    source = work / "source"
    for path in files:
        (source / path.relative_to(REPO)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, source / path.relative_to(REPO))
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(source))
    wheel = next((work / "dist").glob("coproduce-*.whl"))
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    _run(
        str(venv / "bin" / "pip"),
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        str(REPO / "requirements.lock"),
        str(wheel),
    )
    shutil.rmtree(source)


@pytest.fixture(scope="module")
def installed():
    """A new virtual environment holding Coproduce from its wheel, and the wheel's path.

    Building and installing take about a minute, so the result is kept beside the running environment
    (sys.prefix/packaging-tests/<digest>), keyed on the digest of every file the wheel is built from:
    the other pytest worker and the PostgreSQL pass of `make test` use the same one, and any change to a
    source file makes a new one (the old ones are removed). A lock keeps two workers from building at once.
    """
    files = _sources()
    kept = Path(sys.prefix) / "packaging-tests"
    kept.mkdir(exist_ok=True)
    work = kept / _digest(files)
    with open(kept / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (work / "built").exists():
                for old in kept.iterdir():
                    if old.is_dir():
                        shutil.rmtree(old)
                work.mkdir()
                _build(work, files)
                (work / "built").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return work / "venv", next((work / "dist").glob("coproduce-*.whl"))


def test_the_wheel_carries_catalogs_and_styles_under_branded_names_only(installed):
    _venv, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == {"coproduce", "coproduce_plugins", "coproduce_themes"}
    assert not tops & GENERIC
    assert "coproduce/static/govuk/govuk-frontend.min.css" in names
    assert "coproduce/static/govuk/govuk-frontend.min.css.br" in names  # served to browsers that accept brotli
    for locale in ("cy", "pl", "ur"):
        assert f"coproduce/translations/{locale}/LC_MESSAGES/coproduce.mo" in names
        assert f"coproduce_plugins/project_pack/translations/{locale}/LC_MESSAGES/project_pack.mo" in names
    assert not [name for name in names if "/tests/" in name]


def test_installed_site_runs_from_another_directory(installed, tmp_path):
    venv, _wheel = installed
    site = tmp_path / "council"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    coproduce = str(venv / "bin" / "coproduce")

    before = subprocess.run([coproduce, "plugins", "list"], cwd=site, env=env, capture_output=True, text=True)
    assert before.returncode == 2 and before.stderr.strip().count("\n") == 0, before.stderr
    assert "run `coproduce init` first" in before.stderr
    init = _run(coproduce, "init", "--demo", cwd=site, env=env).stdout
    assert "Site admin created" in init
    assert (site / "instance" / "coproduce.db").exists(), (
        "the instance folder is ./instance under the working directory"
    )
    assert not list((venv / "lib").rglob("instance")), "nothing is written inside the installed package"
    listing = _run(coproduce, "plugins", "list", cwd=site, env=env).stdout
    for name in ("consultation_vs_coproduction", "project_pack", "procurement_social_value"):
        assert name in listing

    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [coproduce, "serve", "--port", str(port), "--workers", "1"], cwd=site, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline, (tmp_path / "serve.log").read_text()[-2000:]
            time.sleep(0.3)
        status, css = _get(base + "/static/govuk/govuk-frontend.min.css")
        assert status == 200 and ".govuk-header" in css
        status, english = _get(base + "/")
        fingerprinted = re.search(r'href="(/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.css)"', english).group(1)
        request = urllib.request.Request(base + fingerprinted, headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own local server
            assert response.headers["Content-Encoding"] == "br"
            assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        status_cy, welsh = _get(base + "/?lang=cy")
        assert status == status_cy == 200
        assert 'lang="cy"' in welsh and welsh != english
        assert "Cymraeg" in welsh and ("Cyfrif" in welsh or "Mewngofnodi" in welsh), "the Welsh page is in Welsh"
        assert not (Path.home() / ".gunicorn" / f"gunicorn-{port}.ctl").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_installed_migrations_apply_on_postgresql(installed, tmp_path):
    url = postgres_url()
    if not url:
        pytest.skip("runs in the PostgreSQL pass (COPRODUCE_TEST_DATABASE_URL)")
    venv, _wheel = installed
    name = f"cpt_wheel_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
        env["COPRODUCE_DATABASE_URL"] = sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
        env["COPRODUCE_INSTANCE_PATH"] = str(tmp_path / "instance")
        _run(str(venv / "bin" / "coproduce"), "db", "upgrade", cwd=tmp_path, env=env)
        engine = sa.create_engine(env["COPRODUCE_DATABASE_URL"])
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
        engine.dispose()
        assert {"user", "team", "project_pack_project"} <= tables
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
