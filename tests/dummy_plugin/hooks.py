"""Every hook, each leaving a trace the tests can see."""

import click
from flask import Blueprint, render_template, url_for
from markupsafe import Markup

from coproduce.plugins import (
    NavItem,
    Panel,
    PublicItem,
    RetentionRule,
    SearchHit,
    WaitingItem,
    Widget,
    current_team,
    db,
    hookimpl,
    plugin_settings,
    require_team_role,
)
from tests.dummy_plugin.models import DummyNote

bp = Blueprint("dummy_plugin", __name__)
CALLS: list[tuple[str, object]] = []


@bp.get("/")
def notes():
    team = current_team()
    rows = db.session.execute(db.select(DummyNote).where(DummyNote.team_id == team.id)).scalars().all()
    return render_template(
        "dummy_plugin/notes.html", notes=rows, greeting=plugin_settings(team, "dummy_plugin")["greeting"]
    )


@bp.get("/manage")
@require_team_role("owner")
def manage():
    return render_template("dummy_plugin/manage.html")


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def configure_app(app):
    app.config.setdefault("DUMMY_CONFIGURED", True)
    app.jinja_env.filters["dummy_shout"] = lambda text: f"{text}!"


@hookimpl
def register_cli_commands(cli):
    @cli.command("dummy-hello")
    @click.argument("name")
    def dummy_hello(name):
        """Say hello (dummy plugin)."""
        click.echo(f"dummy says hello to {name}")


@hookimpl
def nav_items(user, team):
    return [NavItem(label="Dummy notes", url=url_for("dummy_plugin.notes"), order=50)]


@hookimpl
def manage_nav_items(user, team):
    return [NavItem(label="Dummy settings", url=url_for("dummy_plugin.manage"), order=50)]


@hookimpl
def dashboard_widgets(user, team):
    count = db.session.execute(db.select(db.func.count(DummyNote.id)).where(DummyNote.team_id == team.id)).scalar_one()
    return [Widget(title="Dummy widget", body=Markup("<p class='govuk-body'>Notes: {}</p>").format(count))]


@hookimpl
def public_items(team):
    return [PublicItem(title="Dummy public item", url=url_for("dummy_plugin.notes", team=team.slug))]


@hookimpl
def waiting_items(team):
    notes = db.session.execute(db.select(DummyNote).where(DummyNote.team_id == team.id)).scalars().all()
    return [
        WaitingItem(
            kind="Dummy notes to read",
            title=n.text,
            url=url_for("dummy_plugin.notes", team=team.slug, _anchor=f"n{n.id}"),
        )
        for n in notes
    ]


@hookimpl
def project_panels(project, user, audience):
    return [Panel(key="dummy", title="Dummy panel", body=Markup("<p>for {}</p>").format(audience))]


@hookimpl
def project_choices(team):
    return []  # the dummy has no projects of its own; project packs lists a team's projects


@hookimpl
def search_results(team, query, limit):
    return [SearchHit(title="Dummy result", url="/", summary=query[:40], kind="Dummy things")][:limit]


@hookimpl
def render_slot(slot, context):
    if slot == "team_home_top":
        return Markup('<p class="govuk-body" id="dummy-slot">Dummy slot for {}</p>').format(context["team"].slug)
    return None


@hookimpl
def plugin_enabled(team):
    CALLS.append(("enabled", team.slug))


@hookimpl
def plugin_disabled(team):
    CALLS.append(("disabled", team.slug))


@hookimpl
def demo_data(team):
    db.session.add(DummyNote(team_id=team.id, text="A demo note"))


def _notes_of(person):
    notes = db.session.execute(db.select(DummyNote)).scalars()
    own = person.user.id if person.user is not None else None
    return [n for n in notes if (own is not None and n.author_id == own) or person.matches(n.text)]


@hookimpl
def personal_data(user, person):
    notes = _notes_of(person)
    return {"notes": [n.text for n in notes]} if notes else {}


@hookimpl
def erase_personal_data(user, person):
    for note in _notes_of(person):
        note.author_id = None
        note.text = "[removed]"


@hookimpl
def retention_rules():
    def apply(cutoff, dry_run):
        old = db.session.execute(db.select(DummyNote).where(DummyNote.text.startswith("old:"))).scalars().all()
        if not dry_run:
            for note in old:
                note.text = "[expired]"
        return len(old)

    return [RetentionRule("dummy_plugin.old_notes", "notes marked old", 6, apply)]


@hookimpl
def health_checks():
    return [("notes_table", lambda: db.session.execute(db.select(db.func.count(DummyNote.id))).scalar_one())]
