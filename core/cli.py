"""The `coproduce` command: init, serve, db, plugins, users, teams (plus plugins' own commands)."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError, ProgrammingError

from coproduce import ConfigError, create_app
from coproduce.extensions import db
from coproduce.models import Membership, Role, Team, User, record
from coproduce.models.types import utcnow
from coproduce.version import __version__


class AppGroup(click.Group):
    """A click group whose commands run inside the app's context."""

    def __init__(self, app: Flask, **kwargs):
        super().__init__(**kwargs)
        self.app = app

    def invoke(self, ctx):
        with self.app.app_context():
            return super().invoke(ctx)


def build_cli(app: Flask) -> AppGroup:
    cli = AppGroup(app, name="coproduce", help="Coproduce: a co-production toolkit for councils.")
    cli = click.version_option(__version__, prog_name="coproduce")(cli)
    for command in (
        init,
        serve,
        db_group,
        plugins_group,
        users_group,
        teams_group,
        backup,
        restore,
        check_deploy,
        retention_group,
        worker,
    ):
        cli.add_command(command)
    app.extensions["plugins"].all_hooks().collect("register_cli_commands", cli=cli)
    return cli


def main(argv: list[str] | None = None) -> None:
    try:
        app = create_app()
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    try:
        build_cli(app).main(args=argv, prog_name="coproduce")
    except (OperationalError, ProgrammingError) as error:
        if not _is_missing_table(error):
            raise
        click.echo("Error: the database has no Coproduce tables yet: run `coproduce init` first", err=True)
        sys.exit(2)


def _is_missing_table(error: Exception) -> bool:
    text = str(getattr(error, "orig", error))
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _host():
    from flask import current_app

    return current_app.extensions["plugins"]


def _team(slug: str) -> Team:
    team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one_or_none()
    if team is None:
        raise click.ClickException(f"no team with the web address name {slug!r} (see the teams list in /admin/teams)")
    return team


def _valid_email(email: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not an email address: {error}") from None


def _new_password() -> str:
    return secrets.token_urlsafe(12)


# init


@click.command()
@click.option("--demo", is_flag=True, help="Also create a demo team per plugin, filled with demo content.")
@click.option("--admin-email", default="admin@example.org", show_default=True, help="The first site admin's email.")
def init(demo: bool, admin_email: str):
    """Create or upgrade the database and the first site admin account."""
    from coproduce.migrations_config import upgrade_all

    admin_email = _valid_email(admin_email)
    click.echo("Database: applying migrations...")
    upgrade_all()
    click.echo("Database: up to date.")
    if db.session.execute(db.select(User.id).where(User.is_site_admin)).first() is None:
        password = _new_password()
        admin = User(email=admin_email, display_name="Site admin", is_site_admin=True, email_confirmed_at=utcnow())
        admin.set_password(password)
        db.session.add(admin)
        record("user.created", target=admin_email, site_admin=True, via="init")
        db.session.commit()
        click.echo(f"Site admin created. Sign in as {admin_email} with the password {password}")
        click.echo("This password is shown once; change it after signing in (Your account > Change password).")
    else:
        click.echo("A site admin already exists; no account was created.")
    if demo:
        _demo_teams()


def _demo_teams() -> None:
    host = _host()
    names = sorted(host.loaded)
    for number, name in enumerate(names, start=1):
        click.echo(f"Demo data [{number}/{len(names)}] {name}...")
        _demo_team(host, name)
    _demo_together(host)
    click.echo(f"Demo data: {len(names)} demo team(s) ready, and one with every module on.")


def _demo_team(host, name: str) -> None:
    """A team named for the plugin, owned by the first site admin, filled by its demo_data hook."""
    meta = host.loaded[name].meta
    team = _new_demo_team(f"{meta.prefix}-demo"[:50].strip("-"), f"Demo: {meta.title}", str(meta.description))
    if team is None:
        return
    host.set_enabled(team, name, True)
    host.call_one(name, "demo_data", team=team)
    db.session.commit()


def _new_demo_team(slug: str, name: str, description: str) -> Team | None:
    """A demo team owned by the first site admin, or None when it is there already."""
    if db.session.execute(db.select(Team.id).where(Team.slug == slug)).first():
        return None
    team = Team(slug=slug, name=name, description=description)
    db.session.add(team)
    db.session.flush()
    admin = db.session.execute(db.select(User).where(User.is_site_admin).order_by(User.id)).scalars().first()
    if admin is not None:
        db.session.add(Membership(team=team, user=admin, role=Role.OWNER.value))
    record("team.created", team=team, target=f"team:{slug}", via="init --demo")
    db.session.commit()
    return team


def _demo_together(host) -> None:
    """One more team with every module on, each demo_data called in turn, so the project panels and the search
    show the modules working together. Plugins that list projects (project_choices) fill first, so the others'
    demos can link to those projects."""
    team = _new_demo_team(
        "together-demo", "Demo: every module together", "Every module switched on, so you can see them work together."
    )
    if team is None:
        return
    listing = {impl.plugin_name for impl in host.pm.hook.project_choices.get_hookimpls()}
    names = sorted(host.loaded, key=lambda name: (name not in listing, name))
    click.echo("Demo data: a team with every module on...")
    for name in names:
        host.set_enabled(team, name, True)
    for name in names:
        host.call_one(name, "demo_data", team=team)
        db.session.commit()


# serve


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: COPRODUCE_WORKERS).")
def serve(host: str, port: int, workers: int | None):
    """Serve the site with gunicorn, a production WSGI server."""
    from flask import current_app

    from coproduce.server import run_gunicorn

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_gunicorn(app, host, port, workers or app.config["WORKERS"])


# db


@click.command()
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64), help="Jobs run side by side.")
def worker(threads: int):
    """Run the background worker: emails, schedules (retention, reminders) and other queued jobs."""
    import logging

    from flask import current_app

    from coproduce import jobs
    from coproduce.mail import sweep

    tasks = current_app.extensions["tasks"]
    if tasks.huey.immediate:
        raise click.ClickException("jobs run at once here (TASKS_IMMEDIATE); there is nothing for a worker to do")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    found = sweep()
    if found:
        click.echo(f"Queued again {found} email(s) whose job was lost.")
    found = jobs.sweep()
    if found:
        click.echo(f"Queued again {found} background job(s) whose run was lost.")
    consumer = tasks.huey.create_consumer(
        workers=threads, worker_type="thread", periodic=True, scheduler_interval=1, max_delay=1.0
    )
    consumer.run()


@click.group("db")
def db_group():
    """The database: migrations."""


@db_group.command("upgrade")
def db_upgrade():
    """Apply every migration (core and every plugin's branch)."""
    from coproduce.migrations_config import upgrade_all

    upgrade_all()
    click.echo("Database: up to date.")


@db_group.command("current")
def db_current():
    """Show the revision each branch is at."""
    from flask_migrate import current

    from coproduce.migrations_config import MIGRATIONS_DIR

    current(directory=str(MIGRATIONS_DIR))


# plugins


@click.group("plugins")
def plugins_group():
    """Installed plugins, and switching them on or off for a team."""


@plugins_group.command("list")
def plugins_list():
    """Installed, allowed, loaded or failing plugins, and which teams use each."""
    from coproduce.models import PluginState

    host = _host()
    rows = db.session.execute(
        db.select(PluginState.plugin, Team.slug)
        .join(Team, Team.id == PluginState.team_id)
        .where(PluginState.enabled)
        .order_by(Team.slug)
    ).all()
    teams_by_plugin: dict[str, list[str]] = {}
    for plugin, slug in rows:
        teams_by_plugin.setdefault(plugin, []).append(slug)
    for name in sorted(set(host.installed) | set(host.loaded) | set(host.failed)):
        if name in host.loaded:
            meta = host.loaded[name].meta
            teams = ", ".join(teams_by_plugin.get(name, [])) or "no teams"
            click.echo(f"{name} {meta.version}: loaded; enabled for {teams}")
        elif name in host.failed:
            click.echo(f"{name}: FAILING: {host.failed[name]}")
        else:
            click.echo(f"{name}: installed, not allowed (COPRODUCE_PLUGINS_ALLOWED)")


def _switch(name: str, slug: str, enabled: bool) -> None:
    host = _host()
    if name not in host.loaded:
        reason = host.failed.get(name) or "not installed or not allowed"
        raise click.ClickException(f"plugin {name!r} cannot be switched: {reason}")
    team = _team(slug)
    changed = host.set_enabled(team, name, enabled)
    state = "on" if enabled else "off"
    click.echo(f"{name} is {state} for {slug}." if changed else f"{name} was already {state} for {slug}.")


@plugins_group.command("enable")
@click.argument("name")
@click.option("--team", "slug", required=True, help="The team's web address name.")
def plugins_enable(name: str, slug: str):
    """Switch a plugin on for a team."""
    _switch(name, slug, True)


@plugins_group.command("disable")
@click.argument("name")
@click.option("--team", "slug", required=True, help="The team's web address name.")
def plugins_disable(name: str, slug: str):
    """Switch a plugin off for a team (its data is kept)."""
    _switch(name, slug, False)


# users


@click.group("users")
def users_group():
    """People's accounts."""


def _check_password(password: str, user_inputs: list[str]) -> None:
    from coproduce.forms import MIN_PASSWORD, password_is_guessable

    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password must be at least {MIN_PASSWORD} characters")
    if password_is_guessable(password, user_inputs):
        raise click.ClickException("the password is too easy to guess: a few unrelated words together work well")


@users_group.command("create")
@click.argument("email")
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--admin", is_flag=True, help="Make the account a site admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, display_name: str | None, admin: bool, password_stdin: bool):
    """Create an account; prints a generated password unless --password-stdin."""
    email = _valid_email(email)
    if db.session.execute(db.select(User.id).where(User.email == email)).first():
        raise click.ClickException(f"an account with {email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        _check_password(password, [email, display_name or ""])
    else:
        password = _new_password()
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0])[:120],
        is_site_admin=admin,
        email_confirmed_at=utcnow(),  # made by someone with the server's keys: nothing to prove
    )
    user.set_password(password)
    db.session.add(user)
    record("user.created", target=email, site_admin=admin, via="cli")
    db.session.commit()
    click.echo(f"Created {email}{' (site admin)' if admin else ''}.")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@users_group.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def users_set_password(email: str, password_stdin: bool):
    """Give an account a new password (prints a generated one unless --password-stdin)."""
    user = db.session.execute(db.select(User).where(User.email == _valid_email(email))).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no account with the email {email}")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else _new_password()
    _check_password(password, [user.email, user.display_name])
    user.set_password(password)
    record("user.password_reset", target=f"user:{user.id}", via="cli")
    db.session.commit()
    click.echo(f"New password for {user.email}{'' if password_stdin else ': ' + password}")


# teams


@click.group("teams")
def teams_group():
    """Service teams' spaces."""


@teams_group.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--owner", help="Email of an existing account to make the team's owner.")
def teams_create(slug: str, name: str, owner: str | None):
    """Create a team with a web address name (SLUG) and a NAME."""
    if not Team.valid_slug(slug):
        raise click.ClickException(
            f"{slug!r} is not a web address name: use 1-50 lower-case letters, numbers and hyphens"
        )
    if not name.strip() or len(name) > 120:
        raise click.ClickException("the team name must be 1-120 characters")
    if db.session.execute(db.select(Team.id).where(Team.slug == slug)).first():
        raise click.ClickException(f"a team called {slug!r} already exists")
    team = Team(slug=slug, name=name.strip())
    db.session.add(team)
    if owner:
        user = db.session.execute(db.select(User).where(User.email == owner.strip().lower())).scalar_one_or_none()
        if user is None:
            raise click.ClickException(f"no account with the email {owner}")
        db.session.add(Membership(team=team, user=user, role=Role.OWNER.value))
    db.session.flush()
    record("team.created", team=team, target=f"team:{slug}", via="cli")
    db.session.commit()
    click.echo(f"Created team {slug}: /t/{slug}/")


# backup and restore


KEY_OPTION = click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="COPRODUCE_BACKUP_KEY_FILE",
    help="An age key file (age-keygen). Backups are encrypted to its public key; restoring needs its secret key.",
)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@KEY_OPTION
def backup(file: Path, key_file: Path | None):
    """Write a backup of the database and stored files to FILE (safe while the site runs)."""
    from coproduce.backup import BackupError, read_key_file, write_backup
    from coproduce.uploads import storage

    if file.exists():
        raise click.ClickException(f"{file} already exists; choose a new file name")
    if not file.parent.is_dir():
        raise click.ClickException(f"the folder {file.parent} does not exist")
    try:
        recipients = read_key_file(key_file)[0] if key_file else None
        if key_file and key_file.resolve().parent == file.resolve().parent:
            click.echo(f"Warning: the key file is in the same folder as the backup ({file.parent}): keep it apart.")
        manifest = write_backup(file, db.engine, db.metadata, storage(), click.echo, __version__, recipients=recipients)
    except (BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["tables"].values())
    sealed = " (encrypted)" if key_file else ""
    click.echo(
        f"Backup written to {file}{sealed}: {rows} rows in {len(manifest['tables'])} tables, {manifest['files']} files."
    )


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@KEY_OPTION
def restore(file: Path, key_file: Path | None):
    """Restore a backup FILE into this installation, which must be new and empty."""
    from flask import current_app

    from coproduce.backup import BackupError, read_key_file, restore_backup
    from coproduce.migrations_config import upgrade_all
    from coproduce.uploads import storage

    upgrade_all()
    try:
        identities = read_key_file(key_file)[1] if key_file else None
        manifest = restore_backup(
            file,
            db.engine,
            db.metadata,
            storage(),
            click.echo,
            identities=identities,
            scratch=Path(current_app.instance_path),
        )
    except (BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {file} (made {manifest['created_at']}).")


@click.command("check-deploy")
def check_deploy():
    """List settings that are unsafe on a live site; exits 1 when there is any."""
    from flask import current_app

    from coproduce.deploy_check import check_settings, plugin_findings
    from coproduce.site_settings import get_setting

    try:
        signup_open = bool(get_setting("SIGNUP_ENABLED"))
    except Exception:  # noqa: BLE001 - no database yet: judge by the setting alone
        db.session.rollback()
        signup_open = bool(current_app.config["SIGNUP_ENABLED"])
    findings = check_settings(current_app.config, signup_open, current_app.instance_path) + plugin_findings(current_app)
    for finding in findings:
        click.echo(f"UNSAFE {finding}")
    if findings:
        raise click.ClickException(f"{len(findings)} unsafe setting(s) found")
    click.echo("No unsafe settings found.")


@click.group("retention")
def retention_group():
    """Delete or anonymise what is kept longer than allowed (COPRODUCE_RETENTION_MONTHS)."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def retention_apply(dry_run: bool):
    """Apply every retention rule and report counts."""
    from coproduce.retention import apply_all

    results = apply_all(dry_run)
    for result in results:
        if result.months == 0:
            click.echo(f"{result.rule.name}: kept for ever ({result.rule.description})")
        else:
            verb = "would be removed" if dry_run else "removed"
            click.echo(
                f"{result.rule.name}: {result.count} {verb}, older than {result.months} months "
                f"({result.rule.description})"
            )
    if not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
