"""On PostgreSQL a test's database is emptied back to the template for the next test (coproduce.testing
.database_reset) instead of a new clone, but only when it certainly is as a new clone would be: each test
here leaves a database in some state and checks what the next test would be given.

Runs in the PostgreSQL pass (on SQLite every test copies the template's file, as before).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import sqlalchemy.orm

from coproduce.models import Membership, Role, Team, User
from coproduce.testing.fixtures import PASSWORD, postgres_url

pytestmark = pytest.mark.skipif(
    postgres_url() is None, reason="runs in the PostgreSQL pass (COPRODUCE_TEST_DATABASE_URL)"
)


def _engine(url):
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _fill(url):
    """A person, a team and a membership (rows joined by foreign keys, ids drawn from sequences)."""
    with sa.orm.Session(_engine(url)) as session:
        user = User(email="a@example.org", display_name="A")
        user.set_password(PASSWORD)
        team = Team(slug="youth", name="Youth")
        session.add_all([user, team, Membership(user=user, team=team, role=Role.OWNER.value)])
        session.commit()
        return user.id, team.id


def _count(url, table):
    with _engine(url).connect() as connection:
        return connection.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608


def test_a_filled_database_comes_back_empty_with_ids_from_the_start(databases):
    url = databases.lend()
    first = _fill(url)
    databases.give_back(url)
    assert databases.spare[-1] == url, "a database with only rows added was dropped instead of emptied"

    again = databases.lend()
    assert again == url
    assert (_count(again, "user"), _count(again, "team"), _count(again, "membership")) == (0, 0, 0)
    assert _count(again, "alembic_version") == _count(databases._url_for(databases.template), "alembic_version")
    assert _fill(again) == first, "ids did not start again where a new clone's do"
    databases.give_back(again)


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE team ADD COLUMN motto text",
        "CREATE TABLE left_behind (id integer)",
        "CREATE INDEX team_name_idx ON team (name)",
        "UPDATE alembic_version SET version_num = version_num || 'x'",
        "CREATE FUNCTION left_behind() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    ],
)
def test_a_database_a_test_changed_is_dropped_and_the_next_is_a_new_clone(databases, change):
    url = databases.lend()
    with _engine(url).begin() as connection:
        connection.execute(sa.text(change))
    databases.give_back(url)
    assert url not in databases.spare
    with _engine(databases._url_for("postgres")).connect() as connection:
        left = connection.execute(
            sa.text("SELECT count(*) FROM pg_database WHERE datname = :name"),
            {"name": sa.engine.make_url(url).database},
        ).scalar_one()
    assert left == 0, "the changed database was neither emptied nor dropped"

    fresh = databases.lend()
    assert fresh != url
    with _engine(fresh).connect() as connection:
        columns = connection.execute(
            sa.text("SELECT column_name FROM information_schema.columns WHERE table_name = 'team'")
        ).scalars()
        assert "motto" not in set(columns)
        assert not connection.execute(sa.text("SELECT to_regclass('left_behind')")).scalar_one()
    databases.give_back(fresh)


def test_a_database_someone_is_still_connected_to_is_dropped_not_lent_again(databases):
    url = databases.lend()
    _fill(url)
    lingering = _engine(url).connect()  # as a server or worker a test forgot to stop would be
    try:
        lingering.execute(sa.text("SELECT 1"))
        databases.give_back(url)
        assert url not in databases.spare
        with pytest.raises(sa.exc.OperationalError):  # dropped WITH (FORCE): its connection was ended
            lingering.execute(sa.text("SELECT 1"))
    finally:
        lingering.invalidate()
    fresh = databases.lend()
    assert fresh != url
    databases.give_back(fresh)
