"""Large contract imports and large exports go to the worker; the person who asked is emailed a link to the
outcome. (The worker itself is tested with a real process in core's and project_pack's tests.)"""

from __future__ import annotations

import io

from coproduce.plugins import db
from coproduce.testing import job_file, job_page, outbox, sign_in
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract
from coproduce_plugins.procurement_social_value.tests.test_team_pages import IMPORT_HEADER

GOOD = (
    IMPORT_HEADER
    + "C-1,Cleaning,Shine Ltd,,1000,2026-01-01,2027-01-01,,JS1.1,2,2026-06-01,Jobs for care leavers\n"
    + "C-2,Catering,Plates Ltd,,2000,2026-01-01,2027-01-01,,JS1.2,2,2026-06-01,\n"
)


def _contracts(app) -> list[str]:
    from coproduce_plugins.procurement_social_value.models import Contract

    with app.app_context():
        return db.session.execute(db.select(Contract.reference).order_by(Contract.reference)).scalars().all()


def _post_import(client, body: str, name: str = "contracts.csv"):
    return client.post(
        f"{S}/manage/import", data={"file": (io.BytesIO(body.encode()), name)}, content_type="multipart/form-data"
    )


def _member(app):
    enable(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    return client


def test_a_large_import_is_stored_by_the_worker_and_links_to_the_contracts(make_app, people):
    app = make_app(BACKGROUND_IMPORT_BYTES=10)
    client = _member(app)
    _, html = job_page(client, _post_import(client, GOOD, "march\t\x1bBcc: x@example.net.csv"))
    assert "Imported 2 contracts from 2 rows." in html
    assert "Local needs named in the file wait on the needs page" in html
    assert f'href="{S}/manage/contracts">See the contracts</a>' in html
    assert _contracts(app) == ["C-1", "C-2"]
    mail = outbox(app)[-1]
    # The file's name is in the subject, on one line: it cannot add a header.
    assert mail["Subject"] == "Ready: Contracts import: march Bcc: x@example.net.csv" and mail["Bcc"] is None


def test_a_large_import_with_a_bad_row_stores_nothing_and_shows_every_problem(make_app, people):
    app = make_app(BACKGROUND_IMPORT_BYTES=10)
    client = _member(app)
    _, html = job_page(client, _post_import(client, GOOD.replace("JS1.2", "NOPE")))
    assert "This was not done" in html and "Nothing was imported." in html
    assert "Problems found, row by row" in html and "measure_code “NOPE” is not in the framework" in html
    assert '<td class="govuk-table__cell">3</td>' in html  # the spreadsheet row of the bad line
    assert f'href="{S}/manage/import">Upload a corrected file</a>' in html
    assert _contracts(app) == []


def test_a_small_import_still_answers_beside_the_field(make_app, people):
    app = make_app()  # 256 KB before the worker takes over
    client = _member(app)
    response = _post_import(client, GOOD.replace("JS1.2", "NOPE"))
    assert response.status_code == 200 and 'id="file-error"' in response.get_data(as_text=True)
    assert _post_import(client, GOOD).headers["Location"].endswith("/manage/contracts")


def test_a_large_export_is_prepared_in_the_background_with_the_same_rows(make_app, people):
    small = make_app()
    enable(small)
    make_contract(small)
    make_contract(small, reference="C-9")
    at_once = _member(small).get(f"{S}/manage/export/contracts.csv")
    assert at_once.status_code == 200 and at_once.mimetype == "text/csv"

    app = make_app(BACKGROUND_EXPORT_ROWS=1)  # the same database: now it is "large"
    client = _member(app)
    page = client.get(f"{S}/manage/export/contracts.csv")
    assert page.status_code == 200 and "This export is large" in page.get_data(as_text=True)
    download = job_file(client, client.post(f"{S}/manage/export/contracts.csv"))
    assert download.data == at_once.get_data()
    assert download.data.startswith("\ufeff".encode())
    assert "social-value-youth-all.csv" in download.headers["Content-Disposition"]
