import csv
import io

import pytest

from coproduce.plugins import csv_cell as csv_safe, csv_unsafe
from coproduce_plugins.procurement_social_value.framework import (
    COLUMNS,
    SHIPPED_FRAMEWORK,
    FrameworkError,
    check_framework_csv,
    framework_to_csv,
    load_framework,
    load_shipped_framework,
)

HEADER = ",".join(COLUMNS) + "\n"


def test_shipped_framework_loads_and_covers_every_theme():
    framework = load_shipped_framework()
    assert len(framework.measures) >= 22
    assert {t.name for t in framework.themes} == {
        "Jobs and skills",
        "Local economy",
        "Communities",
        "Environment",
        "Innovation",
    }
    units = {m.unit for m in framework.measures}
    assert {"people", "weeks", "hours", "GBP", "tonnes CO2e"} <= units
    assert any(m.proxy_pence is None for m in framework.measures)
    apprenticeship = framework.measure("JS2.1")
    assert apprenticeship.proxy_pence == 21540
    assert framework.outcome(apprenticeship.outcome_code).theme_code == "JS"
    assert framework.measures_for("JS2")[0] is apprenticeship
    assert [o.code for o in framework.outcomes_for("EN")] == ["EN1", "EN2"]


def test_export_round_trips_the_shipped_file_exactly():
    framework = load_shipped_framework()
    exported = framework_to_csv(framework)
    assert exported == SHIPPED_FRAMEWORK.read_text(encoding="utf-8")
    assert load_framework(exported) == framework


def test_upload_with_bom_and_crlf_loads():
    text = SHIPPED_FRAMEWORK.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert load_framework(("\ufeff" + text).encode()) == load_shipped_framework()


def test_every_bad_row_is_reported_with_its_number():
    text = HEADER + (
        "A,Alpha,A1,One,A1.1,First,people,10.00\n"  # row 2 fine
        "A,Alpha,A1,One,A1.2,Second,people,abc\n"  # row 3
        "A,Alpha,A1,One,A1.3,,hours,\n"  # row 4
        "A,Other name,A1,One,A1.4,Fourth,hours,\n"  # row 5
        "A,Alpha,A1,One,A1.1,Again,hours,\n"  # row 6
        "B,Beta,A1,One,B1.1,Moved outcome,hours,\n"  # row 7
        "A,Alpha,A2,Two,A2.1,Fine,weeks,-3\n"  # row 8
        "A,Alpha,A2,Two,A2.2,Fine,weeks,1.005\n"  # row 9
        "=cmd,Alpha,A2,Two,A2.3,Fine,weeks,\n"  # row 10
    )
    framework, errors = check_framework_csv(text)
    assert framework is None
    found = {(e.row, e.message): dict(e.params) for e in errors}
    assert found[3, "%(column)s “%(value)s” is not an amount"] == {"column": "proxy_value_gbp", "value": "abc"}
    assert found[4, "%(column)s is empty"] == {"column": "measure"}
    assert found[5, "theme_code “%(code)s” is named “%(name)s” on row %(other_row)d"] == {
        "code": "A",
        "name": "Alpha",
        "other_row": 2,
    }
    assert found[6, "measure_code “%(code)s” is already used on row %(other_row)d"] == {"code": "A1.1", "other_row": 2}
    assert found[7, "outcome_code “%(code)s” is under theme “%(theme)s” on row %(other_row)d"] == {
        "code": "A1",
        "theme": "A",
        "other_row": 2,
    }
    messages = [str(e) for e in errors]  # the English text, values filled in
    assert "row 8: proxy_value_gbp “-3” is negative: amounts cannot be below zero" in messages
    assert "row 9: proxy_value_gbp “1.005” has more than 2 decimal places" in messages
    assert any(m.startswith("row 10: theme_code “=cmd” is not a valid code") for m in messages)
    assert not any(m.startswith("row 2:") for m in messages)
    with pytest.raises(FrameworkError) as raised:
        load_framework(text)
    assert raised.value.errors == errors


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "row 1: The file is empty"),
        (HEADER, "row 1: The file has no measures"),
        ("theme_code,theme\nA,B\n", "row 1: Columns missing from the header row: outcome_code, outcome"),
        ("theme_code,theme,Theme\nA,B,C\n", "row 1: Columns given more than once: theme"),
        (HEADER + "A,Alpha,A1,One,A1.1,First,people,1,extra\n", "row 2: The row has more cells than the header row"),
        (b"theme_code,theme\n\xff\xfe", "row 1: The file is not UTF-8 text"),
    ],
)
def test_file_level_problems(text, message):
    _, errors = check_framework_csv(text)
    assert str(errors[0]).startswith(message)


def test_proxy_column_may_be_left_out_and_extra_columns_are_ignored():
    text = (
        "theme_code,theme,outcome_code,outcome,measure_code,measure,unit,notes\n"
        "A,Alpha,A1,One,A1.1,First,people,anything\n"
    )
    framework = load_framework(text)
    assert framework.measure("A1.1").proxy_pence is None


def test_csv_safe_neutralises_formula_cells():
    for bad in ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\t=x", "\r=x"]:
        assert csv_safe(bad) == "'" + bad
        assert csv_unsafe(csv_safe(bad)) == bad
    assert csv_safe("Plain text") == "Plain text"
    assert csv_safe("'quoted") == "'quoted"
    assert csv_unsafe("'quoted") == "'quoted"
    assert csv_safe(None) == ""
    assert csv_safe(-5) == "-5"


def test_export_neutralises_and_reload_restores_dangerous_names():
    text = HEADER + ('A,=HYPERLINK("http://x"),A1,@risk,A1.1,-minus first,+plus,\n')
    framework = load_framework(text)
    exported = framework_to_csv(framework)
    cells = list(csv.reader(io.StringIO(exported)))[1]
    assert cells[1].startswith("'=") and cells[3] == "'@risk"
    assert cells[5] == "'-minus first" and cells[6] == "'+plus"
    assert load_framework(exported) == framework
