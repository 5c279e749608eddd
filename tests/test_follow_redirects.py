"""A form sent by coproduce.js gets the page its POST redirects to in one answer (coproduce.follow_redirects)."""

import re

import pytest

from coproduce.follow_redirects import FOLLOW_HEADER, LOCATION_HEADER, cookie_header, local_target
from coproduce.testing.fixtures import PASSWORD

FOLLOW = {FOLLOW_HEADER: "1"}


@pytest.mark.parametrize(
    "location, target",
    [
        ("/t/youth/dashboard", "/t/youth/dashboard"),
        ("/t/youth/?lang=cy", "/t/youth/?lang=cy"),
        ("//evil.example/steal", None),
        ("/\\evil.example/steal", None),
        ("https://evil.example/steal", None),
        ("http://coproduce.test/t/youth/", None),  # absolute addresses are left to the browser
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_only_a_redirect_to_a_path_on_this_site_is_followed(location, target):
    assert local_target(location) == target


def test_the_next_request_carries_the_cookies_the_answer_set_and_not_those_it_deleted():
    sent = "session=old; theme=dark; remember_token=abc"
    assert cookie_header(sent, {"session": "new.signed", "remember_token": None, "lang": "cy"}) == (
        "session=new.signed; theme=dark; lang=cy"
    )
    assert cookie_header("", {"session": "x"}) == "session=x"


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_signing_in_from_the_script_shows_the_next_page_signed_in_and_keeps_the_new_session(make_app, people):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token(client.get("/sign-in").text)
    answer = client.post(
        "/sign-in", data={"email": "owner@example.org", "password": PASSWORD, "csrf_token": token}, headers=FOLLOW
    )
    assert answer.status_code == 200
    assert answer.headers[LOCATION_HEADER] == "/"  # where the redirect would have gone
    assert "Sign out" in answer.text  # the page was drawn with the session the sign-in made
    # The sign-in's new session cookie reached the browser with the page: the next request is signed in too.
    assert "Sign out" in client.get("/").text


def test_without_the_header_the_form_still_redirects(make_app, people):
    client = make_app().test_client()
    answer = client.post("/sign-in", data={"email": "owner@example.org", "password": PASSWORD})
    assert answer.status_code == 302 and LOCATION_HEADER not in answer.headers


def test_a_form_with_errors_is_answered_as_before_with_no_address(make_app, people):
    client = make_app().test_client()
    answer = client.post("/sign-in", data={"email": "owner@example.org", "password": "wrong"}, headers=FOLLOW)
    assert answer.status_code in (200, 400, 422)
    assert LOCATION_HEADER not in answer.headers and "govuk-error-summary" in answer.text


def test_a_get_with_the_header_is_left_alone(make_app, people):
    client = make_app().test_client()
    answer = client.get("/sign-in", headers=FOLLOW)
    assert answer.status_code == 200 and LOCATION_HEADER not in answer.headers
