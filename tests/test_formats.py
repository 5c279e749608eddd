"""Dates and times as each language writes them: GOV.UK style in English, the languages' own long forms in
Welsh, Polish and Urdu; in templates (|dateformat, |datetimeformat) and in code (format_day, format_moment)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from coproduce.formats import clock, day, moment, number

NOVEMBER_3 = date(2026, 11, 3)
EVENING = datetime(2026, 11, 3, 21, 25)


@pytest.mark.parametrize(
    ("locale", "long", "short"),
    [
        ("en", "3 November 2026", "3 Nov 2026"),
        ("cy", "3 Tachwedd 2026", None),
        ("pl", "3 listopada 2026", None),
    ],
)
def test_a_date_in_each_language(locale, long, short):
    assert day(NOVEMBER_3, locale) == long
    if short:
        assert day(NOVEMBER_3, locale, "short") == short


def test_an_urdu_date_is_in_urdu_with_the_day_first():
    text = day(NOVEMBER_3, "ur")
    assert "نومبر" in text and text.startswith("3") and text.endswith("2026")


def test_times_are_written_as_gov_uk_writes_them_in_english():
    assert clock(EVENING, "en") == "9:25pm"
    assert clock(datetime(2026, 11, 3, 9, 5), "en") == "9:05am"
    assert clock(datetime(2026, 11, 3, 12, 0), "en") == "12pm"
    assert clock(datetime(2026, 11, 3, 0, 0), "en") == "12am"
    assert moment(EVENING, "en") == "3 November 2026 at 9:25pm"
    assert moment(EVENING, "cy") == "3 Tachwedd 2026, 21:25"
    assert moment(EVENING, "pl") == "3 listopada 2026, 21:25"


def test_numbers_are_grouped_as_each_language_groups_them():
    assert number(12500, "en") == "12,500"
    assert number(12500, "cy") == "12,500"
    assert number(12500, "pl") == "12\xa0500"


def test_templates_and_code_write_dates_the_same_way_in_the_pages_language(app):
    from flask import render_template_string

    from coproduce.plugins import format_day, format_moment

    utc = datetime(2026, 12, 1, 21, 25, tzinfo=UTC)  # the site's zone is Europe/London: GMT in December
    for lang, expected_day, expected_moment in (
        ("en", "1 December 2026", "1 December 2026 at 9:25pm"),
        ("cy", "1 Rhagfyr 2026", "1 Rhagfyr 2026, 21:25"),
    ):
        with app.test_request_context(f"/?lang={lang}"):
            assert format_day(NOVEMBER_3.replace(month=12, day=1)) == expected_day
            assert format_moment(utc) == expected_moment
            page = render_template_string(
                "{{ d|dateformat }}|{{ d|dateformat('long') }}|{{ d|dateformat('medium') }}|{{ t|datetimeformat('short') }}",
                d=date(2026, 12, 1),
                t=utc,
            )
            assert page.split("|")[:3] == [expected_day] * 3
            assert page.split("|")[3].endswith(("9:25pm", "21:25"))


def test_no_english_page_writes_a_date_the_american_or_numeric_way(app, people):
    from coproduce.testing import sign_in

    client = app.test_client()
    sign_in(client, "admin@example.org")
    client.post("/reset-password", data={"email": "member@example.org"})  # an email for the admin's list
    for path in ("/admin/audit", "/admin/emails/", "/t/youth/manage/audit"):
        text = client.get(path).get_data(as_text=True)
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", text), path
        assert not re.search(
            r"(January|February|March|April|May|June|July|August|September|October|November|"
            r"December) \d{1,2}, \d{4}",
            text,
        ), path
        assert not re.search(r"\d:\d\d (AM|PM)", text), path
