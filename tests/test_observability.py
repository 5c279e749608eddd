"""Request logs carry a request id; an unexpected error shows that id to the person and logs it."""

import json
import logging


def test_request_log_line_has_id_user_team_status_and_duration(make_app, people, caplog):
    app = make_app(LOG_FORMAT="json")
    client = app.test_client()
    client.post("/sign-in", data={"email": "owner@example.org", "password": "correct horse battery staple"})
    with caplog.at_level(logging.INFO, logger="coproduce.requests"):
        response = client.get("/t/youth/dashboard")
    entry = json.loads(caplog.records[-1].getMessage())
    assert entry["request_id"] == response.headers["X-Request-Id"]
    assert entry["status"] == 200 and entry["team"] == "youth" and entry["path"] == "/t/youth/dashboard"
    assert entry["user_id"] == people["owner"] and isinstance(entry["duration_ms"], float)
    assert "owner@example.org" not in caplog.text


def test_unexpected_error_shows_a_reference_that_is_in_the_log(make_app, caplog):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("the printer is on fire")

    with caplog.at_level(logging.ERROR, logger="coproduce.errors"):
        response = app.test_client().get("/boom", headers={"X-Request-Id": "ref-12345678"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "ref-12345678" in page and "the printer is on fire" not in page
    assert "ref-12345678" in caplog.text and "the printer is on fire" in caplog.text


def test_a_text_log_line_marks_what_a_request_lacks_with_a_dash_not_pythons_none(make_app, caplog):
    """Council IT read and grep these lines: an anonymous request outside a team, not from the page cache, is
    `user=- team=- page_cache=-`, as web servers' own logs write an empty field."""
    app = make_app()
    with caplog.at_level(logging.INFO, logger="coproduce.requests"):
        response = app.test_client().get("/no-such-page")
    line = caplog.records[-1].getMessage()
    assert line.startswith("GET /no-such-page 404 ") and f"request={response.headers['X-Request-Id']}" in line
    assert " user=- team=- " in line and line.endswith(" page_cache=-"), line
    assert "None" not in line
