"""Random and adversarial data posted to every core form: never a 500, nothing stored when the
form is shown again with errors, and no payload rendered unescaped. The strategies and checks are
shared with the plugins' hostile tests (tests/hostile.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from werkzeug.datastructures import MultiDict

from coproduce.testing.fixtures import sign_in
from coproduce.testing.hostile import HOSTILE_SETTINGS, check_answer, check_error_page, hostile_pairs, row_counts

# (url, who is signed in, the form's field names)
FORMS = [
    ("/sign-in", None, ["email", "password"]),
    ("/sign-up", None, ["display_name", "email", "password"]),
    ("/reset-password", None, ["email"]),
    ("/account/password", "member@example.org", ["current", "password", "confirm"]),
    ("/account/language", "member@example.org", ["locale"]),
    ("/t/youth/manage/members", "owner@example.org", ["email", "display_name", "role"]),
    ("/t/youth/manage/details", "owner@example.org", ["name", "description", "name-cy", "description-ur"]),
    ("/admin/teams", "admin@example.org", ["slug", "name", "description"]),
    ("/admin/users", "admin@example.org", ["email", "display_name", "is_site_admin"]),
    ("/admin/settings", "admin@example.org", ["signup_enabled", "default_locale", "welsh_bilingual"]),
]
TABLES = ("user", "team", "membership", "site_setting")


@pytest.fixture
def clients(app, people):
    signed_in = {None: app.test_client()}
    for email in {who for _, who, _ in FORMS if who}:
        signed_in[email] = app.test_client()
        sign_in(signed_in[email], email)
    return signed_in


@pytest.mark.parametrize("url, who, fields", FORMS, ids=[f[0] for f in FORMS])
def test_hostile_posts_never_break_the_form(app, clients, url, who, fields):
    client = clients[who]

    @settings(HOSTILE_SETTINGS, max_examples=15)
    @given(values=hostile_pairs(fields))
    def post(values):
        with app.app_context():
            before = row_counts(TABLES)
        response = client.post(url, data=MultiDict(values))  # fields may repeat or be missing
        body = check_answer(response, f"POST {url}")
        if response.status_code == 200 and "govuk-error-summary" in body:
            with app.app_context():
                assert row_counts(TABLES) == before, f"an invalid {url} form stored something"
            check_error_page(body, f"POST {url}")  # the message sits beside the field

    post()
