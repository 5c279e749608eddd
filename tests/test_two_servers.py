"""Two app servers behind one address: each its own instance folder, sharing one PostgreSQL database,
one Redis and one storage folder (COPRODUCE_STORAGE_URL), as a council's load balancer would run them.

Runs in the PostgreSQL pass of `make test` (it needs a real PostgreSQL and Redis on 127.0.0.1).
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from coproduce.testing.fixtures import PASSWORD, postgres_url
from tests.serve_helpers import Served, Site, csrf_token, redis_answers, redis_db_of_worker, seeded

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(postgres_url() is None, reason="runs in the PostgreSQL pass (COPRODUCE_TEST_DATABASE_URL)"),
    pytest.mark.skipif(not redis_answers(), reason="needs Redis at 127.0.0.1:6379"),
]
REDIS_DB = redis_db_of_worker(10, 3, 2, 1)  # its own for each pytest-xdist worker
# A PDF with every byte value in it, so any change on the way through a server shows.
DOCUMENT = b"%PDF-1.4 minutes of the youth forum\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def site(databases, tmp_path_factory):
    """Servers `one` and `two`, the shared storage folder and the database URL."""
    root = tmp_path_factory.mktemp("two-servers")
    url = databases.clone()
    with seeded(url, root / "seed"):
        from coproduce.extensions import db
        from coproduce.testing.fixtures import add_team, add_user
        from coproduce_plugins.project_pack.models import Project

        owner = add_user("owner@example.org")
        team = add_team("youth", owner=owner, plugins=("project_pack", "consultation_vs_coproduction"))
        db.session.add(Project(team_id=team.id, title="Skate park", summary="Designed by young people"))
        db.session.commit()
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=False, capture_output=True)
    shared = root / "council-file-server" / "coproduce"
    common = {
        "COPRODUCE_DATABASE_URL": url,
        "COPRODUCE_REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "COPRODUCE_STORAGE_URL": str(shared),
        "COPRODUCE_SECRET_KEY": "two-servers-" + "k" * 40,
        "COPRODUCE_SERVERS": "2",
        "COPRODUCE_TRUST_PROXY": "true",
    }
    servers = {}
    for name in ("one", "two"):
        settings = {**common, "COPRODUCE_INSTANCE_PATH": str(root / name)}
        servers[name] = Served(settings, root / f"{name}.log")
    for served in servers.values():
        served.wait_until_up()
    yield servers["one"], servers["two"], shared, url
    for name, served in servers.items():
        log = served.stop()
        assert "Traceback" not in log, f"server {name}:\n" + log[-3000:]
        assert served.process.returncode == 0, f"server {name} exited with {served.process.returncode}"


def signed_in(base: str) -> Site:
    person = Site(base, client_ip="10.20.0.1")
    assert person.post_form("/sign-in", {"email": "owner@example.org", "password": PASSWORD}) == 302
    return person


def project_id(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT id FROM project_pack_project WHERE title = 'Skate park'")).scalar_one()
    engine.dispose()
    return found


def test_a_document_uploaded_through_one_downloads_byte_for_byte_through_the_other(site):
    one, two, shared, url = site
    pid = project_id(url)
    person = signed_in(one.base)
    status = person.post_file(
        f"/t/youth/projects/{pid}/documents/new", {"title": "Minutes"}, {"file": ("minutes.pdf", DOCUMENT)}
    )
    assert status == 302
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        document_id, key = conn.execute(
            sa.text("SELECT id, key FROM project_pack_document WHERE title = 'Minutes'")
        ).one()
    engine.dispose()
    # Kept in the shared folder, not in the first server's instance folder.
    assert (shared / key[:2] / key).read_bytes() == DOCUMENT
    assert not (Path(one.env["COPRODUCE_INSTANCE_PATH"]) / "uploads").exists()

    status, body, headers = person.at(two.base).raw(f"/t/youth/projects/{pid}/documents/{document_id}")
    assert status == 200
    assert body == DOCUMENT
    assert headers["Content-Disposition"].startswith("attachment")


def test_a_person_signed_in_on_one_carries_on_on_the_other(site):
    one, two, _, _ = site
    person = signed_in(one.base)
    on_two = person.at(two.base)
    status, page = on_two.request("/account")
    assert status == 200 and "owner@example.org" in page
    # A form drawn by one server is accepted by the other (the CSRF token is signed with the shared key).
    status, page = person.request("/t/youth/manage/plugins")
    assert status == 200
    token = csrf_token(page)
    assert (
        on_two.request("/t/youth/manage/plugins/consultation_vs_coproduction", {"enabled": "1", "csrf_token": token})[0]
        == 302
    )
    # Signing out on the second ends the session on the first too.
    status, page = on_two.request("/account")
    assert on_two.request("/sign-out", {"csrf_token": csrf_token(page)})[0] == 302
    assert person.request("/account")[0] == 302


def test_a_rate_limit_counts_across_both_servers(site):
    one, two, _, _ = site
    visitor = Site(one.base, client_ip="10.30.0.9")
    statuses = []
    for attempt in range(11):
        at = visitor if attempt % 2 == 0 else visitor.at(two.base)
        statuses.append(at.post_form("/sign-in", {"email": "nobody@example.org", "password": "wrong wrong wrong"}))
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_a_backup_taken_from_either_server_holds_everything(site, tmp_path):
    one, two, shared, url = site
    person = signed_in(two.base)
    status = person.post_file(
        f"/t/youth/projects/{project_id(url)}/documents/new", {"title": "Plan"}, {"file": ("plan.pdf", DOCUMENT)}
    )
    assert status == 302
    stored = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*") if p.is_file())
    assert stored
    for served, name in ((one, "from-one.zip"), (two, "from-two.zip")):
        target = tmp_path / name
        result = served.command("backup", str(target))
        assert result.returncode == 0, result.stderr + result.stdout
        with zipfile.ZipFile(target) as archive:
            files = sorted(n[len("uploads/") :] for n in archive.namelist() if n.startswith("uploads/"))
            assert files == stored
            for relative in stored:
                assert archive.read(f"uploads/{relative}") == (shared / relative).read_bytes()
            manifest = json.loads(archive.read("manifest.json"))
            assert manifest["tables"]["project_pack_document"] >= 1
            assert manifest["tables"]["user_session"] >= 1


def test_a_plugin_switched_off_on_the_second_is_off_on_the_first_at_once(site):
    one, two, _, _ = site
    assert Site(one.base).request("/t/youth/projects/")[0] == 200
    owner = signed_in(two.base)
    status, page = owner.request("/t/youth/manage/plugins")
    assert (
        owner.request("/t/youth/manage/plugins/project_pack", {"enabled": "0", "csrf_token": csrf_token(page)})[0]
        == 302
    )
    assert {Site(one.base).request("/t/youth/projects/")[0] for _ in range(5)} == {404}
    assert {Site(two.base).request("/t/youth/projects/")[0] for _ in range(5)} == {404}


def test_check_deploy_passes_the_two_servers_but_for_the_mail_server_and_tls(site):
    one, _, _, _ = site
    result = one.command("check-deploy")
    unsafe = [line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("UNSAFE")]
    # These servers have no mail relay and no TLS proxy; everything else a second server needs is shared.
    assert unsafe == ["UNSAFE COPRODUCE_SITE_URL / COPRODUCE_TRUST_PROXY", "UNSAFE COPRODUCE_MAIL_SERVER"]
