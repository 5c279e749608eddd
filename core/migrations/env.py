"""Alembic environment: the app's engine and metadata; plugin folders come from migrations_config."""

import logging

from alembic import context
from flask import current_app

config = context.config
log = logging.getLogger("coproduce.migrations")
target_db = current_app.extensions["migrate"].db


def _url() -> str:
    return target_db.engine.url.render_as_string(hide_password=False)


def run_migrations_offline():
    context.configure(url=_url(), target_metadata=target_db.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty)
    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
