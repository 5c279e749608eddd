"""Languages: which locale a request gets, right-to-left markup, team text per locale."""

import re

import pytest

from coproduce.extensions import db
from coproduce.models import User
from coproduce.testing.fixtures import get_team, sign_in


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_lang_query_parameter_wins_and_is_remembered(client):
    assert 'lang="cy"' in html_tag(client.get("/?lang=cy", headers={"Accept-Language": "pl"}))
    assert 'lang="cy"' in html_tag(client.get("/", headers={"Accept-Language": "pl"}))


def test_signed_in_preference_beats_cookie_and_browser(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    client.post("/account/language", data={"locale": "pl"})
    client.set_cookie("coproduce_lang", "ur", domain="coproduce.test")
    assert 'lang="pl"' in html_tag(client.get("/", headers={"Accept-Language": "cy"}))
    assert 'lang="cy"' in html_tag(client.get("/?lang=cy"))
    with app.app_context():
        assert db.session.get(User, people["member"]).preferred_locale == "pl"


def test_cookie_beats_browser(client):
    client.set_cookie("coproduce_lang", "cy", domain="coproduce.test")
    assert 'lang="cy"' in html_tag(client.get("/", headers={"Accept-Language": "pl"}))


def test_browser_language_beats_default(client):
    assert 'lang="pl"' in html_tag(client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}))


def test_installation_default_then_site_admin_choice(make_app, people):
    app = make_app(DEFAULT_LOCALE="cy")
    assert 'lang="cy"' in html_tag(app.test_client().get("/"))
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    admin.post("/admin/settings", data={"signup_enabled": "yes", "default_locale": "ur"})
    assert 'lang="ur"' in html_tag(app.test_client().get("/"))


def test_commands_speak_the_default_language_the_site_admin_chose(make_app, people):
    from flask_babel import force_locale, gettext

    from coproduce.i18n import select_locale
    from coproduce.site_settings import set_setting

    app = make_app(DEFAULT_LOCALE="en")
    with app.app_context():
        assert select_locale() == "en"
        set_setting("DEFAULT_LOCALE", "cy")
        db.session.commit()
        assert select_locale() == "cy"
        with force_locale("en"):
            english = gettext("Sign in")
        assert gettext("Sign in") != english


def test_unknown_language_is_ignored(client):
    assert 'lang="en"' in html_tag(client.get("/?lang=xx"))


def test_urdu_pages_are_right_to_left(client):
    tag = html_tag(client.get("/?lang=ur"))
    assert 'lang="ur"' in tag and 'dir="rtl"' in tag
    assert 'dir="rtl"' not in html_tag(client.get("/?lang=en"))


def test_language_switcher_links_keep_the_page_and_its_query(client, people):
    page = client.get("/t/youth/?x=1").get_data(as_text=True)
    for code in ("cy", "pl", "ur"):
        assert re.search(rf'href="/t/youth/\?x=1&(amp;)?lang={code}"', page), code


@pytest.mark.parametrize("field", ["name"])
def test_default_language_team_name_cannot_be_emptied(app, people, field):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    page = owner.post("/t/youth/manage/details", data={"name": "", "description": ""}).get_data(as_text=True)
    assert "Enter a name" in page
    with app.app_context():
        assert get_team("youth").name == "Youth"


@pytest.mark.parametrize("lang, words", [("cy", "Mewngofnodi"), ("pl", "Zaloguj się"), ("ur", "سائن ان")])
def test_pages_are_translated(client, lang, words):
    assert words in client.get(f"/sign-in?lang={lang}").get_data(as_text=True)


def test_built_in_form_errors_are_translated_even_in_urdu(app, people):
    client = app.test_client()
    sign_in(client, "member@example.org")
    page = client.post("/account/language?lang=ur", data={"locale": "xx"}).get_data(as_text=True)
    assert "یہ درست انتخاب نہیں ہے۔" in page


def test_apps_with_different_plugins_do_not_share_translations(make_app, people):
    """Each app reads its own plugins' catalogs (a process may hold several apps, as tests do)."""
    bare = make_app(plugins=["tests.dummy_plugin"])
    assert "Mewngofnodi" in bare.test_client().get("/sign-in?lang=cy").get_data(as_text=True)
    full = make_app()
    with full.app_context():
        full.extensions["plugins"].set_enabled(get_team("youth"), "project_pack", True)
    assert "Pecynnau prosiect" in full.test_client().get("/t/youth/?lang=cy").get_data(as_text=True)
