"""GET /healthz: database and plugin status for load balancers and monitoring."""

import pytest


@pytest.mark.hook("health_checks")
def test_healthz_reports_database_and_plugin_checks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["dummy_plugin.notes_table"] == "ok"
    assert "project_pack" in body["plugins"]["loaded"]
    assert body["plugins"]["failed"] == {}


def test_healthz_answers_503_when_the_database_is_unreachable(make_app, tmp_path):
    app = make_app(
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/nothing",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["database"].startswith("unreachable")


def test_healthz_reports_a_failing_plugin_check_without_failing_the_node(make_app):
    import sys
    import types

    from coproduce.plugins import PluginMeta, hookimpl

    module = types.ModuleType("tests._generated_sick")
    module.meta = PluginMeta(name="sick", title="Sick", version="1")

    def boom():
        raise RuntimeError("queue full")

    module.health_checks = hookimpl(lambda: [("queue", boom)])
    sys.modules[module.__name__] = module
    response = make_app(plugins=[module]).test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["sick.queue"] == "failing: queue full"
