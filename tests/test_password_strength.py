"""Passwords: common, breached-style and personal ones are refused beside the field, in every language."""

import pytest

from coproduce.extensions import db
from coproduce.models import User
from coproduce.testing import PASSWORD, outbox, sign_in

HARD_TO_GUESS = "Choose a password that is harder to guess"


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "Passw0rd!2024", "iloveyou1234"])
def test_common_passwords_are_refused_at_sign_up_and_nothing_is_stored(app, password):
    response = app.test_client().post(
        "/sign-up", data={"display_name": "Ola", "email": "ola@example.org", "password": password}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HARD_TO_GUESS in page and 'href="#password"' in page
    assert 'id="password-error"' in page
    with app.app_context():
        assert db.session.execute(db.select(User).where(User.email == "ola@example.org")).first() is None
    assert outbox(app) == []


def test_a_password_made_of_the_persons_own_details_is_refused(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    guessable = "member@example.org1"
    response = client.post("/account/password", data={"current": PASSWORD, "password": guessable, "confirm": guessable})
    assert response.status_code == 200 and HARD_TO_GUESS in response.get_data(as_text=True)
    sign_in(app.test_client(), "member@example.org")  # the old password still works


def test_a_few_unrelated_words_are_accepted(app):
    response = app.test_client().post(
        "/sign-up", data={"display_name": "Ola", "email": "ola@example.org", "password": "kettle orbit violin marsh"}
    )
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "lang, words", [("cy", "anoddach ei ddyfalu"), ("pl", "trudniejsze do odgadnięcia"), ("ur", "اندازہ لگانا")]
)
def test_the_message_is_translated(app, lang, words):
    response = app.test_client().post(
        f"/sign-up?lang={lang}", data={"display_name": "Ola", "email": "ola@example.org", "password": "password1234"}
    )
    assert words in response.get_data(as_text=True)
