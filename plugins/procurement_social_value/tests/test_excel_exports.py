"""Every CSV file the module hands out opens in Excel as UTF-8 (a byte-order mark first), and the contracts export
has a codebook beside it: what each column holds and what each status means, in the reader's language."""

import csv
import io

from coproduce.testing.fixtures import sign_in
from coproduce_plugins.procurement_social_value.exports import CSV_COLUMNS
from coproduce_plugins.procurement_social_value.status import Status
from coproduce_plugins.procurement_social_value.tests.helpers import S, enable, make_contract

BOM = b"\xef\xbb\xbf"


def read(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM), "Excel needs the byte-order mark to read UTF-8"
    assert not body[3:].startswith(BOM)
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))


def test_every_csv_download_starts_with_the_byte_order_mark(app, people):
    enable(app)
    make_contract(app)
    client = app.test_client()
    sign_in(client, "member@example.org")
    for url in (
        f"{S}/export/contracts.csv",
        f"{S}/manage/export/contracts.csv",
        f"{S}/manage/import/template.csv",
        f"{S}/manage/framework.csv",
        f"{S}/export/codebook.csv",
    ):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.mimetype == "text/csv", url
        assert read(answer.get_data())[0], url


def test_the_codebook_explains_every_column_and_status(app, people):
    enable(app)
    client = app.test_client()
    public = client.get(f"{S}/")
    assert f"{S}/export/codebook.csv" in public.text
    rows = read(client.get(f"{S}/export/codebook.csv").get_data())
    assert rows[0] == ["Column", "What it holds", "Value", "What the value means"]
    assert [r[0] for r in rows[1:] if not r[2]] == list(CSV_COLUMNS)
    assert all(r[1] for r in rows[1:])
    statuses = {r[2]: r[3] for r in rows if r[0] == "status" and r[2]}
    assert set(statuses) == {s.value for s in Status}
    assert statuses["on_track"].startswith("On track:") and statuses["verified"].startswith("Verified:")
    welsh = read(client.get(f"{S}/export/codebook.csv?lang=cy").get_data())
    assert welsh[0][0] != "Column" and [r[0] for r in welsh[1:] if not r[2]] == list(CSV_COLUMNS)
