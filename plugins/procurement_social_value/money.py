"""Money and quantities for social-value tracking, without floats.

Money is held as a whole number of pence (``int``). Quantities (people, weeks,
hours, tonnes CO2e...) are ``decimal.Decimal``. Nothing here ever goes through
``float``, except at the very edge where JSON needs a number (see
``pence_to_json_number``).

The parsers accept what people type into a spreadsheet or a form:
``"£1,234.56"``, ``"1234.5"``, ``"1234"``. They raise ``NumberError`` (a
``ValueError``) whose ``problem`` names the column and quotes the value as
typed, ready to translate: ``proxy_value_gbp “abc” is not an amount``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.numbers import format_decimal

from .problems import N_, ProblemError, shown

_ = N_  # the translation extractor looks for _("..."); pages translate the problem

#: The largest amount accepted, in pence (£100 billion). Anything above is
#: almost certainly a typing slip, such as a date pasted into an amount column.
MAX_PENCE = 10**13

#: The largest quantity accepted for a commitment or a delivery report.
MAX_QUANTITY = Decimal(10) ** 12

#: Quantities may have up to this many decimal places (0.125 tonnes, 7.5 hours).
QUANTITY_PLACES = 3

# Digits with optional thousands separators in groups of three, or plain digits,
# then an optional fractional part. Signs, exponents, NaN and Infinity never match.
_NUMBER = re.compile(r"^(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")


def _clean(text: str) -> str:
    """Strip spaces, including the non-breaking kinds spreadsheets produce."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


class NumberError(ProblemError):
    """An amount or quantity as typed that cannot be accepted; ``problem`` says why."""


def _split_number(text: str, original: str, column: str, quantity: bool) -> tuple[str, str]:
    """Return (whole digits, fractional digits) or raise a clear NumberError."""
    if text.startswith("-") or text.startswith("−"):
        raise NumberError(
            _("%(column)s “%(value)s” is negative: quantities cannot be below zero")
            if quantity
            else _("%(column)s “%(value)s” is negative: amounts cannot be below zero"),
            column=column,
            value=shown(original),
        )
    if text.startswith("+"):
        text = text[1:].strip()
    match = _NUMBER.match(text)
    if not match:
        raise NumberError(
            _("%(column)s “%(value)s” is not a quantity") if quantity else _("%(column)s “%(value)s” is not an amount"),
            column=column,
            value=shown(original),
        )
    return match.group("whole").replace(",", ""), match.group("frac") or ""


def _too_many_places(column: str, original: str, places: int) -> NumberError:
    return NumberError(
        _("%(column)s “%(value)s” has more than %(places)d decimal places"),
        column=column,
        value=shown(original),
        places=places,
    )


def _too_large(column: str, original: str, most: str) -> NumberError:
    return NumberError(
        _("%(column)s “%(value)s” is too large: the most accepted is %(most)s"),
        column=column,
        value=shown(original),
        most=most,
    )


def parse_pence(text: str, column: str = "value") -> int:
    """Turn an amount in pounds as typed ("£1,234.56", "1234.5", "1234") into pence.

    Raises NumberError for an empty value, anything that is not a number, a
    negative amount, more than two decimal places, or more than ``MAX_PENCE``.
    ``column`` names the value in the message (a CSV column such as
    contract_value_gbp).
    """
    if not isinstance(text, str):
        raise TypeError(f"amounts must be given as text, not {type(text).__name__}")
    original = text
    text = _clean(text)
    if not text:
        raise NumberError(_("%(column)s is empty"), column=column)
    if text[0] in "-−" and text[1:].lstrip().startswith("£"):
        text = "-"
    elif text.startswith("£"):
        text = text[1:].strip()
    elif text.upper().startswith("GBP"):
        text = text[3:].strip()
    whole, frac = _split_number(text, original, column, quantity=False)
    if len(frac) > 2:
        raise _too_many_places(column, original, 2)
    if len(whole.lstrip("0")) > len(str(MAX_PENCE)):  # int() refuses over 4300 digits, with a bare ValueError
        raise _too_large(column, original, format_pence_plain(MAX_PENCE))
    pence = int(whole) * 100 + int(frac.ljust(2, "0"))
    if pence > MAX_PENCE:
        raise _too_large(column, original, format_pence_plain(MAX_PENCE))
    return pence


def parse_quantity(text: str, column: str = "value") -> Decimal:
    """Turn a quantity as typed ("12", "1,250", "7.5") into a Decimal.

    Raises NumberError for an empty value, anything that is not a number, a
    negative quantity, more than ``QUANTITY_PLACES`` decimal places, or more
    than ``MAX_QUANTITY``. ``column`` names the value in the message.
    """
    if not isinstance(text, str):
        raise TypeError(f"quantities must be given as text, not {type(text).__name__}")
    original = text
    text = _clean(text)
    if not text:
        raise NumberError(_("%(column)s is empty"), column=column)
    whole, frac = _split_number(text, original, column, quantity=True)
    if len(frac) > QUANTITY_PLACES:
        raise _too_many_places(column, original, QUANTITY_PLACES)
    value = Decimal(f"{whole}.{frac}" if frac else whole)
    if value > MAX_QUANTITY:
        raise _too_large(column, original, format_quantity(MAX_QUANTITY))
    return value


def check_quantity(value: Decimal, what: str = "quantity") -> Decimal:
    """Return ``value`` if it is a finite, non-negative Decimal; raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number")
    if value < 0:
        raise ValueError(f"{what} cannot be below zero")
    return value


def _check_pence(pence: int) -> int:
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"pence must be an int, not {type(pence).__name__}")
    return pence


def pence_to_decimal(pence: int) -> Decimal:
    """Pence as a Decimal number of pounds with two places: 123450 -> Decimal('1234.50')."""
    return (Decimal(_check_pence(pence)) / 100).quantize(Decimal("0.01"))


def format_pence_plain(pence: int) -> str:
    """Pence as a plain pounds string for files: 312050 -> "3120.50"."""
    return str(pence_to_decimal(pence))


def format_pence(pence: int, locale: str = "en_GB") -> str:
    """Pence for display in pounds sterling, GOV.UK style in every language: "£1,234.50", "£5,000" (no ".00" on
    whole pounds), "-£20", with the reader's digit grouping and decimal mark ("£12 500" in Polish).

    ``locale`` is a locale string such as "en_GB", "cy" or "pl-PL".
    """
    amount = pence_to_decimal(pence)
    pattern = "#,##0" if pence % 100 == 0 else "#,##0.00"
    digits = format_decimal(abs(amount), format=pattern, locale=locale.replace("-", "_"))
    return f"-£{digits}" if amount < 0 else f"£{digits}"


def pence_to_json_number(pence: int) -> int | float:
    """Pence as a JSON number of pounds, for formats such as OCDS that need one.

    Whole pounds come back as an int. Otherwise the result is the float nearest
    to the exact amount; Python writes that float back as the shortest text
    that reads as it again, which is the two-place amount itself (for any
    amount up to ``MAX_PENCE``), so ``json.dumps`` shows "1234.5" for 123450.
    Use it only when building JSON; never calculate with the result.
    """
    _check_pence(pence)
    if pence % 100 == 0:
        return pence // 100
    return float(pence_to_decimal(pence))


def social_value_pence(quantity: Decimal, proxy_pence_per_unit: int) -> int:
    """Social value of a quantity at a proxy value per unit, in whole pence.

    quantity × proxy, rounded half up to the nearest penny (2.5p -> 3p).
    """
    quantity = check_quantity(quantity)
    proxy = _check_pence(proxy_pence_per_unit)
    if proxy < 0:
        raise ValueError("a proxy value cannot be below zero")
    with localcontext() as context:
        context.prec = 60
        return int((quantity * proxy).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def value_pence(milli: int, proxy: int | None) -> int:
    """Social value of a quantity in whole thousandths of a unit at a proxy in pence per unit.

    The one rounding rule for social value: the exact amount (thousandths × pence ÷ 1000) is
    rounded half up to a whole penny, once, for each figure shown on its own row; every total is
    a plain sum of those whole pennies. No proxy (None or 0) is worth nothing.
    """
    if isinstance(milli, bool) or not isinstance(milli, int):
        raise TypeError(f"quantities in thousandths must be an int, not {type(milli).__name__}")
    if milli < 0:
        raise ValueError("a quantity cannot be below zero")
    if not proxy:
        return 0
    return (milli * _check_pence(proxy) + 500) // 1000


def sum_pence(amounts: Iterable[int]) -> int:
    """Add up amounts in pence, refusing anything that is not a whole number of pence."""
    total = 0
    for amount in amounts:
        total += _check_pence(amount)
    return total


def sum_quantities(quantities: Iterable[Decimal]) -> Decimal:
    """Add up Decimal quantities exactly, refusing floats."""
    total = Decimal(0)
    with localcontext() as context:
        context.prec = 60
        for quantity in quantities:
            if isinstance(quantity, bool) or not isinstance(quantity, (Decimal, int)):
                raise TypeError(f"quantities must be Decimal, not {type(quantity).__name__}")
            total += quantity
    return total


def format_quantity(quantity: Decimal) -> str:
    """A quantity for text, without needless trailing zeros: Decimal('12.50') -> "12.5"."""
    text = format(Decimal(quantity).normalize(), "f")
    return "0" if text in ("-0", "0") else text
