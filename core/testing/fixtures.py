"""Fixtures for core's tests and any plugin's (a pytest plugin, registered through `pytest11`):
a migrated database per test, apps, people, teams.

Which plugins the apps hold is the session fixture `coproduce_test_plugins` (default: the bundled ones);
a plugin's own conftest.py overrides it to add itself.

The database engine comes from COPRODUCE_TEST_DATABASE_URL (PostgreSQL) or is a SQLite file.
A migrated template database is built once per session and cloned for every test.
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
    url = databases.clone()
    yield url
    databases.drop(url)


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
