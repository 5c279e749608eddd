"""A project pack in every language: each field a team writes, round-tripped in the four languages."""

from __future__ import annotations

import io
import json
import re
import zipfile

from coproduce.plugins import CONTENT_LANGUAGES, db
from coproduce.testing import in_languages
from coproduce_plugins.project_pack.models import Project
from coproduce_plugins.project_pack.tests.helpers import BASE, make_project, member_client

# What a team writes, in each language: {field: {lang: text}}.
PROJECT_TEXT = {
    "title": {"en": "Skate park", "cy": "Parc sglefrio", "pl": "Skatepark", "ur": "اسکیٹ پارک"},
    "summary": {
        "en": "A skate park the young people design",
        "cy": "Parc sglefrio y mae'r bobl ifanc yn ei ddylunio",
        "pl": "Skatepark projektowany przez młodzież",
        "ur": "اسکیٹ پارک جو نوجوان خود ڈیزائن کریں",
    },
    "background": {
        "en": "Asked for by **young people**.",
        "cy": "Gofynnwyd amdano gan **bobl ifanc**.",
        "pl": "O to prosiła **młodzież**.",
        "ur": "یہ **نوجوانوں** کی فرمائش تھی۔",
    },
    "goals": {
        "en": "Somewhere to skate",
        "cy": "Rhywle i sglefrio",
        "pl": "Miejsce do jazdy",
        "ur": "اسکیٹ کرنے کی جگہ",
    },
    "set_in_stone": {
        "en": "Budget: £20,000",
        "cy": "Cyllideb: £20,000",
        "pl": "Budżet: 20 000 £",
        "ur": "بجٹ: £20,000",
    },
    "up_for_grabs": {"en": "Where it goes", "cy": "Ble bydd e", "pl": "Gdzie stanie", "ur": "یہ کہاں بنے گا"},
}
CRITERION_TEXT = {
    "what": {
        "en": "Young people using it",
        "cy": "Pobl ifanc yn ei ddefnyddio",
        "pl": "Młodzież z niego korzysta",
        "ur": "نوجوان اسے استعمال کر رہے ہیں",
    },
    "measure": {
        "en": "Count on Saturdays",
        "cy": "Cyfrif ar ddydd Sadwrn",
        "pl": "Liczenie w soboty",
        "ur": "ہفتے کو گنتی",
    },
    "target": {"en": "30", "cy": "30 person", "pl": "30 osób", "ur": "30 افراد"},
}
SKILL_TEXT = {
    "note": {
        "en": "Snacks for the build day",
        "cy": "Byrbrydau i'r diwrnod adeiladu",
        "pl": "Przekąski na dzień budowy",
        "ur": "تعمیر کے دن کے لیے ناشتہ",
    }
}
LOG_TEXT = {
    "text": {
        "en": "We met at the youth club",
        "cy": "Fe wnaethon ni gwrdd yn y clwb ieuenctid",
        "pl": "Spotkaliśmy się w klubie młodzieżowym",
        "ur": "ہم یوتھ کلب میں ملے",
    },
    "working_together": {"en": "Ask early", "cy": "Gofynnwch yn gynnar", "pl": "Pytaj wcześnie", "ur": "جلدی پوچھیں"},
}


def _written(record, text: dict) -> dict:
    return {field: {lang: record.text_in(field, lang) for lang in CONTENT_LANGUAGES} for field in text}


def _project_with_everything(app) -> tuple[int, object]:
    client = member_client(app)
    project_id = make_project(app, client, criteria="", **in_languages(PROJECT_TEXT))
    base = f"{BASE}/{project_id}"
    assert client.post(f"{base}/criteria/new", data=in_languages(CRITERION_TEXT)).status_code == 302
    assert client.post(f"{base}/skills/new", data={"skill": "cooking", **in_languages(SKILL_TEXT)}).status_code == 302
    log = {"kind": "learning", "happened_on": ["27", "3", "2026"], **in_languages(LOG_TEXT)}
    assert client.post(f"{base}/log/new", data=log).status_code == 302
    return project_id, client


def test_every_field_round_trips_in_the_four_languages(app, people, youth):
    project_id, client = _project_with_everything(app)
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert _written(project, PROJECT_TEXT) == PROJECT_TEXT
        assert _written(project.criteria[0], CRITERION_TEXT) == CRITERION_TEXT
        assert _written(project.skills[0], SKILL_TEXT) == SKILL_TEXT
        assert _written(project.log[0], LOG_TEXT) == LOG_TEXT
        assert project.missing_languages() == []
    # The edit form shows every language again, and saving it unchanged keeps them all.
    page = client.get(f"{BASE}/{project_id}/edit").get_data(as_text=True)
    for lang in ("cy", "pl", "ur"):
        assert PROJECT_TEXT["summary"][lang].replace("'", "&#39;") in page


def test_each_reader_gets_the_pack_in_their_language(app, people, youth):
    project_id, _client = _project_with_everything(app)
    reader = app.test_client()
    for lang in ("cy", "pl", "ur"):
        page = reader.get(f"{BASE}/{project_id}?lang={lang}").get_data(as_text=True)
        for text in (PROJECT_TEXT, CRITERION_TEXT, SKILL_TEXT):
            for field, values in text.items():
                if field in ("background", "measure"):
                    continue
                assert values[lang].replace("'", "&#39;") in page, (lang, field)
        assert PROJECT_TEXT["goals"]["en"] not in page
        assert "coproduce-untranslated" not in page
    # The Markdown background is drawn from the reader's language, marked as a block.
    welsh = reader.get(f"{BASE}/{project_id}?lang=cy").get_data(as_text=True)
    assert re.search(
        r'<div class="coproduce-local" dir="auto"><p[^>]*>Gofynnwyd amdano gan <strong>bobl ifanc</strong>', welsh
    )


def test_a_welsh_page_marks_english_only_text_as_english(app, people, youth):
    client = member_client(app)
    project_id = make_project(app, client, **{"title-cy": "Parc sglefrio"})
    page = app.test_client().get(f"{BASE}/{project_id}?lang=cy").get_data(as_text=True)
    assert "<bdi>Parc sglefrio</bdi>" in page
    assert '<bdi lang="en">A skate park the young people design</bdi>' in page
    assert '<li><bdi lang="en">Somewhere to skate</bdi></li>' in page
    assert re.search(r'<div class="coproduce-local" lang="en" dir="auto"><p[^>]*>Asked for by', page)
    assert "coproduce-untranslated" in page  # and the page says so


def test_the_pack_carries_every_language_to_another_site(app, people, youth):
    project_id, client = _project_with_everything(app)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{BASE}/{project_id}/pack.zip").data))
    manifest = json.loads(archive.read("pack.json"))
    assert manifest["project"]["translations"]["ur"]["title"] == PROJECT_TEXT["title"]["ur"]
    assert manifest["criteria"][0]["translations"]["cy"]["what"] == CRITERION_TEXT["what"]["cy"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name, archive.read(name))
    response = client.post(
        f"{BASE}/import", data={"file": (io.BytesIO(buffer.getvalue()), "pack.zip")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        copy = db.session.execute(db.select(Project).order_by(Project.id.desc())).scalars().first()
        assert copy.id != project_id
        assert _written(copy, PROJECT_TEXT) == PROJECT_TEXT
        assert _written(copy.log[0], LOG_TEXT) == LOG_TEXT
