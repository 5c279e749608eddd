"""Dates, times and numbers as each language writes them: GOV.UK style in English ("3 November 2026",
"3 November 2026 at 9:25pm"), the languages' own long forms in Welsh, Polish and Urdu (from CLDR, through
Babel). Flask-free: every function takes the locale; core/i18n.py gives templates the same as filters.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as babel_date, format_time as babel_time
from babel.numbers import format_decimal

ENGLISH_DAY = "d MMMM y"  # GOV.UK: 3 November 2026, never November 3 or 03/11/2026
ENGLISH_SHORT_DAY = "d MMM y"  # in tables: 3 Nov 2026
NAMED = ("short", "medium", "long", "full")


def _english(locale: str) -> bool:
    return str(locale).split("_")[0].split("-")[0] == "en"


def day(value: date | datetime, locale: str, length: str = "long") -> str:
    """A date: "3 November 2026" (English), "3 Tachwedd 2026", "3 listopada 2026", "3 نومبر، 2026".

    length "short" is for tables: "3 Nov 2026" in English, the language's medium form elsewhere."""
    if _english(locale):
        return babel_date(value, ENGLISH_SHORT_DAY if length == "short" else ENGLISH_DAY, locale="en_GB")
    return babel_date(value, "medium" if length == "short" else "long", locale=locale)


def clock(value: datetime, locale: str) -> str:
    """A time of day: "9:25pm" and "12pm" in English (GOV.UK), the language's short form elsewhere."""
    if _english(locale):
        text = babel_time(value, "h:mma" if value.minute else "ha", locale="en_GB")
        return text.replace("\u202f", "").replace(" ", "").lower()
    return babel_time(value, "short", locale=locale)


def moment(value: datetime, locale: str, length: str = "long") -> str:
    """A date and time, already in the reader's time zone: "3 November 2026 at 9:25pm"."""
    if _english(locale):
        return f"{day(value, locale, length)} at {clock(value, locale)}"
    return f"{day(value, locale, length)}, {clock(value, locale)}"


def number(value: int | float, locale: str) -> str:
    """A whole number with the language's grouping: 12,500 (English, Welsh, Urdu), 12 500 (Polish)."""
    return format_decimal(value, format="#,##0", locale=locale)
