"""The plugin system: discovery, allow-list, per-team switching, ordering, failure isolation."""

import sys
import types

import pytest
from flask import url_for

from coproduce.extensions import db
from coproduce.models import AuditEvent, PluginState
from coproduce.plugins import NavItem, PluginMeta, hookimpl
from coproduce.testing.fixtures import BUNDLED_PLUGINS, add_user, get_team, sign_in
from tests.dummy_plugin import hooks as dummy_hooks
from tests.dummy_plugin.models import DummyNote


def make_plugin(name, **hooks):
    """A plugin module built in memory, registered in sys.modules so it can be named."""
    module = types.ModuleType(f"tests._generated_{name}")
    module.meta = hooks.pop("meta", PluginMeta(name=name, title=name.title(), version="1.0"))
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    sys.modules[module.__name__] = module
    return module


def test_discovery_finds_bundled_plugins_through_entry_points(make_app):
    app = make_app(plugins=None)
    host = app.extensions["plugins"]
    for dotted in BUNDLED_PLUGINS:
        name = dotted.rsplit(".", 1)[1]
        assert name in host.installed
        assert name in host.loaded
        assert host.loaded[name].source == "entry point"
    assert host.failed == {}


def test_allow_list_keeps_other_plugins_out(make_app):
    app = make_app(plugins=None, PLUGINS_ALLOWED="project_pack")
    host = app.extensions["plugins"]
    assert sorted(host.loaded) == ["project_pack"]
    assert "procurement_social_value" in host.installed
    rules = {r.endpoint for r in app.url_map.iter_rules()}
    assert "project_pack.index" in rules
    assert "procurement_social_value.index" not in rules


def test_each_app_has_its_own_manager(make_app):
    first = make_app(plugins=["tests.dummy_plugin"])
    second = make_app(plugins=BUNDLED_PLUGINS)
    assert first.extensions["plugins"] is not second.extensions["plugins"]
    assert "dummy_plugin" in first.extensions["plugins"].loaded
    assert "dummy_plugin" not in second.extensions["plugins"].loaded


@pytest.mark.hook("register_blueprints")
@pytest.mark.hook("nav_items")
@pytest.mark.hook("plugin_enabled")
@pytest.mark.hook("plugin_disabled")
def test_disabled_plugin_answers_404_hides_nav_and_keeps_data(app, people):
    client = app.test_client()
    with app.app_context():
        db.session.add(DummyNote(team_id=people["team"], text="Kept while switched off"))
        db.session.commit()
    sign_in(client, "owner@example.org")

    page = client.get("/t/youth/dummy/")
    assert page.status_code == 200
    assert b"Kept while switched off" in page.data
    assert b"Dummy notes" in client.get("/t/youth/dashboard").data

    response = client.post("/t/youth/manage/plugins/dummy_plugin", data={"enabled": "0"})
    assert response.status_code == 302
    assert ("disabled", "youth") in dummy_hooks.CALLS
    assert client.get("/t/youth/dummy/").status_code == 404
    assert b"Dummy notes" not in client.get("/t/youth/dashboard").data
    with app.app_context():
        assert db.session.execute(db.select(DummyNote.text)).scalar_one() == "Kept while switched off"

    client.post("/t/youth/manage/plugins/dummy_plugin", data={"enabled": "1"})
    assert ("enabled", "youth") in dummy_hooks.CALLS
    assert b"Kept while switched off" in client.get("/t/youth/dummy/").data
    with app.app_context():
        actions = db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    assert actions[-2:] == ["plugin.disabled", "plugin.enabled"]


def test_plugin_routes_are_404_for_other_teams_and_unknown_teams(app, people):
    client = app.test_client()
    assert client.get("/t/youth/dummy/").status_code == 200
    assert client.get("/t/parks/dummy/").status_code == 404
    assert client.get("/t/no-such-team/dummy/").status_code == 404


def test_state_change_in_database_is_seen_by_another_app_at_once(make_app, people):
    """Two apps on one database stand for two worker processes."""
    first = make_app()
    second = make_app()
    client_two = second.test_client()
    assert client_two.get("/t/youth/dummy/").status_code == 200
    with first.app_context():
        first.extensions["plugins"].set_enabled(get_team("youth"), "dummy_plugin", False)
    assert client_two.get("/t/youth/dummy/").status_code == 404


@pytest.mark.hook("manage_nav_items")
@pytest.mark.hook("dashboard_widgets")
def test_dashboard_shows_widgets_and_management_nav_to_members_only(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.get("/t/youth/dashboard").data.decode()
    assert "Dummy widget" in page and "Notes: 0" in page
    assert "Dummy settings" in page
    public = app.test_client().get("/t/youth/").data.decode()
    assert "Dummy settings" not in public
    assert "Dummy notes" in public


@pytest.mark.hook("public_items")
@pytest.mark.hook("render_slot")
def test_team_public_page_lists_public_items_and_slot(client, people):
    page = client.get("/t/youth/").data.decode()
    assert "Dummy public item" in page
    assert 'id="dummy-slot"' in page and "Dummy slot for youth" in page
    assert "Dummy public item" not in client.get("/t/parks/").data.decode()


def test_items_are_sorted_by_order_then_plugin_name(make_app, people):
    alpha = make_plugin(
        "alpha",
        nav_items=lambda user, team: [NavItem("Alpha late", "/a", order=90), NavItem("Alpha early", "/a1", order=10)],
    )
    zulu = make_plugin("zulu", nav_items=lambda user, team: [NavItem("Zulu", "/z", order=10)])
    app = make_app(plugins=[zulu, alpha])
    with app.test_request_context():
        team = get_team("youth")
        host = app.extensions["plugins"]
        for name in ("alpha", "zulu"):
            host.set_enabled(team, name, True)
        items = host.hooks_for(team).collect("nav_items", user=None, team=team)
    assert [(i.label, i.plugin) for i in items] == [("Alpha early", "alpha"), ("Zulu", "zulu"), ("Alpha late", "alpha")]


def test_hooks_for_calls_only_enabled_plugins(make_app, people):
    alpha = make_plugin("alpha", nav_items=lambda user, team: [NavItem("Alpha", "/a")])
    zulu = make_plugin("zulu", nav_items=lambda user, team: [NavItem("Zulu", "/z")])
    app = make_app(plugins=[alpha, zulu])
    with app.test_request_context():
        team = get_team("youth")
        host = app.extensions["plugins"]
        host.set_enabled(team, "zulu", True)
        results = host.hooks_for(team).nav_items(user=None, team=team)
    assert [[i.label for i in r] for r in results] == [["Zulu"]]


def test_plugin_that_fails_to_import_is_skipped_and_reported(make_app, people):
    app = make_app(plugins=["tests.no_such_plugin_module", "tests.dummy_plugin"])
    host = app.extensions["plugins"]
    assert "dummy_plugin" in host.loaded
    assert "ModuleNotFoundError" in host.failed["no_such_plugin_module"]
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/t/youth/dummy/").status_code == 200
    health = client.get("/healthz").get_json()
    assert "no_such_plugin_module" in health["plugins"]["failed"]


def test_plugin_that_raises_during_set_up_is_skipped(make_app, people):
    def broken(app):
        raise RuntimeError("cannot reach the printer")

    crashing = make_plugin("crashing", configure_app=broken)
    app = make_app(plugins=[crashing, "tests.dummy_plugin"])
    host = app.extensions["plugins"]
    assert "crashing" not in host.loaded
    assert "cannot reach the printer" in host.failed["crashing"]
    assert app.test_client().get("/t/youth/dummy/").status_code == 200
    admin = app.test_client()
    with app.app_context():
        add_user("it@example.org", admin=True)
    sign_in(admin, "it@example.org")
    page = admin.get("/admin/plugins").data.decode()
    assert "Failing" in page and "cannot reach the printer" in page


def test_plugin_that_raises_in_a_request_hook_does_not_take_the_page_down(make_app, people):
    def broken(user, team):
        raise ValueError("bad nav")

    crashing = make_plugin("crashing", nav_items=broken)
    app = make_app(plugins=[crashing, "tests.dummy_plugin"], PLUGINS_RAISE_HOOK_ERRORS=False)
    with app.app_context():
        app.extensions["plugins"].set_enabled(get_team("youth"), "crashing", True)
    page = app.test_client().get("/t/youth/")
    assert page.status_code == 200
    assert b"Dummy notes" in page.data


def test_incompatible_plugin_is_not_loaded(make_app):
    future = make_plugin("future", meta=PluginMeta(name="future", title="Future", version="1", requires_core=">=9"))
    app = make_app(plugins=[future])
    assert "future" not in app.extensions["plugins"].loaded
    assert "needs core >=9" in app.extensions["plugins"].failed["future"]


def test_plugin_without_meta_is_not_loaded(make_app):
    module = types.ModuleType("tests._generated_nometa")
    sys.modules[module.__name__] = module
    app = make_app(plugins=[module])
    assert "PluginMeta" in app.extensions["plugins"].failed["_generated_nometa"]


def test_misspelled_hook_is_caught_by_check_pending(make_app):
    typo = make_plugin("typo", nav_itmes=lambda user, team: [])
    app = make_app(plugins=[typo, "tests.dummy_plugin"])
    host = app.extensions["plugins"]
    assert "typo" not in host.loaded
    assert "nav_itmes" in host.failed["typo"]
    host.pm.check_pending()  # the remaining plugins are all valid


@pytest.mark.hook("configure_app")
def test_configure_app_runs_at_start_up(app):
    assert app.config["DUMMY_CONFIGURED"] is True
    assert app.jinja_env.filters["dummy_shout"]("hi") == "hi!"


@pytest.mark.hook("personal_data")
@pytest.mark.hook("erase_personal_data")
def test_personal_data_hooks_collect_and_erase(people, ctx):
    from coproduce.models import User

    author = db.session.get(User, people["member"])
    db.session.add(DummyNote(team_id=people["team"], author_id=author.id, text="my idea"))
    db.session.commit()
    host = ctx.extensions["plugins"]
    found = dict(host.all_hooks().each("personal_data", user=author, person=None))
    assert found["dummy_plugin"] == {"notes": ["my idea"]}
    list(host.all_hooks().each("erase_personal_data", user=author, person=None))
    db.session.commit()
    assert dict(host.all_hooks().each("personal_data", user=author, person=None))["dummy_plugin"] == {"notes": []}
    assert db.session.execute(db.select(db.func.count(DummyNote.id))).scalar_one() == 1


@pytest.mark.hook("project_panels")
def test_project_panels_are_collected_for_each_audience(people, ctx):
    host = ctx.extensions["plugins"]
    team = get_team("youth")
    project = types.SimpleNamespace(team=team, title="A project")
    for audience in ("public", "team", "pack"):
        panels = host.hooks_for(team).collect("project_panels", project=project, user=None, audience=audience)
        assert [(p.key, p.plugin, str(p.body)) for p in panels] == [("dummy", "dummy_plugin", f"<p>for {audience}</p>")]


def test_plugin_settings_default_and_team_override(app, people):
    client = app.test_client()
    assert b"hello" in client.get("/t/youth/dummy/").data
    with app.app_context():
        state = db.session.execute(db.select(PluginState).where(PluginState.plugin == "dummy_plugin")).scalar_one()
        state.settings = {"greeting": "croeso"}
        db.session.commit()
    assert b"croeso" in client.get("/t/youth/dummy/").data


def test_plugin_urls_carry_the_team(app, people):
    with app.test_request_context("/t/youth/dummy/"):
        from flask import g

        g.team = get_team("youth")
        assert url_for("dummy_plugin.notes") == "/t/youth/dummy/"


def test_plugin_static_files_are_served_and_paths_cannot_escape(app, tmp_path):
    host = app.extensions["plugins"]
    folder = host.loaded["consultation_vs_coproduction"].subfolder("static")
    assert folder is not None
    name = sorted(p.name for p in folder.iterdir())[0]
    client = app.test_client()
    assert client.get(f"/static/plugins/consultation_vs_coproduction/{name}").status_code == 200
    assert client.get("/static/plugins/consultation_vs_coproduction/../__init__.py").status_code == 404
    assert client.get("/static/plugins/consultation_vs_coproduction/%2e%2e/__init__.py").status_code == 404
    assert client.get("/static/plugins/project_pack/nothing.css").status_code == 404
