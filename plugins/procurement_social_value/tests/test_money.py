import json
import re
from decimal import Decimal

import pytest

from coproduce_plugins.procurement_social_value.money import (
    MAX_PENCE,
    NumberError,
    format_pence,
    format_pence_plain,
    format_quantity,
    parse_pence,
    parse_quantity,
    pence_to_json_number,
    social_value_pence,
    sum_pence,
    sum_quantities,
)


@pytest.mark.parametrize(
    "text, pence",
    [
        ("£1,234.56", 123456),
        ("1234.5", 123450),
        ("1234", 123400),
        ("0", 0),
        ("0.07", 7),
        (" £ 12.30 ", 1230),
        ("1,000,000", 100000000),
        ("GBP 5", 500),
        ("12\u00a0", 1200),
        (str(MAX_PENCE // 100), MAX_PENCE),
    ],
)
def test_parse_pence_accepts_what_people_type(text, pence):
    assert parse_pence(text) == pence


@pytest.mark.parametrize(
    "text, message",
    [
        ("-5", "value “-5” is negative: amounts cannot be below zero"),
        ("-£5", "is negative"),
        ("£-5", "is negative"),
        ("1.234", "value “1.234” has more than 2 decimal places"),
        ("abc", "value “abc” is not an amount"),
        ("12,34", "is not an amount"),
        ("1e5", "is not an amount"),
        ("NaN", "is not an amount"),
        ("Infinity", "is not an amount"),
        ("£", "is not an amount"),
        ("1.", "is not an amount"),
        ("", "value is empty"),
        ("   ", "value is empty"),
        (str(MAX_PENCE // 100) + ".01", "is too large"),
        ("45292.00000", "more than 2 decimal places"),
    ],
)
def test_parse_pence_rejects_with_a_clear_reason(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_pence(text)


def test_parse_pence_refuses_floats():
    with pytest.raises(TypeError):
        parse_pence(12.5)


def test_parse_quantity():
    assert parse_quantity("7.5") == Decimal("7.5")
    assert parse_quantity("1,250") == Decimal("1250")
    assert parse_quantity("0.125") == Decimal("0.125")
    for bad, message in [
        ("-1", "negative"),
        ("0.1234", "more than 3 decimal places"),
        ("lots", "not a quantity"),
        ("", "is empty"),
        ("1" + "0" * 13, "too large"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_quantity(bad)


def test_errors_carry_a_message_id_and_its_values_for_translation():
    with pytest.raises(NumberError) as raised:
        parse_quantity("-2", "target_quantity")
    problem = raised.value.problem
    assert problem.message == "%(column)s “%(value)s” is negative: quantities cannot be below zero"
    assert problem.params == {"column": "target_quantity", "value": "-2"}
    assert str(raised.value) == "target_quantity “-2” is negative: quantities cannot be below zero"
    with pytest.raises(NumberError) as raised:
        parse_pence(str(MAX_PENCE // 100 + 1), "contract_value_gbp")
    assert raised.value.problem.params["most"] == "100000000000.00"


def test_format_pence_uses_the_locale():
    assert format_pence(123456) == "£1,234.56"
    assert format_pence(5, "en-GB") == "£0.05"
    assert format_pence(123450, "cy") == "£1,234.50"
    assert format_pence(123450, "pl_PL") == "£1\u00a0234,50"


def test_money_is_written_gov_uk_style_in_every_language():
    # Whole pounds without ".00", the pound sign first (never "5000 GBP"), the language's grouping.
    assert format_pence(500000) == "£5,000"
    assert format_pence(7550, "cy") == "£75.50"
    assert format_pence(500000, "pl") == "£5\u00a0000"
    assert format_pence(500000, "ur") == "£5,000"
    assert format_pence(-2000) == "-£20"
    assert "GBP" not in format_pence(500000, "pl") + format_pence(500000, "ur")


def test_plain_and_json_forms_round_trip():
    assert format_pence_plain(312050) == "3120.50"
    assert format_pence_plain(7) == "0.07"
    assert pence_to_json_number(250000) == 2500
    assert isinstance(pence_to_json_number(250000), int)
    for pence in [1, 7, 10, 99, 12345, 312050, 99999999, MAX_PENCE - 1]:
        text = json.dumps(pence_to_json_number(pence))
        assert Decimal(text) == Decimal(pence) / 100, pence


def test_social_value_rounds_half_up_to_whole_pence():
    assert social_value_pence(Decimal("3"), 21540) == 64620
    assert social_value_pence(Decimal("0.5"), 5) == 3  # 2.5p -> 3p
    assert social_value_pence(Decimal("0.5"), 3) == 2  # 1.5p -> 2p
    assert social_value_pence(Decimal("0.125"), 18) == 2  # 2.25p -> 2p
    assert social_value_pence(Decimal("0"), 9999) == 0
    assert social_value_pence(Decimal("1000000000"), MAX_PENCE) == 10**22
    with pytest.raises(TypeError):
        social_value_pence(1.5, 100)
    with pytest.raises(ValueError):
        social_value_pence(Decimal("-1"), 100)


def test_sums_never_use_floats():
    assert sum_pence([1, 2, 3]) == 6
    assert sum_pence([]) == 0
    with pytest.raises(TypeError):
        sum_pence([1, 0.5])
    assert sum_quantities([Decimal("0.1")] * 3) == Decimal("0.3")
    with pytest.raises(TypeError):
        sum_quantities([Decimal("0.1"), 0.2])


def test_format_quantity():
    assert format_quantity(Decimal("12.50")) == "12.5"
    assert format_quantity(Decimal("100")) == "100"
    assert format_quantity(Decimal("0.000")) == "0"
