"""Fixtures for core's tests and any plugin's (a pytest plugin, registered through `pytest11`):
a migrated database per test, apps, people, teams.

Which plugins the apps hold is the session fixture `coproduce_test_plugins` (default: the bundled ones);
a plugin's own conftest.py overrides it to add itself.

The database engine comes from COPRODUCE_TEST_DATABASE_URL (PostgreSQL) or is a SQLite file.
A migrated template database is built once per session and cloned for every test; on PostgreSQL a test's
database is then emptied back to the template for the next test of the process when it certainly can be
(coproduce.testing.database_reset), which costs milliseconds where a clone costs a fraction of a second.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from coproduce import create_app
from coproduce.extensions import db
from coproduce.models import Membership, Role, Team, User
from coproduce.testing import database_reset

BUNDLED_PLUGINS = [
    "coproduce_plugins.consultation_vs_coproduction",
    "coproduce_plugins.project_pack",
    "coproduce_plugins.procurement_social_value",
    "coproduce_plugins.initiatives",
]
_TEST_PLUGINS = object()  # make_app's default: the coproduce_test_plugins fixture
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Argon2 at the site's cost takes about 0.2 s a hash, and the tests hash thousands of passwords: in this
    process they use argon2 at its lowest cost. Sites started as separate processes keep the real cost
    (test_accounts checks it)."""
    from argon2 import PasswordHasher

    from coproduce.models import user

    real = user._hasher
    user._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    user._hasher = real


def postgres_url() -> str | None:
    return os.environ.get("COPRODUCE_TEST_DATABASE_URL") or None


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(sa.engine.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


class DatabaseFactory:
    """Makes a fresh, migrated database for each test by cloning a template."""

    def __init__(self, workdir: Path, plugins: list[str]):
        self.workdir = workdir
        self.plugins = plugins
        self.pg = postgres_url()
        self.prefix = f"cpt_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template = self._build_template()
        self.created: list[str] = []
        self.spare: list[str] = []  # PostgreSQL: databases given back clean by earlier tests of this process
        self.snapshot = database_reset.read_template(self._url_for(self.template)) if self.pg else None

    def _url_for(self, name: str) -> str:
        if self.pg:
            return sa.engine.make_url(self.pg).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.workdir / (name + '.db')}"

    def create_empty(self) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        self.created.append(name)
        if self.pg:
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return self._url_for(name)

    def _build_template(self) -> str:
        name = f"{self.prefix}_template"
        url = self._url_for(name)
        if self.pg:
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        app = create_app(
            {
                "INSTANCE_PATH": self.workdir / "template-instance",
                "DATABASE_URL": url,
                "TESTING": True,
                "TASKS_IMMEDIATE": True,
            },
            plugins=self.plugins,
        )
        with app.app_context():
            from coproduce.migrations_config import upgrade_all

            upgrade_all()
            db.engine.dispose()
        return name

    def clone(self) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        self.created.append(name)
        if self.pg:
            with _admin_engine(self.pg).connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        else:
            shutil.copyfile(self.workdir / f"{self.template}.db", self.workdir / f"{name}.db")
        return self._url_for(name)

    def lend(self) -> str:
        """A database as the template is, for one test: on PostgreSQL one an earlier test gave back, when
        there is one, else a new clone."""
        return self.spare.pop() if self.spare else self.clone()

    def give_back(self, url: str) -> None:
        """After the test: on PostgreSQL emptied for the next one (coproduce.testing.database_reset) when it
        certainly can be, else dropped."""
        if self.snapshot is not None and database_reset.reset(url, self.snapshot):
            self.spare.append(url)
        else:
            self.drop(url)

    def drop(self, url: str) -> None:
        if not self.pg:
            return
        name = sa.engine.make_url(url).database
        with _admin_engine(self.pg).connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self) -> None:
        if self.pg:
            for name in self.created + [self.template]:
                self.drop(self._url_for(name))


@pytest.fixture(scope="session")
def coproduce_test_plugins() -> list[str]:
    """The plugins every test app holds (and the template database is migrated for)."""
    return list(BUNDLED_PLUGINS)


@pytest.fixture(scope="session")
def databases(tmp_path_factory, coproduce_test_plugins):
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"), coproduce_test_plugins)
    yield factory
    factory.drop_all()


@pytest.fixture
def database_url(databases):
    url = databases.lend()
    yield url
    databases.give_back(url)


@pytest.fixture
def make_app(tmp_path, database_url, coproduce_test_plugins):
    """Build an app on this test's database; keyword arguments override settings."""
    apps = []

    def build(plugins=_TEST_PLUGINS, **settings):
        """plugins: a list of modules or dotted names; None discovers them through entry points."""
        plugins = list(coproduce_test_plugins) if plugins is _TEST_PLUGINS else plugins
        config = {
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": database_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PLUGINS_RAISE_HOOK_ERRORS": True,
            "SERVER_NAME": "coproduce.test",
            "TASKS_IMMEDIATE": True,  # jobs run at once, in the test; tests of the worker turn this off
        }
        config.update(settings)
        app = create_app(config, plugins=plugins)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    app.extensions["plugins"].pm.check_pending()
    return app


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def add_user(
    email: str, *, admin: bool = False, name: str | None = None, password: str = PASSWORD, confirmed: bool = True
) -> User:
    from coproduce.models.types import utcnow

    user = User(
        email=email,
        display_name=name or email.split("@")[0].title(),
        is_site_admin=admin,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def add_team(
    slug: str, *, owner: User | None = None, members: tuple[User, ...] = (), plugins: tuple[str, ...] = ()
) -> Team:
    from flask import current_app

    team = Team(slug=slug, name=re.sub(r"-", " ", slug).title())
    db.session.add(team)
    if owner is not None:
        db.session.add(Membership(team=team, user=owner, role=Role.OWNER.value))
    for member in members:
        db.session.add(Membership(team=team, user=member, role=Role.MEMBER.value))
    db.session.commit()
    for name in plugins:
        current_app.extensions["plugins"].set_enabled(team, name, True)
    return team


def sign_in(client, email: str, password: str = PASSWORD):
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, f"sign-in as {email} failed"
    return response


@pytest.fixture
def people(app):
    """Ids of a site admin, a team "youth" (owner, member, dummy plugin on), another team "parks"
    with its owner ("outsider"), and a citizen with an account.

    No app context stays pushed: each request in a test gets its own, as in production.
    """
    with app.app_context():
        admin = add_user("admin@example.org", admin=True)
        owner = add_user("owner@example.org")
        member = add_user("member@example.org")
        outsider = add_user("outsider@example.org")
        citizen = add_user("citizen@example.org")
        team = add_team(
            "youth",
            owner=owner,
            members=(member,),
            plugins=tuple(p for p in ("dummy_plugin",) if p in app.extensions["plugins"].loaded),
        )
        other = add_team("parks", owner=outsider)
        return {
            "admin": admin.id,
            "owner": owner.id,
            "member": member.id,
            "outsider": outsider.id,
            "citizen": citizen.id,
            "team": team.id,
            "other": other.id,
        }


def get_team(slug: str) -> Team:
    return db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one()


@pytest.fixture
def mail_server():
    """A real SMTP server (aiosmtpd) on a free local port: .messages, .stall(), .recover(), .wait_for(n)."""
    from coproduce.testing.smtp import MailServer

    with MailServer() as server:
        yield server


@pytest.fixture
def workers(tmp_path):
    """start(app, **settings): a `coproduce worker` process on the app's database, instance folder, mail server
    and queue, with the bundled plugins; each is stopped after the test. Its log is tmp_path / "worker.log"."""
    import signal

    from coproduce.testing.smtp import start_worker

    started = []
    keys = ("DATABASE_URL", "MAIL_SERVER", "MAIL_PORT", "REDIS_URL", "MAIL_LEASE_SECONDS", "MAIL_RETRY_SECONDS")

    def start(app, **extra):
        settings = {k: app.config[k] for k in keys if k in app.config}
        settings.update(INSTANCE_PATH=app.instance_path, TASKS_IMMEDIATE=False, **extra)
        process = start_worker(settings, BUNDLED_PLUGINS, tmp_path / "worker.log")
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(10)
            except Exception:  # noqa: BLE001
                process.kill()
                process.wait()


def _redis_test_url() -> str:
    """A Redis database of this test process's own (12 for the first pytest-xdist worker, 13 for the next...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker[2:].isdigit() else 0
    return f"redis://127.0.0.1:6379/{12 + number}"


@pytest.fixture(params=["sqlite", "redis"])
def queue_settings(request):
    """Each test twice: with the task queue in a SQLite file in the instance folder, and on Redis (its own
    database, emptied before and after; skipped only when no Redis answers at 127.0.0.1:6379)."""
    if request.param == "sqlite":
        yield {}
        return
    import redis

    url = _redis_test_url()
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis answers at 127.0.0.1:6379")
    client.flushdb()
    yield {"REDIS_URL": url}
    client.flushdb()
