"""Numbers longer than Python's int() reads (4,300 digits) or larger than the columns hold: a message
naming the row and column, never a server error, and nothing imported."""

import pytest

from coproduce_plugins.procurement_social_value.framework import load_shipped_framework
from coproduce_plugins.procurement_social_value.importer import COLUMNS, import_commitments_csv
from coproduce_plugins.procurement_social_value.money import NumberError, parse_pence, parse_quantity

HEADER = ",".join(COLUMNS) + "\n"


@pytest.mark.parametrize("value", ["9" * 5000, "0" * 10 + "9" * 5000, "1" + "0" * 30, "9" * 5000 + ".50"])
def test_amounts_too_long_for_int_are_too_large(value):
    with pytest.raises(NumberError) as raised:
        parse_pence(value, "contract_value_gbp")
    assert "too large" in str(raised.value)


@pytest.mark.parametrize("value", ["9" * 5000, "1" + "0" * 30])
def test_quantities_too_long_are_too_large(value):
    with pytest.raises(NumberError):
        parse_quantity(value, "target_quantity")


def test_an_import_with_a_huge_contract_value_names_the_row():
    line = f"C-1,Parks,Green Ltd,,{'9' * 5000},2025-01-01,2027-12-31,,JS1.1,10,2025-12-31,"
    report = import_commitments_csv(HEADER + line + "\n", load_shipped_framework())
    assert not report.ok
    assert any("too large" in str(error) for error in report.errors)
