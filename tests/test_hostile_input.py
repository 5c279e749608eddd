"""Random and adversarial data posted to every core form: never a 500, nothing stored when the
form is shown again with errors, and no payload rendered unescaped."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from core.extensions import db
from tests.fixtures import sign_in

PAYLOADS = [
    "<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE \"user\"; --",
    "' OR '1'='1", "{{ 7*7 }}", "%(name)s", "\x00\x01\x1b[31m", "‮gnp.exe", "Ḽơᶉëᶆ ȋṕšᶙṁ 汉字 اردو",
    "a" * 5000, "-1", "99999999999999999999999", "2026-02-30", "=HYPERLINK(\"http://evil\")",
]
text = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=300))

# (url, who is signed in, the form's field names)
FORMS = [
    ("/sign-in", None, ["email", "password"]),
    ("/sign-up", None, ["display_name", "email", "password"]),
    ("/reset-password", None, ["email"]),
    ("/account/password", "member@example.org", ["current", "password", "confirm"]),
    ("/account/language", "member@example.org", ["locale"]),
    ("/t/youth/manage/members", "owner@example.org", ["email", "display_name", "role"]),
    ("/t/youth/manage/details?edit=cy", "owner@example.org", ["name", "description"]),
    ("/admin/teams", "admin@example.org", ["slug", "name", "description"]),
    ("/admin/users", "admin@example.org", ["email", "display_name", "is_site_admin"]),
    ("/admin/settings", "admin@example.org", ["signup_enabled", "default_locale"]),
]
TABLES = ("user", "team", "membership", "site_setting")


def row_counts() -> dict:
    return {t: db.session.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in TABLES}


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

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(values=st.lists(st.tuples(st.sampled_from(fields + ["unexpected"]), text), max_size=8))
    def post(values):
        with app.app_context():
            before = row_counts()
        response = client.post(url, data=MultiDict(values))  # fields may repeat or be missing
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 302, 400, 403, 404, 429), response.status_code
        assert "<script>alert('x')</script>" not in body
        assert "<img src=x onerror=alert(1)>" not in body
        if response.status_code == 200 and "govuk-error-summary" in body:
            with app.app_context():
                assert row_counts() == before, f"an invalid {url} form stored something"
            assert "govuk-error-message" in body  # the message sits beside the field

    post()
