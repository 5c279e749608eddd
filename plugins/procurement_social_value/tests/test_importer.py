from datetime import date
from decimal import Decimal

import pytest

from coproduce_plugins.procurement_social_value.framework import load_shipped_framework
from coproduce_plugins.procurement_social_value.importer import (
    COLUMNS,
    IMPORT_COLUMNS,
    import_commitments_csv,
    parse_date,
    template_csv,
)

HEADER = ",".join(COLUMNS) + "\n"
GOOD = [
    'C-1,Parks maintenance,Green & Sons Ltd,01234567,"£250,000.50",2025-01-01,2027-12-31,,JS1.1,10,2025-12-31,Paid work for young people on the estate',
    'C-1,Parks maintenance,Green & Sons Ltd,01234567,"£250,000.50",2025-01-01,2027-12-31,C-1-carbon,EN1.1,12.5,31/03/2026,',
    "C-2,School meals,Kitchen Co-op,,1200000,01/04/2025,31/03/2026,,,,,",
    "C-3,Youth club,Hope Trust,SC123456,90000,2025-04-01,2026-03-31,,CM1.1,200,2026-03-31,",
]


@pytest.fixture(scope="module")
def framework():
    return load_shipped_framework()


def run(lines, framework, **kwargs):
    return import_commitments_csv(HEADER + "\n".join(lines) + "\n", framework, **kwargs)


def test_every_column_is_documented():
    assert all(description for _, _, description in IMPORT_COLUMNS)
    assert template_csv() == HEADER


def test_a_good_file_gives_contracts_and_commitments(framework):
    report = run(GOOD, framework)
    assert report.ok and report.errors == [] and report.rows_read == 4
    c1, c2, c3 = report.contracts
    assert (c1.contract_id, c1.row, c1.value_pence) == ("C-1", 2, 25000050)
    assert c1.supplier_company_number == "01234567"
    assert [(x.ref, x.measure_code, x.target, x.due) for x in c1.commitments] == [
        ("C-1-1", "JS1.1", Decimal(10), date(2025, 12, 31)),
        ("C-1-carbon", "EN1.1", Decimal("12.5"), date(2026, 3, 31)),
    ]
    assert c1.commitments[0].local_need == "Paid work for young people on the estate"
    assert c2.commitments == () and c2.start == date(2025, 4, 1)
    assert c2.supplier_company_number is None
    assert c3.supplier_company_number == "SC123456"


def test_a_bad_row_in_the_middle_means_nothing_is_importable(framework):
    lines = list(GOOD)
    lines.insert(2, "C-4,Road repairs,Tarmac Ltd,,lots,2025-01-01,2025-12-31,,ZZ9,0,2024-12-01,")
    report = run(lines, framework)
    assert not report.ok
    assert report.contracts == []
    found = [(e.row, e.message, dict(e.params)) for e in report.errors]
    assert (4, "%(column)s “%(value)s” is not an amount", {"column": "contract_value_gbp", "value": "lots"}) in found
    assert (4, "measure_code “%(value)s” is not in the framework", {"value": "ZZ9"}) in found
    assert (4, "target_quantity must be more than zero", {}) in found
    assert (4, "due_date is before contract_start", {}) in found
    assert len(found) == 4
    messages = [str(e) for e in report.errors]  # the English text, values filled in
    assert "row 4: contract_value_gbp “lots” is not an amount" in messages


@pytest.mark.parametrize(
    "line, message",
    [
        (",T,S,,1,2025-01-01,2025-02-01,,,,,", "contract_id is empty"),
        ("C 9,T,S,,1,2025-01-01,2025-02-01,,,,,", "contract_id “C 9” is not a valid reference"),
        ("C-9,,S,,1,2025-01-01,2025-02-01,,,,,", "contract_title is empty"),
        ("C-9,T,   ,,1,2025-01-01,2025-02-01,,,,,", "supplier_name is empty"),
        ("C-9,T,---,,1,2025-01-01,2025-02-01,,,,,", "supplier_name “---” has no letters or digits"),
        ("C-9,T,S,1234,1,2025-01-01,2025-02-01,,,,,", "supplier_company_number “1234” is not"),
        ("C-9,T,S,,-1,2025-01-01,2025-02-01,,,,,", "contract_value_gbp “-1” is negative"),
        ("C-9,T,S,,1.001,2025-01-01,2025-02-01,,,,,", "contract_value_gbp “1.001” has more than 2 decimal places"),
        ("C-9,T,S,,1,31/02/2025,2025-02-01,,,,,", "contract_start “31/02/2025” is not a date"),
        ("C-9,T,S,,1,2025-01-01,,,,,,", "contract_end is empty"),
        ("C-9,T,S,,1,2025-02-01,2025-01-01,,,,,", "contract_end is before contract_start"),
        (
            "C-9,T,S,,1,2025-01-01,2025-02-01,,js1.1,1,2025-01-31,",
            "measure_code “js1.1” is not in the framework: did you mean “JS1.1”?",
        ),
        ("C-9,T,S,,1,2025-01-01,2025-02-01,,JS1.1,,2025-01-31,", "target_quantity is empty"),
        ("C-9,T,S,,1,2025-01-01,2025-02-01,,JS1.1,1,,", "due_date is empty"),
        (
            "C-9,T,S,,1,2025-01-01,2025-02-01,,JS1.1,-2,2025-01-31,",
            "target_quantity “-2” is negative: quantities cannot be below zero",
        ),
        ("C-9,T,S,,1,2025-01-01,2025-02-01,,,,2025-01-31,", "measure_code is empty"),
    ],
)
def test_row_problems_are_named(framework, line, message):
    report = run([line], framework)
    assert report.contracts == []
    assert any(message in str(e) and e.row == 2 for e in report.errors), report.errors


def test_rows_of_one_contract_must_agree(framework):
    report = run(
        [
            "C-1,Parks,Green Ltd,,100,2025-01-01,2025-12-31,,JS1.1,1,2025-06-30,",
            "C-1,Parks,Green Limited,,100,2025-01-01,2025-12-31,,JS1.2,1,2025-06-30,",
            "C-1,Parks,Green Ltd,,100,2025-01-01,2025-12-31,C-1-1,JS1.3,1,2025-06-30,",
            "C-2,Other,Blue Ltd,01234567,5,2025-01-01,2025-12-31,,,,,",
            "C-3,Other,Bleu Ltd,01234567,5,2025-01-01,2025-12-31,,,,,",
        ],
        framework,
    )
    found = [(e.row, e.message, dict(e.params)) for e in report.errors]
    assert (
        3,
        "%(column)s differs from row %(other_row)d for contract “%(contract)s”",
        {"column": "supplier_name", "other_row": 2, "contract": "C-1"},
    ) in found
    assert (
        4,
        "commitment_ref “%(value)s” is used twice in contract “%(contract)s”",
        {"value": "C-1-1", "contract": "C-1"},
    ) in found
    assert (
        6,
        "supplier_company_number “%(value)s” is named “%(name)s” on row %(other_row)d",
        {"value": "01234567", "name": "Blue Ltd", "other_row": 5},
    ) in found
    assert str(report.errors[0]) == "row 3: supplier_name differs from row 2 for contract “C-1”"
    assert report.contracts == []


def test_file_level_problems(framework):
    assert str(import_commitments_csv("", framework).errors[0]) == "row 1: The file is empty"
    assert "no rows to import" in str(import_commitments_csv(HEADER, framework).errors[0])
    missing = import_commitments_csv("contract_id,contract_title\nC-1,T\n", framework)
    assert str(missing.errors[0]).startswith("row 1: Columns missing from the header row: supplier_name")
    latin1 = import_commitments_csv((HEADER + "C-1,Caf\xe9,S").encode("latin-1"), framework)
    assert "not UTF-8" in str(latin1.errors[0])
    existing = run(GOOD[2:3], framework, existing_contract_ids={"C-2"})
    assert str(existing.errors[0]) == "row 2: contract_id “C-2” already exists"
    assert existing.errors[0].params == {"value": "C-2"}


def test_bom_extra_columns_and_blank_rows(framework):
    text = "\ufeff" + HEADER.strip() + ",notes\n" + GOOD[2] + ",hello\n,,,,,,,,,,,,\n"
    report = import_commitments_csv(text.encode("utf-8"), framework)
    assert report.ok and report.ignored_columns == ["notes"]
    assert [c.contract_id for c in report.contracts] == ["C-2"]


def test_parse_date():
    assert parse_date("2025-03-01") == date(2025, 3, 1)
    assert parse_date("01/03/2025") == date(2025, 3, 1)  # UK order: 1 March
    with pytest.raises(ValueError, match="is not a date") as raised:
        parse_date("March 1st", "due_date")
    assert raised.value.problem.params == {"column": "due_date", "value": "March 1st"}


def test_values_quoted_back_are_cut_short_and_show_hidden_characters(framework):
    long_id = "C-" + "9" * 60
    report = run([f'{long_id},T,S,,1,2025-01-01,2025-02-01,,"JS\n1.1",1,2025-01-31,'], framework)
    values = [e.params.get("value") for e in report.errors]
    assert "C-" + "9" * 37 + "…" in values
    assert "JS\\n1.1" in values


def test_an_imported_target_past_the_measure_bound_is_refused(framework):
    # JS1.1 is worth £9,400 a person: a billion people would be worth more than £100 billion.
    line = "C-9,Parks,Green & Sons Ltd,01234567,1000,2025-01-01,2027-12-31,,JS1.1,1000000000,2025-12-31,"
    report = run([line], framework)
    assert not report.ok
    assert any("too large for this measure" in str(e) for e in report.errors)
