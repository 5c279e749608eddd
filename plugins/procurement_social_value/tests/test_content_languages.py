"""Social value in every language: each field a team writes, round-tripped in the four languages, on the
public pages, the dashboard, the exports and the reminders."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from click.testing import CliRunner

from coproduce.plugins import CONTENT_LANGUAGES, User, db, utcnow
from coproduce.testing import build_cli, in_languages, outbox
from coproduce.testing.fixtures import add_user, get_team, sign_in
from coproduce_plugins.procurement_social_value.models import Commitment, Contract, Measure, Need
from coproduce_plugins.procurement_social_value.tests.helpers import S, date_fields, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_ocds import validator  # noqa: F401 (a fixture)

CONTRACT_TEXT = {
    "title": {
        "en": "Road repairs in the town centre",
        "cy": "Atgyweirio ffyrdd yng nghanol y dref",
        "pl": "Naprawy dróg w centrum miasta",
        "ur": "شہر کے مرکز میں سڑکوں کی مرمت",
    }
}
COMMITMENT_TEXT = {
    "description": {
        "en": "Two apprentices from the estate",
        "cy": "Dau brentis o'r ystâd",
        "pl": "Dwóch praktykantów z osiedla",
        "ur": "بستی سے دو اپرنٹس",
    }
}
MEASURE_TEXT = {
    "title": {
        "en": "Local people employed",
        "cy": "Pobl leol a gyflogwyd",
        "pl": "Zatrudnieni mieszkańcy",
        "ur": "مقامی لوگوں کو روزگار",
    },
    "unit": {"en": "people", "cy": "pobl", "pl": "osoby", "ur": "افراد"},
}
NEED_TEXT = {
    "title": {
        "cy": "Mainc wrth yr arhosfan bws",
        "en": "A bench at the bus stop",
        "pl": "Ławka przy przystanku",
        "ur": "بس اسٹاپ پر ایک بینچ",
    },
    "description": {
        "cy": "Mae pobl hŷn yn sefyll am amser hir",
        "en": "Older people stand for a long time",
        "pl": "Starsi ludzie długo stoją",
        "ur": "بزرگ دیر تک کھڑے رہتے ہیں",
    },
}


def _written(record, text: dict) -> dict:
    return {field: {lang: record.text_in(field, lang) for lang in text[field]} for field in text}


def _everything(app):
    """A contract, commitment, measure and accepted need written in four languages through the team's forms."""
    enable(app)
    client = app.test_client()
    sign_in(client, "owner@example.org")
    today = utcnow().date()
    with app.app_context():
        measure_id = db.session.execute(
            db.select(Measure.id).where(Measure.team_id == get_team("youth").id, Measure.code == "JS1.1")
        ).scalar_one()
    measure = {"proxy": "9,400", "proxy_source": "", **in_languages(MEASURE_TEXT)}
    assert client.post(f"{S}/manage/framework/{measure_id}/edit", data=measure).status_code == 302
    # A resident writes a need in Welsh on the Welsh page; the team puts it on the register and adds the rest.
    resident = app.test_client()
    words = {"title": NEED_TEXT["title"]["cy"], "description": NEED_TEXT["description"]["cy"]}
    assert resident.post(f"{S}/needs/new?lang=cy", data=words).status_code == 302
    with app.app_context():
        need = db.session.execute(db.select(Need)).scalar_one()
        assert need.content_language == "cy"
        need_id = need.id
    client.post(f"{S}/manage/needs/{need_id}/curate", data={"state": "accepted"})
    assert client.post(f"{S}/manage/needs/{need_id}/words", data=in_languages(NEED_TEXT, "cy")).status_code == 302
    contract = {
        "reference": "HW-9",
        "supplier_name": "Frost Ltd",
        "value": "12,500",
        "area": "Eastfield",
        "manager_name": "Jo",
        "manager_email": "jo@example.org",
        "published": "y",
        **date_fields("start_date", today - timedelta(10)),
        **date_fields("end_date", today + timedelta(400)),
        **in_languages(CONTRACT_TEXT),
    }
    assert client.post(f"{S}/manage/contracts/new", data=contract).status_code == 302
    with app.app_context():
        contract_id = db.session.execute(db.select(Contract.id)).scalar_one()
    commitment = {
        "measure": str(measure_id),
        "target": "2",
        "need": str(need_id),
        **date_fields("due_date", today + timedelta(200)),
        **in_languages(COMMITMENT_TEXT),
    }
    assert client.post(f"{S}/manage/contracts/{contract_id}/commitments/new", data=commitment).status_code == 302
    with app.app_context():
        commitment_id = db.session.execute(db.select(Commitment.id)).scalar_one()
    return client, {"contract": contract_id, "commitment": commitment_id, "measure": measure_id, "need": need_id}


def test_every_field_round_trips_in_the_four_languages(app, people):
    client, ids = _everything(app)
    with app.app_context():
        assert _written(db.session.get(Contract, ids["contract"]), CONTRACT_TEXT) == CONTRACT_TEXT
        assert _written(db.session.get(Commitment, ids["commitment"]), COMMITMENT_TEXT) == COMMITMENT_TEXT
        assert _written(db.session.get(Measure, ids["measure"]), MEASURE_TEXT) == MEASURE_TEXT
        need = db.session.get(Need, ids["need"])
        assert _written(need, NEED_TEXT) == NEED_TEXT
        assert need.title == NEED_TEXT["title"]["cy"]  # the resident's own words stay the record's
        assert db.session.get(Contract, ids["contract"]).missing_languages() == []
    # Each edit form shows every language again; saving one unchanged keeps them all.
    pages = {
        f"{S}/manage/contracts/{ids['contract']}/edit": CONTRACT_TEXT,
        f"{S}/manage/commitments/{ids['commitment']}/edit": COMMITMENT_TEXT,
        f"{S}/manage/framework/{ids['measure']}/edit": MEASURE_TEXT,
        f"{S}/manage/needs/{ids['need']}/words": NEED_TEXT,
    }
    for url, text in pages.items():
        page = client.get(url).get_data(as_text=True)
        for values in text.values():
            for value in values.values():
                assert value.replace("'", "&#39;") in page, (url, value)
    client.post(f"{S}/manage/needs/{ids['need']}/words", data={"title": NEED_TEXT["title"]["cy"]})
    with app.app_context():
        assert _written(db.session.get(Need, ids["need"]), NEED_TEXT) == NEED_TEXT


def test_each_reader_gets_the_promises_in_their_language(app, people):
    client, ids = _everything(app)
    reader = app.test_client()
    for lang in ("cy", "pl", "ur"):
        for url in (f"{S}/?lang={lang}", f"{S}/contracts/{ids['contract']}?lang={lang}"):
            page = reader.get(url).get_data(as_text=True)
            for text in (CONTRACT_TEXT, MEASURE_TEXT, {"title": NEED_TEXT["title"]}):
                for values in text.values():
                    assert values[lang].replace("'", "&#39;") in page, (url, values[lang])
            assert MEASURE_TEXT["title"]["en"] not in page
            assert "coproduce-untranslated" not in page
        contract_page = reader.get(f"{S}/contracts/{ids['contract']}?lang={lang}").get_data(as_text=True)
        assert COMMITMENT_TEXT["description"][lang].replace("'", "&#39;") in contract_page
        # The team's dashboard: the measure and the contract in the reader's language, the query unchanged.
        board = client.get(f"{S}/manage/?lang={lang}").get_data(as_text=True)
        assert f"HW-9: {CONTRACT_TEXT['title'][lang]}" in board
    commitment_page = client.get(f"{S}/manage/commitments/{ids['commitment']}?lang=ur").get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l"><bdi>{MEASURE_TEXT["title"]["ur"]}</bdi></h1>' in commitment_page


def test_a_welsh_page_marks_english_only_text_as_english(app, people):
    enable(app)
    ids = make_contract(app)
    page = app.test_client().get(f"{S}/contracts/{ids['contract']}?lang=cy").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l"><bdi lang="en">Road repairs</bdi></h1>' in page
    with app.app_context():
        title = db.session.get(Contract, ids["contract"]).commitments[0].measure.title
    assert re.search(rf'<h2 class="govuk-heading-m"><bdi lang="en">{re.escape(title)}</bdi>', page)
    assert "coproduce-untranslated" in page  # and the page says so
    index = app.test_client().get(f"{S}/?lang=cy").get_data(as_text=True)
    assert '<bdi lang="en">Road repairs</bdi>' in index
    # Written in Welsh too, the title is no longer marked.
    with app.app_context():
        db.session.get(Contract, ids["contract"]).set_text("title", "cy", "Atgyweirio ffyrdd")
        db.session.commit()
    page = app.test_client().get(f"{S}/contracts/{ids['contract']}?lang=cy").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l"><bdi>Atgyweirio ffyrdd</bdi></h1>' in page


def test_the_exports_carry_every_language(app, people, validator):  # noqa: F811
    _client, ids = _everything(app)
    reader = app.test_client()
    rows = list(csv.DictReader(io.StringIO(reader.get(f"{S}/export/contracts.csv").get_data(as_text=True))))
    row = rows[0]
    assert row["\ufeffcontract_id"] == "HW-9" and row["contract_title"] == CONTRACT_TEXT["title"]["en"]
    for lang in CONTENT_LANGUAGES:
        assert row[f"contract_title_{lang}"] == CONTRACT_TEXT["title"][lang]
        assert row[f"measure_{lang}"] == MEASURE_TEXT["title"][lang]
        assert row[f"unit_{lang}"] == MEASURE_TEXT["unit"][lang]
        assert row[f"local_need_{lang}"] == NEED_TEXT["title"][lang]
    assert row["local_need"] == NEED_TEXT["title"]["cy"]  # the need's own words, in the resident's language
    package = json.loads(reader.get(f"{S}/export/ocds.json").get_data(as_text=True))
    validator.validate(package)
    release = package["releases"][0]
    contract, milestone = release["contracts"][0], release["contracts"][0]["milestones"][0]
    assert release["language"] == "en" and contract["title"] == CONTRACT_TEXT["title"]["en"]
    assert {contract[f"title_{lang}"] for lang in ("cy", "pl", "ur")} == {
        CONTRACT_TEXT["title"][lang] for lang in ("cy", "pl", "ur")
    }
    assert milestone["title_ur"] == f"JS1.1 {MEASURE_TEXT['title']['ur']}"
    assert f"Local need: {NEED_TEXT['title']['en']}" in milestone["description"]
    # A contract written in Welsh is a Welsh release, and our English sentences say they are English.
    with app.app_context():
        record = db.session.get(Contract, ids["contract"])
        record.content_language, record.title = "cy", CONTRACT_TEXT["title"]["cy"]
        record.translations = {"en": {"title": CONTRACT_TEXT["title"]["en"]}}
        db.session.commit()
    package = json.loads(reader.get(f"{S}/export/ocds.json").get_data(as_text=True))
    validator.validate(package)
    release = package["releases"][0]
    contract, milestone = release["contracts"][0], release["contracts"][0]["milestones"][0]
    assert release["language"] == "cy" and contract["title"] == CONTRACT_TEXT["title"]["cy"]
    assert contract["title_en"] == CONTRACT_TEXT["title"]["en"] and "title_cy" not in contract
    assert milestone["title"] == f"JS1.1 {MEASURE_TEXT['title']['cy']}" and "title_cy" not in milestone
    assert "description" not in milestone and "Target: 2 people" in milestone["description_en"]


def test_a_reminder_is_in_the_managers_own_language(app, people):
    _client, ids = _everything(app)
    with app.app_context():
        add_user("jo@example.org")
        db.session.execute(db.update(User).where(User.email == "jo@example.org").values(preferred_locale="pl"))
        db.session.get(Commitment, ids["commitment"]).due_date = utcnow().date() + timedelta(days=3)
        db.session.commit()
    result = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--email"])
    assert result.exit_code == 0, result.output
    assert MEASURE_TEXT["title"]["en"] in result.output  # the list: the installation's language
    mail = outbox(app)[-1]
    assert mail["To"] == "jo@example.org"
    body = mail.get_payload(decode=True).decode()
    assert MEASURE_TEXT["title"]["pl"] in body and f"2 {MEASURE_TEXT['unit']['pl']}" in body
    assert MEASURE_TEXT["title"]["en"] not in body
