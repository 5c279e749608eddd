"""Migrations: every branch applies, agrees with the models, and upgrades keep data."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from coproduce.extensions import db
from coproduce.migrations_config import MIGRATIONS_DIR, include_name, upgrade_all, version_locations


def test_each_plugin_with_migrations_has_its_own_branch(app):
    locations = version_locations(app)
    assert locations[0].endswith("core/migrations/versions")
    assert any(location.endswith("tests/dummy_plugin/migrations") for location in locations)


def test_models_and_migrations_agree(ctx):
    """Autogenerate finds nothing to do on a database built only from migrations."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def _current_heads() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def test_all_heads_are_applied(ctx):
    """The plugin branch (which depends on core) is applied; upgrading again changes nothing."""
    before = _current_heads()
    assert "0001_dummy" in before
    upgrade_all()
    assert _current_heads() == before


def test_upgrading_an_existing_database_keeps_its_data(make_app, databases):
    """A database made before a plugin was installed gains the plugin's tables and loses nothing."""
    url = databases.create_empty()
    old = make_app(DATABASE_URL=url, plugins=[])
    with old.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="core@head")
        db.session.execute(
            sa.text(
                "INSERT INTO team (slug, name, description, translations, created_at) "
                "VALUES ('youth', 'Youth', 'Kept', '{}', CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        assert "dummy_plugin_note" not in sa.inspect(db.engine).get_table_names()

    new = make_app(DATABASE_URL=url)
    with new.app_context():
        upgrade_all()
        upgrade_all()  # a second run is harmless
        assert "dummy_plugin_note" in sa.inspect(db.engine).get_table_names()
        row = db.session.execute(sa.text("SELECT slug, description FROM team")).one()
        assert tuple(row) == ("youth", "Kept")


def test_sqlite_has_foreign_keys_and_wal(ctx):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_every_revision_id_fits_alembic_version_on_postgresql(app):
    """alembic_version.version_num is VARCHAR(32): a longer id applies on SQLite and fails on PostgreSQL."""
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config(str(MIGRATIONS_DIR))
        scripts = ScriptDirectory.from_config(config)
    assert len(version_locations(app)) >= 5  # core, the four bundled plugins and the test plugin
    too_long = [rev.revision for rev in scripts.walk_revisions() if len(rev.revision) > 32]
    assert list(scripts.walk_revisions()), "no revisions found"
    assert too_long == []
