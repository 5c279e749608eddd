"""Problems found in uploaded files, money errors and the remind command, in Welsh, Polish and Urdu.

The domain modules return message ids and values; these tests check what a person then reads.
"""

import io

from click.testing import CliRunner

from coproduce.plugins import db
from coproduce.testing import build_cli, outbox
from coproduce.testing.fixtures import add_team, add_user, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_team_pages import IMPORT_HEADER

GOOD_ROW = "C-{n},Cleaning,Shine Ltd,,1000,2026-01-01,2027-01-01,,JS1.1,2,2026-06-01,\n"


def upload(client, path, body: str):
    return client.post(
        path, data={"file": (io.BytesIO(body.encode()), "upload.csv")}, content_type="multipart/form-data"
    )


def member_client(app, email="member@example.org"):
    enable(app)
    client = app.test_client()
    sign_in(client, email)
    return client


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(model.id))).scalar_one()


def problem_cells(page: str, table_id: str) -> list[tuple[str, str]]:
    """(row, problem) pairs of the page's row-by-row problems table, as HTML."""
    body = page.split(f'id="{table_id}"')[1].split("</tbody>")[0]
    cells = [c.split("</td>")[0] for c in body.split('<td class="govuk-table__cell">')[1:]]
    return list(zip(cells[::2], cells[1::2]))


def test_import_report_in_welsh_names_the_row_and_quotes_the_value_escaped(app, people):
    from coproduce_plugins.procurement_social_value.models import Contract

    client = member_client(app)
    body = (
        IMPORT_HEADER
        + GOOD_ROW.format(n=1)
        + "C-2,Catering,Plates Ltd,,2000,31/02/2026,2027-01-01,,NOPE<b>,2,2026-06-01,\n"
        + GOOD_ROW.format(n=3)
    )
    response = upload(client, f"{S}/manage/import?lang=cy", body)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ni chafodd dim ei fewnforio" in page
    assert problem_cells(page, "import-errors") == [
        ("3", "Nid yw contract_start “31/02/2026” yn ddyddiad: defnyddiwch YYYY-MM-DD neu DD/MM/YYYY"),
        ("3", "Nid yw measure_code “NOPE&lt;b&gt;” yn y fframwaith"),
    ]
    assert "is not in the framework" not in page and "<b>" not in page
    assert "Cod mesur yn fframwaith y tîm, fel JS1.1." in page  # what goes in each column, translated too
    assert count(app, Contract) == 0


def test_import_report_in_welsh_for_a_contract_that_already_exists(app, people):
    from coproduce_plugins.procurement_social_value.models import Contract

    client = member_client(app)
    make_contract(app, reference="C-2")
    response = upload(
        client,
        f"{S}/manage/import?lang=cy",
        IMPORT_HEADER + GOOD_ROW.format(n=1) + GOOD_ROW.format(n=2) + GOOD_ROW.format(n=3),
    )
    assert problem_cells(response.get_data(as_text=True), "import-errors") == [
        ("3", "Mae contract_id “C-2” yn bodoli eisoes")
    ]
    assert count(app, Contract) == 1


def test_framework_import_page_shows_the_problems_in_polish(app, people):
    from coproduce_plugins.procurement_social_value.models import Measure

    client = member_client(app, "owner@example.org")
    before = count(app, Measure)
    body = (
        "theme_code,theme,outcome_code,outcome,measure_code,measure,unit,proxy_value_gbp\n"
        "A,Alpha,A1,One,A1.1,First,people,10.00\n"
        "A,Alpha,A1,One,A1.1,Again,people,abc\n"
    )
    response = upload(client, f"{S}/manage/framework/import?lang=pl", body)
    assert response.status_code == 200
    assert problem_cells(response.get_data(as_text=True), "framework-errors") == [
        ("3", "Wartość „abc” w kolumnie proxy_value_gbp nie jest kwotą"),
        ("3", "measure_code „A1.1” jest już użyty w wierszu 2"),
    ]
    missing = upload(client, f"{S}/manage/framework/import?lang=pl", "theme_code,theme\nA,B\n")
    assert problem_cells(missing.get_data(as_text=True), "framework-errors") == [
        ("1", "Kolumny, których brakuje w wierszu nagłówka: outcome_code, outcome, measure_code, measure, unit")
    ]
    assert count(app, Measure) == before


def test_money_and_quantity_problems_in_urdu(app, people):
    client = member_client(app)
    body = IMPORT_HEADER + "C-1,Cleaning,Shine Ltd,,1.234,2026-01-01,2027-01-01,,JS1.1,-2,2026-06-01,\n"
    page = upload(client, f"{S}/manage/import?lang=ur", body).get_data(as_text=True)
    assert problem_cells(page, "import-errors") == [
        ("2", "contract_value_gbp “1.234” میں اعشاریہ کے بعد 2 سے زیادہ ہندسے ہیں"),
        ("2", "target_quantity “-2” منفی ہے: مقدار صفر سے کم نہیں ہو سکتی"),
    ]
    assert 'dir="rtl"' in page


def test_money_problem_renders_through_gettext_in_the_chosen_language(app):
    from flask_babel import force_locale, gettext

    from coproduce_plugins.procurement_social_value.money import NumberError, parse_pence

    try:
        parse_pence("12,34", "proxy_value_gbp")
    except NumberError as error:
        problem = error.problem
    with app.test_request_context(), force_locale("ur"):
        assert problem.render(gettext) == "proxy_value_gbp “12,34” رقم نہیں ہے"
    assert str(problem) == "proxy_value_gbp “12,34” is not an amount"


def seed_reminders(app):
    enable(app)
    make_contract(app, reference="SOON", due_days=2, manager=("Ann", "ann@example.org"))
    make_contract(app, reference="LATE", due_days=-5, manager=("Ann", "ann@example.org"))
    make_contract(app, reference="NOW", due_days=0, manager=("", ""))


def test_remind_in_welsh_when_asked(app, people):
    seed_reminders(app)
    result = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--lang", "cy", "--email"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Ann <ann@example.org>: 2 ymrwymiad" in out
    assert "LATE LATE-1 (" in out and "): 5 diwrnod yn hwyr, yn ddyledus ar " in out and "[Yn hwyr]" in out
    assert "): yn ddyledus ymhen 2 ddiwrnod, ar " in out and "[Mewn perygl]" in out
    assert "Dim rheolwr contract wedi'i enwi: 1 ymrwymiad" in out and "): yn ddyledus heddiw, " in out
    assert "overdue" not in out and "commitment" not in out
    mails = outbox(app)
    assert [m["To"] for m in mails] == ["ann@example.org"]
    text = mails[0].get_payload(decode=True).decode()
    assert "Mae'r ymrwymiadau gwerth cymdeithasol hyn yn hwyr neu'n ddyledus o fewn 30 diwrnod:" in text
    assert "5 diwrnod yn hwyr" in text
    unknown = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--lang", "cy", "--team", "nope"])
    assert unknown.exit_code != 0 and "Does dim tîm o'r enw nope" in unknown.output


def test_remind_speaks_the_default_language_without_lang(make_app):
    app = make_app(DEFAULT_LOCALE="cy")
    with app.app_context():
        add_team("youth", owner=add_user("owner@example.org"))
        db.session.commit()
    nothing = CliRunner().invoke(build_cli(app), ["social-value", "remind"])
    assert nothing.exit_code == 0 and nothing.output.strip() == (
        "Does dim byd yn hwyr nac yn ddyledus o fewn 30 diwrnod."
    )
    seed_reminders(app)
    out = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--team", "youth"]).output
    assert "Ann <ann@example.org>: 2 ymrwymiad" in out and "5 diwrnod yn hwyr" in out
    english = CliRunner().invoke(build_cli(app), ["social-value", "remind", "--lang", "en"]).output
    assert "Ann <ann@example.org>: 2 commitments" in english and "overdue by 5 days" in english
