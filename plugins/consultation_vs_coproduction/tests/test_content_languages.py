"""What teams write for the public, in every language: assessments, adapted and added questions; the
bilingual (Welsh and English) poster, paper form and emails of a site in Wales."""

from __future__ import annotations

import re
from datetime import timedelta

from markupsafe import escape

from coproduce.plugins import db, utcnow
from coproduce.testing import outbox
from coproduce.testing.fixtures import get_team, sign_in
from coproduce_plugins.consultation_vs_coproduction.campaigns import uk_day
from coproduce_plugins.consultation_vs_coproduction.models import Assessment, Version
from coproduce_plugins.consultation_vs_coproduction.questionnaire import RUNGS, standard_questionnaire
from coproduce_plugins.consultation_vs_coproduction.tests.helpers import BASE, enable, make_assessment
from coproduce_plugins.consultation_vs_coproduction.versions import standard_version

LANGS = ("en", "cy", "pl", "ur")
TITLE = {
    "en": "Play areas check",
    "cy": "Gwiriad mannau chwarae",
    "pl": "Przegląd placów zabaw",
    "ur": "کھیل کے میدانوں کا جائزہ",
}
INITIATIVE = {"en": "Play areas review", "cy": "Adolygiad mannau chwarae", "pl": "Place zabaw", "ur": "کھیل کے میدان"}
Q = standard_questionnaire()
POWER_1 = Q.question("power-1")


def _member(app):
    client = app.test_client()
    sign_in(client, "member@example.org")
    return client


def _day(offset: int) -> list[str]:
    d = uk_day(utcnow()) + timedelta(days=offset)
    return [str(d.day), str(d.month), str(d.year)]


def _in_every_language(name: str, values: dict[str, str]) -> dict[str, str]:
    return {name: values["en"]} | {f"{name}-{lang}": values[lang] for lang in LANGS[1:]}


def _copy(app, client) -> int:
    with app.app_context():
        standard_id = standard_version(get_team("youth").id).id
        db.session.commit()
    client.post(f"{BASE}/questionnaires/{standard_id}/copy", data={"name": "Our words"})
    with app.app_context():
        return db.session.query(Version).filter_by(name="Our words").one().id


def _question_post(prefix: str, options: int) -> dict[str, str]:
    """Every text of the question form in every language: "<prefix> <field> <lang>"."""
    fields = ["text", "easy_read"] + [f"option_{i}{easy}" for i in range(options) for easy in ("", "_easy")]
    data = {"weight": "1"}
    for field in fields:
        data |= _in_every_language(field, {lang: f"{prefix} {field} {lang}" for lang in LANGS})
    return data


def _main(page: str) -> str:
    """The page's main content (the language switcher names every language)."""
    return page[page.index("<main") : page.index("</main>")]


def _bilingual(app, on: bool):
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    answer = admin.post(
        "/admin/settings",
        data={"signup_enabled": "yes", "default_locale": "en", "welsh_bilingual": "yes" if on else "no"},
    )
    assert answer.status_code == 302


# -- every field, every language, through the team's forms -------------------------------------------------


def test_an_assessment_round_trips_in_every_language(app, people):
    enable(app)
    client = _member(app)
    with app.app_context():
        standard_id = standard_version(get_team("youth").id).id
        db.session.commit()
    made = client.post(
        f"{BASE}/assessments/new",
        data={
            **_in_every_language("title", TITLE),
            **_in_every_language("initiative", INITIATIVE),
            "opens_on": _day(-1),
            "closes_on": _day(20),
            "version": str(standard_id),
            "groups": ["resident", "staff"],
        },
    )
    assert made.status_code == 302
    with app.app_context():
        assessment = db.session.query(Assessment).one()
        assert [assessment.text_in("title", lang) for lang in LANGS] == [TITLE[lang] for lang in LANGS]
        assert [assessment.text_in("initiative", lang) for lang in LANGS] == [INITIATIVE[lang] for lang in LANGS]
        aid, code = assessment.id, assessment.code
    # The edit form shows every language, and saves a change to one of them.
    page = client.get(f"{BASE}/assessments/{aid}/edit").get_data(as_text=True)
    for lang in LANGS:
        assert TITLE[lang] in page and INITIATIVE[lang] in page
    changed = client.post(
        f"{BASE}/assessments/{aid}/edit",
        data={
            **_in_every_language("title", TITLE | {"pl": "Nowy tytuł"}),
            **_in_every_language("initiative", INITIATIVE),
            "opens_on": _day(-1),
            "closes_on": _day(20),
        },
    )
    assert changed.status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, aid).text_in("title", "pl") == "Nowy tytuł"
    # Each language's public start page gives its own text, with no notice that something is missing.
    for lang in ("cy", "ur"):
        start = app.test_client().get(f"{BASE}/a/{code}?lang={lang}").get_data(as_text=True)
        assert f"<bdi>{TITLE[lang]}</bdi>" in start and f"<bdi>{INITIATIVE[lang]}</bdi>" in start
        assert re.search(rf"<title>[^<]*{TITLE[lang]}", start)
        assert "coproduce-untranslated" not in start


def test_the_teams_own_groups_round_trip_in_every_language(app, people):
    enable(app)
    client = _member(app)
    with app.app_context():
        standard_id = standard_version(get_team("youth").id).id
        db.session.commit()
    base = {
        **_in_every_language("title", TITLE),
        **_in_every_language("initiative", INITIATIVE),
        "opens_on": _day(-1),
        "closes_on": _day(20),
        "version": str(standard_id),
        "groups": ["resident", "staff"],
    }
    groups = {
        "en": "Young carer\n\nMember of staff\nParent",  # a blank line, and a repeat of a default group
        "cy": "Gofalwr ifanc\nAelod o staff\nRhiant",
        "pl": "Młody opiekun\nPracownik\nRodzic",
        "ur": "",
    }
    wrong = client.post(
        f"{BASE}/assessments/new", data=base | _in_every_language("other_groups", groups | {"pl": "Rodzic"})
    )
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Write the same groups in the same order" in page
    assert 'id="other_groups-pl-error"' in page
    assert (
        client.post(f"{BASE}/assessments/new", data=base | _in_every_language("other_groups", groups)).status_code
        == 302
    )
    with app.app_context():
        assessment = db.session.query(Assessment).one()
        assert [g["label"] for g in assessment.groups][2:] == ["Young carer", "Parent"]
        assert assessment.other_groups == "Young carer\nParent"
        assert assessment.text_in("other_groups", "cy") == "Gofalwr ifanc\nRhiant"  # the repeat went, as in English
        aid, code = assessment.id, assessment.code
    welsh = app.test_client().get(f"{BASE}/a/{code}?lang=cy").get_data(as_text=True)
    assert "<bdi>Gofalwr ifanc</bdi>" in welsh and "<bdi>Rhiant</bdi>" in welsh
    urdu = app.test_client().get(f"{BASE}/a/{code}?lang=ur").get_data(as_text=True)
    assert '<bdi lang="en">Young carer</bdi>' in urdu  # not written in Urdu yet
    # The edit page adds a language; the names people first saw stay.
    edit = client.get(f"{BASE}/assessments/{aid}/edit").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="other_groups"[^>]*readonly', edit)
    changed = client.post(
        f"{BASE}/assessments/{aid}/edit",
        data={
            **_in_every_language("title", TITLE),
            **_in_every_language("initiative", INITIATIVE),
            "opens_on": _day(-1),
            "closes_on": _day(20),
            "other_groups": "Someone else",
            "other_groups-ur": "نوجوان نگہداشت کرنے والا\nوالدین",
        },
    )
    assert changed.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assert assessment.other_groups == "Young carer\nParent"
        assert assessment.text_in("other_groups", "ur") == "نوجوان نگہداشت کرنے والا\nوالدین"
        assert assessment.text_in("other_groups", "cy") == "Gofalwr ifanc\nRhiant"
    urdu = app.test_client().get(f"{BASE}/a/{code}?lang=ur").get_data(as_text=True)
    assert "<bdi>والدین</bdi>" in urdu


def test_an_adapted_question_round_trips_in_every_language(app, people):
    enable(app)
    client = _member(app)
    copy_id = _copy(app, client)
    options = len(POWER_1.options)
    saved = client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=_question_post("Ours", options))
    assert saved.status_code == 302
    form = client.get(f"{BASE}/questionnaires/{copy_id}/questions/power-1").get_data(as_text=True)
    for lang in LANGS:
        assert f"Ours text {lang}" in form and f"Ours option_{options - 1}_easy {lang}" in form
    with app.app_context():
        version = db.session.get(Version, copy_id)
        question = next(q for d in version.data["dimensions"] for q in d["questions"] if q["id"] == "power-1")
        assert question["text"] == "Ours text en"  # the version's own language, in its data
        assert version.translations["ur"]["power-1.text"] == "Ours text ur"
        option = POWER_1.options[1].id
        assert version.translations["cy"][f"power-1.{option}.easy_read"] == "Ours option_1_easy cy"


def test_an_added_question_round_trips_and_dropping_it_forgets_every_language(app, people):
    enable(app)
    client = _member(app)
    copy_id = _copy(app, client)
    power = next(d for d in Q.dimensions if any(q.id == "power-1" for q in d.questions))
    if len(power.questions) >= 5:  # room for one more
        client.post(f"{BASE}/questionnaires/{copy_id}/questions/{power.questions[-1].id}/drop")
    added = client.post(
        f"{BASE}/questionnaires/{copy_id}/sections/{power.id}/add", data=_question_post("Added", len(RUNGS))
    )
    assert added.status_code == 302
    with app.app_context():
        version = db.session.get(Version, copy_id)
        new = next(q for q in version.data["dimensions"][Q.dimensions.index(power)]["questions"] if "-t" in q["id"])
        for lang in LANGS[1:]:
            assert version.translations[lang][f"{new['id']}.text"] == f"Added text {lang}"
            assert version.translations[lang][f"{new['id']}.e.text"] == f"Added option_4 {lang}"
    page = client.get(f"{BASE}/questionnaires/{copy_id}?lang=pl").get_data(as_text=True)
    assert "<bdi>Added text pl</bdi>" in page
    client.post(f"{BASE}/questionnaires/{copy_id}/questions/{new['id']}/drop")
    with app.app_context():
        left = db.session.get(Version, copy_id).translations or {}
        assert not any(key.startswith(new["id"] + ".") for texts in left.values() for key in texts)


def test_copying_a_version_copies_its_wording_in_every_language(app, people):
    enable(app)
    client = _member(app)
    copy_id = _copy(app, client)
    client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=_question_post("Ours", len(POWER_1.options)))
    client.post(f"{BASE}/questionnaires/{copy_id}/copy", data={"name": "Our words again"})
    with app.app_context():
        first = db.session.get(Version, copy_id)
        second = db.session.query(Version).filter_by(name="Our words again").one()
        assert second.translations == first.translations and second.translations["cy"]
        assert second.content_language == first.content_language == "en"


def test_a_welsh_page_marks_the_teams_english_only_text(app, people):
    """A team that wrote in English only: Welsh readers get it marked lang="en", with a notice; the
    standard's own questions come from the catalogs and are not marked."""
    enable(app)
    client = _member(app)
    copy_id = _copy(app, client)
    english_only = {"text": "Who really decides?", "easy_read": "Who decides?", "weight": "1"}
    for i, option in enumerate(POWER_1.options):
        english_only |= {f"option_{i}": f"English answer {i}", f"option_{i}_easy": f"Easy answer {i}"}
    assert client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=english_only).status_code == 302
    make_assessment(app, version_id=copy_id)
    reader = app.test_client()
    start = reader.get(f"{BASE}/a/abc123defg?lang=cy").get_data(as_text=True)
    assert '<bdi lang="en">Play areas check</bdi>' in start
    assert '<bdi lang="en">Play areas review</bdi>' in start
    assert "coproduce-untranslated" in start
    begun = reader.post(f"{BASE}/a/abc123defg?lang=cy", data={"group": "staff", "easy_read": "standard"})
    journey = begun.headers["Location"].rsplit("/", 1)[0]
    number = next(i for i, d in enumerate(Q.dimensions, 1) if any(q.id == "power-1" for q in d.questions))
    page = reader.get(f"{journey}/{number}?lang=cy").get_data(as_text=True)
    assert re.search(r'<legend[^>]*>\s*<bdi lang="en">Who really decides\?</bdi>', page)
    assert '<bdi lang="en">English answer 0</bdi>' in page
    assert "coproduce-untranslated" in page
    # A question the team left as the standard wrote it is in Welsh, from the catalogs.
    other = next(q for d in Q.dimensions for q in d.questions if q.id.startswith("power") and q.id != "power-1")
    with app.test_request_context("/?lang=cy"):
        from flask_babel import force_locale, gettext

        with force_locale("cy"):
            welsh = gettext(other.text)
    assert welsh != other.text and f"<bdi>{escape(welsh)}</bdi>" in page
    # Once the team writes its Welsh, the mark and the notice go.
    welsh_too = english_only | {"text-cy": "Pwy sy'n penderfynu go iawn?"}
    welsh_too |= {f"option_{i}-cy": f"Ateb {i}" for i in range(len(POWER_1.options))}
    with app.app_context():  # the version is locked now: to change it, the test writes the Welsh itself
        version = db.session.get(Version, copy_id)
        version.locked_at = None
        db.session.commit()
    assert client.post(f"{BASE}/questionnaires/{copy_id}/questions/power-1", data=welsh_too).status_code == 302
    with app.app_context():
        version = db.session.get(Version, copy_id)
        version.locked_at = utcnow()
        db.session.commit()
    page = reader.get(f"{journey}/{number}?lang=cy").get_data(as_text=True)
    assert re.search(r"<legend[^>]*>\s*<bdi>Pwy sy&#39;n penderfynu go iawn\?</bdi>", page)
    assert "<bdi>Ateb 0</bdi>" in page and "English answer" not in page


# -- a bilingual site: Welsh, then English, on paper and by email ----------------------------------------


def _welsh_assessment(app) -> int:
    aid = make_assessment(app)
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assessment.set_text("title", "cy", TITLE["cy"])
        db.session.commit()
    return aid


def test_the_poster_is_in_welsh_then_english_on_a_bilingual_site(app, people):
    enable(app)
    aid = _welsh_assessment(app)
    client = _member(app)
    one = _main(client.get(f"{BASE}/assessments/{aid}/poster").get_data(as_text=True))
    assert 'lang="cy"' not in one and "readiness-language-part" not in one and TITLE["cy"] not in one
    _bilingual(app, True)
    both = client.get(f"{BASE}/assessments/{aid}/poster").get_data(as_text=True)
    parts = re.findall(r'<div class="readiness-language-part" lang="(\w+)">(.*?)</div>', both, re.S)
    assert [lang for lang, _text in parts] == ["cy", "en"]
    assert TITLE["cy"] in parts[0][1] and "Play areas check" in parts[1][1]
    # The Welsh part's team text not written in Welsh (the initiative) is marked as English.
    assert '<bdi lang="en">Play areas review</bdi>' in parts[0][1]
    assert "Have your say" in parts[1][1] and "Have your say" not in parts[0][1]
    # A reader who chose Polish still gets Polish alone.
    polish = client.get(f"{BASE}/assessments/{aid}/poster?lang=pl").get_data(as_text=True)
    assert "readiness-language-part" not in polish


def test_the_paper_form_gives_each_passage_in_welsh_then_english(app, people):
    enable(app)
    _welsh_assessment(app)
    reader = app.test_client()
    one = reader.get(f"{BASE}/a/abc123defg/paper").get_data(as_text=True)
    assert 'class="readiness-language"' not in one
    _bilingual(app, True)
    both = reader.get(f"{BASE}/a/abc123defg/paper").get_data(as_text=True)
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', both, re.S).group(1)
    assert re.fullmatch(
        rf'<span class="readiness-language" lang="cy"><bdi>{TITLE["cy"]}</bdi></span>'
        r'<span class="readiness-language" lang="en"><bdi>Play areas check</bdi></span>',
        heading,
    )
    passages = re.findall(r'<span class="readiness-language" lang="(\w+)">', both)
    welsh = [i for i, lang in enumerate(passages) if lang == "cy"]
    assert len(welsh) > 20 and all(passages[i + 1] == "en" for i in welsh)  # each Welsh passage, then its English
    # Team text not yet written in Welsh is given once, as the English it is.
    caption = re.search(r'<span class="govuk-caption-l">(.*?)</span>\s*<h1', both, re.S).group(1)
    assert caption == '<span class="readiness-language" lang="en"><bdi>Play areas review</bdi></span>'
    with app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale("cy"):
            welsh_question = gettext(POWER_1.text)
    assert f'lang="cy"><bdi>{escape(welsh_question)}</bdi>' in both
    assert f'lang="en"><bdi>{escape(POWER_1.text)}</bdi>' in both
    assert both.count("readiness-paper-box") == one.count("readiness-paper-box")  # one set of boxes
    _bilingual(app, False)
    assert 'class="readiness-language"' not in reader.get(f"{BASE}/a/abc123defg/paper").get_data(as_text=True)


def test_emails_are_in_welsh_then_english_on_a_bilingual_site(app, people):
    def sign_up(email):
        app.test_client().post("/sign-up", data={"display_name": "Ola", "email": email, "password": "twelve chars!!"})
        message = outbox(app)[-1]
        return message["Subject"], message.get_payload(decode=True).decode()

    subject, body = sign_up("ola@example.org")
    assert subject == "Confirm your email address" and "-" * 40 not in body
    _bilingual(app, True)
    subject, body = sign_up("ola2@example.org")
    welsh, english = subject.split(" / ")
    assert english == "Confirm your email address" and welsh and welsh != english
    assert body.index("Use this link to confirm") > body.index("-" * 40) > 0
    assert body.count("/confirm-email/") == 2  # the link in both languages
