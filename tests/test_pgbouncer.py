"""The site through PgBouncer in transaction mode: each transaction may get a different server connection,
so nothing may live in a database session beyond one transaction (no SET, no session advisory locks, no
LISTEN, no server-side prepared statements: psycopg runs with prepare_threshold=None).

Runs in the PostgreSQL pass. PgBouncer is Debian's package, installed by `make test`
(scripts/ensure-system-libs.sh); this test starts its own on a free port in front of 127.0.0.1:5432.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from coproduce import create_app
from coproduce.testing.fixtures import BUNDLED_PLUGINS, PASSWORD, postgres_url
from tests.serve_helpers import Served, Site, free_port, redis_answers, redis_db_of_worker, seeded

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(postgres_url() is None, reason="runs in the PostgreSQL pass (COPRODUCE_TEST_DATABASE_URL)"),
    pytest.mark.skipif(not redis_answers(), reason="needs Redis at 127.0.0.1:6379"),
]
REDIS_DB = redis_db_of_worker(11, 0, 14, 15)  # its own for each pytest-xdist worker


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    if found is None:
        message = "needs Debian's pgbouncer package (make test installs it when run as root)"
        if os.environ.get("COPRODUCE_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def pgbouncer():
    """PgBouncer in transaction mode with two server connections, in front of the test PostgreSQL."""
    binary = pgbouncer_binary()
    upstream = sa.engine.make_url(postgres_url())
    folder = Path(tempfile.mkdtemp(prefix="coproduce-pgbouncer-"))
    folder.chmod(0o755)  # PgBouncer refuses to run as root: it drops to another user, who must read these
    port = free_port()
    (folder / "users.txt").write_text(f'"{upstream.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={upstream.host or '127.0.0.1'} port={upstream.port or 5432}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 2\n"
        "max_client_conn = 200\n"
    )
    for path in folder.iterdir():
        path.chmod(0o644)
    command = [binary]
    if os.geteuid() == 0:
        user = next((name for name in ("postgres", "nobody") if _user_exists(name)), "nobody")
        command += ["-u", user]
    log = (folder / "pgbouncer.log").open("wb")
    process = subprocess.Popen([*command, str(folder / "pgbouncer.ini")], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("PgBouncer did not start: " + (folder / "pgbouncer.log").read_text()[-2000:])
    yield port
    process.terminate()
    process.wait(timeout=20)
    log.close()
    shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def through(url: str, port: int) -> str:
    return sa.engine.make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def served(pgbouncer, databases, tmp_path_factory):
    root = tmp_path_factory.mktemp("pgbouncer-site")
    url = databases.clone()
    with seeded(url, root / "seed"):
        from coproduce.testing.fixtures import add_team, add_user

        add_team("youth", owner=add_user("owner@example.org"), plugins=("consultation_vs_coproduction",))
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=False, capture_output=True)
    server = Served(
        {
            "COPRODUCE_DATABASE_URL": through(url, pgbouncer),
            "COPRODUCE_INSTANCE_PATH": str(root / "instance"),
            "COPRODUCE_REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "COPRODUCE_SECRET_KEY": "pgbouncer-" + "k" * 40,
            "COPRODUCE_TRUST_PROXY": "true",
            "COPRODUCE_DATABASE_POOL_SIZE": "3",
        },
        root / "server.log",
        workers=2,
    )
    server.wait_until_up()
    yield server, url
    log = server.stop()
    assert "Traceback" not in log, log[-3000:]
    assert "prepared statement" not in log


def test_pages_sign_in_and_public_submissions_work_through_pgbouncer(served):
    from coproduce_plugins.consultation_vs_coproduction.scenarios import standard_deck

    server, url = served
    owner = Site(server.base)
    assert owner.post_form("/sign-in", {"email": "owner@example.org", "password": PASSWORD}) == 302
    # The same statements again and again, side by side: psycopg would prepare them on the fifth run (its
    # default), and a later transaction, handed another server connection by PgBouncer, would not find them.
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: owner.at(server.base).request("/account")[0], range(60)))
    assert statuses == [200] * 60
    assert {Site(server.base).request("/t/youth/readiness/exercise")[0] for _ in range(10)} == {200}
    answers = {card.id: card.answer for card in standard_deck().cards}
    statuses = [
        Site(server.base, client_ip=f"10.40.0.{n}").post_form("/t/youth/readiness/exercise", answers)
        for n in range(1, 13)
    ]
    assert statuses == [200] * 12
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM consultation_vs_coproduction_sort")).scalar()
    engine.dispose()
    assert stored == 12


def test_the_sites_connections_keep_nothing_between_transactions(pgbouncer, databases, tmp_path):
    """Two of the site's connections take turns, one transaction each: PgBouncer hands each transaction
    whichever server connection is free, so a statement prepared by one is missing, or already there, for
    the next. The site's engine prepares nothing, so every turn works."""
    from coproduce.extensions import db
    from coproduce.models import User

    url = databases.clone()
    app = create_app(
        {"INSTANCE_PATH": tmp_path / "instance", "DATABASE_URL": through(url, pgbouncer), "TESTING": True},
        plugins=BUNDLED_PLUGINS,
    )
    with app.app_context():
        engine = db.engine
        first, second = engine.connect(), engine.connect()
        try:
            for number in range(12):
                for connection in (first, second):
                    with connection.begin():
                        connection.execute(sa.select(User.id).where(User.email == f"n{number}@example.org")).all()
        finally:
            first.close()
            second.close()
        engine.dispose()


def test_migrations_and_a_backup_run_through_pgbouncer(served, databases, tmp_path, pgbouncer):
    server, url = served
    backup = server.command("backup", str(tmp_path / "through-pgbouncer.zip"))
    assert backup.returncode == 0, backup.stderr + backup.stdout
    assert "Backup written to" in backup.stdout
    # A rolling upgrade runs `coproduce db upgrade` through the same address as the site.
    empty = databases.create_empty()
    env = {**server.env, "COPRODUCE_DATABASE_URL": through(empty, pgbouncer)}
    env["COPRODUCE_INSTANCE_PATH"] = str(tmp_path / "new-instance")
    upgrade = subprocess.run(
        [sys.executable, "-m", "coproduce", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    engine = sa.create_engine(empty)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert {"user", "team", "user_session", "project_pack_document"} <= tables
