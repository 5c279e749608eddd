"""Team-written text in every language: one input per language, fallback, lang= marking, isolation."""

import re

import pytest

from coproduce.content import add_translation_columns  # noqa: F401 - the migrations' helper must import
from coproduce.i18n import LANGUAGES
from coproduce.models.translatable import CONTENT_LANGUAGES, Translatable
from coproduce.testing.fixtures import get_team, sign_in

WELSH = "Gwasanaethau ieuenctid"
POLISH = "Usługi dla młodzieży"
URDU = "نوجوانوں کی خدمات (شہر)"


def _owner(app):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    return owner


def _save(owner, **data):
    fields = {"name": "Youth services", "description": "We run youth clubs."} | data
    return owner.post("/t/youth/manage/details", data=fields)


def test_the_languages_the_content_can_be_in_are_the_interfaces():
    assert CONTENT_LANGUAGES == tuple(LANGUAGES)


def test_every_language_round_trips_through_the_form(app, people):
    owner = _owner(app)
    response = _save(
        owner,
        **{"name-cy": WELSH, "name-pl": POLISH, "name-ur": URDU, "description-cy": "Clybiau ieuenctid."},
    )
    assert response.status_code == 302
    page = owner.get("/t/youth/manage/details").get_data(as_text=True)
    for value in (WELSH, POLISH, URDU, "Clybiau ieuenctid."):
        assert value in page
    with app.app_context():
        team = get_team("youth")
        assert [team.text_in("name", code) for code in CONTENT_LANGUAGES] == ["Youth services", WELSH, POLISH, URDU]
        assert team.missing_languages() == ["pl", "ur"]  # their descriptions are not written yet


def test_the_form_says_which_languages_are_missing(app, people):
    owner = _owner(app)
    _save(owner, **{"name-cy": WELSH})
    page = owner.get("/t/youth/manage/details").get_data(as_text=True)
    name_part = page[page.index('id="name-languages"') :]
    name_part = name_part[: name_part.index("</details>")]
    status = re.search(r'id="name-languages-status">(.*?)</p>', name_part, re.S).group(1)
    assert "Polski" in status and "اردو" in status and "Cymraeg" not in status
    # Each language's input is marked with its language, Urdu right to left.
    assert re.search(r'<input[^>]*name="name-ur"[^>]*lang="ur"[^>]*dir="rtl"', name_part) or re.search(
        r'<input[^>]*lang="ur"[^>]*dir="rtl"[^>]*name="name-ur"', name_part
    )


def test_the_missing_languages_are_listed_with_the_page_languages_comma(app, people):
    owner = _owner(app)
    _save(owner, **{"name-cy": WELSH})

    def status(lang):
        page = owner.get(f"/t/youth/manage/details?lang={lang}").get_data(as_text=True)
        return re.search(r'id="name-languages-status">(.*?)</p>', page, re.S).group(1)

    assert '<span lang="pl">Polski</span>, <span lang="ur">' in status("en")
    assert '<span lang="pl">Polski</span>، <span lang="ur">' in status("ur")  # the Arabic comma


def test_a_language_left_out_of_the_request_keeps_its_text(app, people):
    owner = _owner(app)
    _save(owner, **{"name-cy": WELSH})
    _save(owner, name="Youth services team")  # a script that sends the main field only
    with app.app_context():
        assert get_team("youth").text_in("name", "cy") == WELSH
    _save(owner, **{"name-cy": ""})  # an emptied box removes that language
    with app.app_context():
        assert get_team("youth").text_in("name", "cy") == ""


def test_each_language_is_checked_like_the_main_text_and_nothing_is_stored(app, people):
    owner = _owner(app)
    page = _save(owner, **{"name-pl": "x" * 121, "name-cy": WELSH}).get_data(as_text=True)
    assert "Polski: Name must be 120 characters or fewer" in page
    # The message sits beside the Polish input, whose box is open.
    assert re.search(r'id="name-pl-error"', page)
    assert re.search(r'<details[^>]*id="name-languages"[^>]*open', page)
    with app.app_context():
        assert get_team("youth").text_in("name", "cy") == ""


@pytest.mark.parametrize("value", [["a", "b"], "x" * 100000, "\x00", "<script>alert(1)</script>"])
def test_hostile_values_in_language_inputs_never_500(app, people, value):
    owner = _owner(app)
    response = _save(owner, **{"name-cy": value, "description-ur": value, "name-xx": value})
    assert response.status_code in (200, 302, 400)  # 400: the input guard's refusal of a NUL byte
    page = owner.get("/t/youth/?lang=cy").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page


def test_a_page_in_another_language_marks_the_fallback_text(app, people):
    _save(_owner(app), **{"name-cy": WELSH})
    reader = app.test_client()
    welsh = reader.get("/t/youth/?lang=cy").get_data(as_text=True)
    assert re.search(rf"<bdi>{WELSH}</bdi>", welsh)
    polish = reader.get("/t/youth/?lang=pl").get_data(as_text=True)
    assert WELSH not in polish
    assert re.search(r'<bdi lang="en">Youth services</bdi>', polish)
    assert "coproduce-untranslated" in polish  # it says part of the page is not yet in Polish
    assert "coproduce-untranslated" not in reader.get("/t/youth/?lang=en").get_data(as_text=True)


def test_user_text_in_a_right_to_left_page_is_isolated(app, people):
    _save(_owner(app), **{"name-ur": URDU})
    page = app.test_client().get("/t/youth/?lang=ur").get_data(as_text=True)
    assert f"<bdi>{URDU}</bdi>" in page


def test_fallback_goes_to_the_site_default_then_the_text_as_written():
    class Record(Translatable):
        translated_fields = ("title",)

        def __init__(self):
            self.title = "Park clean-up"
            self.translations = {"cy": {"title": "Glanhau'r parc"}}
            self.content_language = "en"

    record = Record()
    assert record.localised("title", "cy", "en") == "Glanhau'r parc"
    assert record.localised("title", "pl", "cy").lang == "cy"  # the site's default comes first
    got = record.localised("title", "ur", "pl")
    assert (got, got.lang, got.fallback) == ("Park clean-up", "en", True)
    record.set_text("title", "cy", "", "en")
    assert record.translations == {}
