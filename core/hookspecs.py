"""Every hook a plugin may implement. Flat on purpose: one function per hook.

Core always calls hooks with keyword arguments, so a hook may gain arguments later
without breaking plugins that do not take them. docs/plugins.md shows each signature.
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "coproduce"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)


# Set-up: called once per allowed plugin in create_app.


@hookspec
def register_blueprints(app):
    """Return the plugin's Blueprints; core mounts each under /t/<team>/<url prefix>.

    Args:
        app: the Flask application being created.
    """


@hookspec
def configure_app(app):
    """Set config defaults, Jinja filters and globals the plugin needs.

    Args:
        app: the Flask application being created.
    """


@hookspec
def register_cli_commands(cli):
    """Attach click commands or groups to the `coproduce` command.

    Args:
        cli: the click.Group behind `coproduce`.
    """


# Per request: called through hooks_for(team), only on plugins the team enabled.


@hookspec
def nav_items(user, team):
    """Return NavItems for the team's navigation.

    Args:
        user: the signed-in User, or None for a citizen without an account.
        team: the Team whose pages are shown.
    """


@hookspec
def manage_nav_items(user, team):
    """Return NavItems for the team's management pages (members only).

    Args:
        user: the signed-in User (a member of the team).
        team: the Team being managed.
    """


@hookspec
def dashboard_widgets(user, team):
    """Return Widgets for the team dashboard.

    Args:
        user: the signed-in User (a member of the team).
        team: the Team whose dashboard is shown.
    """


@hookspec
def public_items(team):
    """Return PublicItems listed on the team's public page.

    Args:
        team: the Team whose public page is shown.
    """


@hookspec
def waiting_items(team):
    """Return WaitingItems: work waiting for the team's members, each linking to where it is dealt with.

    Args:
        team: the Team whose "Waiting for you" page or dashboard is shown.
    """


@hookspec
def project_panels(project, user, audience):
    """Return Panels another plugin adds to a project's page and pack.

    Args:
        project: the project being shown (its .team is the owning Team).
        user: the signed-in User, or None.
        audience: "public", "team" or "pack".
    """


@hookspec
def project_choices(team):
    """Return (id, title) pairs: the team's projects, which another plugin may link its records to.

    Args:
        team: the Team whose projects are listed; never another team's.
    """


@hookspec
def search_results(team, query, limit):
    """Return SearchHits: what the public may find in the plugin's records for the words of a query.

    Args:
        team: the Team whose records are searched; never another team's.
        query: the words a person typed, as they typed them (any text: parse it with search_terms or
            FullTextIndex, never hand it to the database's query syntax).
        limit: the most hits to return.
    """


@hookspec
def render_slot(slot, context):
    """Return Markup to place in a named template slot, or None.

    Args:
        slot: the slot's name, such as "team_home_top".
        context: a dict with at least "team" and "user".
    """


# Life cycle and data.


@hookspec
def plugin_enabled(team):
    """Called on the one plugin a team has just switched on.

    Args:
        team: the Team that switched the plugin on.
    """


@hookspec
def plugin_disabled(team):
    """Called on the one plugin a team has just switched off; its data stays.

    Args:
        team: the Team that switched the plugin off.
    """


@hookspec
def demo_data(team):
    """Create demo content for `coproduce init --demo` in a team made for the plugin, then in the team with every
    module on ("together-demo"), where the plugins implementing project_choices fill first.

    Args:
        team: a new Team with the plugin already enabled.
    """


@hookspec
def personal_data(user, person):
    """Return a JSON-serialisable dict of what the plugin holds about a person (empty if nothing).

    Args:
        user: the person's User account, or None when they have none (kept for older plugins).
        person: the coproduce.plugins.Person asked about: .user (the same account or None),
            .email and .phone (normalised, or None); use person.matches_email(text) and
            person.matches_phone(text) on free text such as a "how to reach you" field.
    """


@hookspec
def erase_personal_data(user, person):
    """Anonymise what the plugin holds about a person, keeping aggregate figures.

    Args:
        user: the person's User account, or None when they have none (kept for older plugins).
        person: the coproduce.plugins.Person to erase (see personal_data).
    """


@hookspec
def retention_rules():
    """Return RetentionRules: what the plugin deletes or anonymises after a number of months.

    Each rule's apply(cutoff, dry_run) handles records older than cutoff (a UTC datetime) and
    returns how many it changed (or would change, when dry_run is true).
    """


@hookspec
def health_checks():
    """Return (name, callable) pairs; each callable returns None or raises when unhealthy."""
