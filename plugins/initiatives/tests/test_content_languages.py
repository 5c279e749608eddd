"""Initiatives in every language: what staff write round-trips in the four languages, a resident's initiative
is marked with the language they wrote it in, and readers and the Open Referral UK feed get their language."""

from __future__ import annotations

import re

from coproduce.plugins import CONTENT_LANGUAGES, db
from coproduce.testing import in_languages
from coproduce_plugins.initiatives.models import Initiative, Theme
from coproduce_plugins.initiatives.tests.helpers import BASE, NEW, by_name, member_client
from coproduce_plugins.initiatives.tests.test_openreferral import REMOTE, registry, validate  # noqa: F401

INITIATIVE_TEXT = {
    "name": {
        "en": "Maple Street Soup Kitchen",
        "cy": "Cegin Gawl Stryd Maple",
        "pl": "Jadłodajnia na Maple Street",
        "ur": "میپل اسٹریٹ سوپ کچن",
    },
    "summary": {
        "en": "Hot soup on cold evenings for anyone who turns up.",
        "cy": "Cawl poeth ar nosweithiau oer i bwy bynnag a ddaw.",
        "pl": "Gorąca zupa w zimne wieczory dla każdego, kto przyjdzie.",
        "ur": "سرد شاموں میں ہر آنے والے کے لیے گرم سوپ۔",
    },
    "get_involved": {"en": "Bring a pan.", "cy": "Dewch â sosban.", "pl": "Przynieś garnek.", "ur": "ایک پتیلا لائیں۔"},
    "times": {"en": "Fridays 6pm", "cy": "Nos Wener 6pm", "pl": "Piątki 18:00", "ur": "جمعہ شام 6 بجے"},
}
THEME_TEXT = {"name": {"en": "Food", "cy": "Bwyd", "pl": "Jedzenie", "ur": "کھانا"}}


def _written(record, text: dict) -> dict:
    return {field: {lang: record.text_in(field, lang) for lang in CONTENT_LANGUAGES} for field in text}


def _staff_initiative(app) -> tuple[int, int, object]:
    client = member_client(app)
    assert client.post(f"{BASE}/manage/themes", data=in_languages(THEME_TEXT)).status_code == 302
    with app.app_context():
        theme_id = db.session.execute(db.select(Theme.id).where(Theme.name == "Food")).scalar_one()
    data = {**NEW, **in_languages(INITIATIVE_TEXT), "themes": str(theme_id)}
    del data["not_listed"]
    assert client.post(f"{BASE}/manage/new", data=data).status_code == 302
    return by_name(app, "Maple Street Soup Kitchen").id, theme_id, client


def test_every_field_round_trips_in_the_four_languages(app, youth):
    initiative_id, theme_id, client = _staff_initiative(app)
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        assert _written(initiative, INITIATIVE_TEXT) == INITIATIVE_TEXT
        assert _written(db.session.get(Theme, theme_id), THEME_TEXT) == THEME_TEXT
        assert initiative.missing_languages() == [] and initiative.content_language == "en"
    edit = client.get(f"{BASE}/manage/{initiative_id}/edit").get_data(as_text=True)
    for values in INITIATIVE_TEXT.values():
        for value in values.values():
            assert value.replace("'", "&#39;") in edit
    # The themes page names what is missing; its edit page adds the language; an unchanged save keeps all.
    with app.app_context():
        db.session.get(Theme, theme_id).set_text("name", "ur", "")
        db.session.commit()
    assert "اردو" in client.get(f"{BASE}/manage/themes").get_data(as_text=True)
    changed = client.post(f"{BASE}/manage/themes/{theme_id}/edit", data=in_languages(THEME_TEXT))
    assert changed.status_code == 302
    client.post(f"{BASE}/manage/{initiative_id}/edit", data={**NEW, "name": "Maple Street Soup Kitchen"})
    with app.app_context():
        assert _written(db.session.get(Theme, theme_id), THEME_TEXT) == THEME_TEXT
        assert _written(db.session.get(Initiative, initiative_id), INITIATIVE_TEXT) == INITIATIVE_TEXT
    # Search finds it by its words in any language.
    found = app.test_client().get(f"{BASE}/?q=Jadłodajnia").get_data(as_text=True)
    assert f"/initiatives/{initiative_id}" in found


def test_each_reader_gets_the_directory_in_their_language(app, youth, registry):  # noqa: F811
    initiative_id, _theme_id, _client = _staff_initiative(app)
    reader = app.test_client()
    for lang in ("cy", "pl", "ur"):
        page = reader.get(f"{BASE}/{initiative_id}?lang={lang}").get_data(as_text=True)
        for field, values in INITIATIVE_TEXT.items():
            assert values[lang].replace("'", "&#39;") in page, (lang, field)
        assert THEME_TEXT["name"][lang] in page
        assert INITIATIVE_TEXT["summary"]["en"] not in page and "coproduce-untranslated" not in page
        listing = reader.get(f"{BASE}/?lang={lang}").get_data(as_text=True)
        assert INITIATIVE_TEXT["name"][lang] in listing and INITIATIVE_TEXT["summary"][lang] in listing
        assert f">{THEME_TEXT['name'][lang]}</option>" in listing  # the theme filter
        # Open Referral UK has one field per text: the feed speaks the language asked for, and stays valid.
        services = reader.get(f"{BASE}/openreferral/services?lang={lang}").get_json()
        validate(registry, {"$ref": f"{REMOTE}compiled/service_list.json"}, services["contents"][0])
        assert services["contents"][0]["name"] == INITIATIVE_TEXT["name"][lang]
        one = reader.get(f"{BASE}/openreferral/services/{services['contents'][0]['id']}?lang={lang}").get_json()
        validate(registry, {"$ref": f"{REMOTE}compiled/service.json"}, one)
        assert one["schedules"][0]["description"] == INITIATIVE_TEXT["times"][lang]
        assert one["attributes"][0]["taxonomy_term"]["name"] == THEME_TEXT["name"][lang]
    english = app.test_client().get(f"{BASE}/openreferral/services").get_json()
    assert english["contents"][0]["description"] == INITIATIVE_TEXT["summary"]["en"]


def test_a_resident_writes_in_the_pages_language(app, youth):
    resident = app.test_client()
    data = {**NEW, "name": "Klub szachowy", "summary": "Gramy w szachy w bibliotece.", "times": "Środy"}
    assert resident.post(f"{BASE}/add?lang=pl", data=data).status_code == 302
    with app.app_context():
        initiative = db.session.execute(db.select(Initiative).where(Initiative.name == "Klub szachowy")).scalar_one()
        assert initiative.content_language == "pl" and initiative.translations in (None, {})
        initiative.status = "published"
        db.session.commit()
        initiative_id = initiative.id
    # The resident's form has one input a field: no other languages to fill in.
    assert 'name="name-cy"' not in resident.get(f"{BASE}/add").get_data(as_text=True)
    page = app.test_client().get(f"{BASE}/{initiative_id}?lang=en").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl"><bdi lang="pl">Klub szachowy</bdi></h1>' in page
    polish = app.test_client().get(f"{BASE}/{initiative_id}?lang=pl").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl"><bdi>Klub szachowy</bdi></h1>' in polish
    # Staff add English; their form's own input stays the resident's Polish.
    client = member_client(app)
    edit = client.get(f"{BASE}/manage/{initiative_id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="name"[^>]*lang="pl"', edit) or re.search(r'lang="pl"[^>]*id="name"', edit)
    staff = {**NEW, **data, "name-en": "Chess club", "summary-en": "We play chess in the library."}
    del staff["not_listed"]
    assert client.post(f"{BASE}/manage/{initiative_id}/edit", data=staff).status_code == 302
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        assert initiative.name == "Klub szachowy" and initiative.text_in("name", "en") == "Chess club"
    page = app.test_client().get(f"{BASE}/{initiative_id}?lang=en").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl"><bdi>Chess club</bdi></h1>' in page


def test_a_welsh_page_marks_english_only_text_as_english(app, youth):
    client = member_client(app)
    data = {**NEW, "name-cy": "Cegin Gawl Stryd Maple"}
    del data["not_listed"]
    assert client.post(f"{BASE}/manage/new", data=data).status_code == 302
    initiative_id = by_name(app, "Maple Street Soup Kitchen").id
    page = app.test_client().get(f"{BASE}/{initiative_id}?lang=cy").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl"><bdi>Cegin Gawl Stryd Maple</bdi></h1>' in page
    assert re.search(r'<div class="coproduce-local" lang="en" dir="auto">Hot soup on cold evenings', page)
    assert '<bdi lang="en">Fridays 6pm</bdi>' in page
    assert "coproduce-untranslated" in page  # and the page says so
    listing = app.test_client().get(f"{BASE}/?lang=cy").get_data(as_text=True)
    assert '<div class="coproduce-local" lang="en" dir="auto">Hot soup' in listing
