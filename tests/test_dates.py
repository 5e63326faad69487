"""Dates as pages write them, into ISO 8601."""

from __future__ import annotations

import pytest

from searchkit.dates import numeric_order, parse_date, to_datetime


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("21:13 GMT +323 March 2017", "2017-03-23T21:13:00+03:00"),  # the seed's run-together dateline
        ("Updated 5 March 2024 14:02 GMT", "2024-03-05T14:02:00+00:00"),
        ("Feb 26, 1987", "1987-02-26"),
        ("26.02.1987 15:02", "1987-02-26T15:02:00"),
        ("Thu, 23 Mar 2017 21:13:00 +0300", "2017-03-23T21:13:00+03:00"),
        ("2017-03-23T21:13:00+03:00", "2017-03-23T21:13:00+03:00"),
        ("2017-03-23T18:13:00.123Z", "2017-03-23T18:13:00+00:00"),
        ("2017-03-23", "2017-03-23"),
        ("Published: 2024-02-10T08:30:00Z", "2024-02-10T08:30:00+00:00"),
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01"),
        ("March 12, 2024 9:41 AM EDT", "2024-03-12T09:41:00-04:00"),
        ("Monday 4 July 2022 18.30 BST", "2022-07-04T18:30:00+01:00"),
        ("5 mars 2024 à 14h02", "2024-03-05T14:02:00"),
        ("12:05 pm, 1 January 2020", "2020-01-01T12:05:00"),
        # Datelines as rendered pages show them, in several languages and orders.
        ("Dec. 22, 2023", "2023-12-22"),
        ("22 December 2023", "2023-12-22"),
        ("2023-12-22 14:02", "2023-12-22T14:02:00"),
        ("Madrid-29/05/2025 20:00", "2025-05-29T20:00:00"),  # day first where month first is impossible
        ("3/4/2024", "2024-03-04"),  # ambiguous: month first, as before
        ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "2025-10-22T19:25:00+07:00"),
        ("2025.05.15 20:57", "2025-05-15T20:57:00"),
        ("2025年1月13日 20時01分", "2025-01-13"),
        ("2025년 5월 15일", "2025-05-15"),
        ("15 marca 2024", "2024-03-15"),
        ("4 Mayıs 2025", "2025-05-04"),
        ("12 мая 2024 г.", "2024-05-12"),
        ("6. desember 2024", "2024-12-06"),
    ],
)
def test_written_dates_become_iso(written, iso):
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("12. MÄR 2025 18:03", "2025-03-12T18:03:00"),
        ("Publié le 18 juil. 2024 à 08:01Mis à jour le 18 juil. 2024 à 09:06", "2024-07-18T08:01:00"),
        ("31. října 2025", "2025-10-31"),
        ("8 січня 2026", "2026-01-08"),
        ("15 mag 2024, 10:30", "2024-05-15T10:30:00"),
        # a capitalised month may follow words run together with it, as pages' pieces are in captures
        ("2 minute readApril 25, 20232:26 PM GMT+2", "2023-04-25T14:26:00+02:00"),
        ("06/01/2026 - 14:02 MEZ", "2026-06-01T14:02:00+01:00"),
    ],
)
def test_month_names_in_more_languages_and_run_together_lines(written, iso):
    assert parse_date(written) == iso


@pytest.mark.parametrize(
    ("written", "day_first", "iso"),
    [
        ("Zuerst veröffentlicht am 06/01/2026 - 14:02", True, "2026-01-06T14:02:00"),
        ("Zuerst veröffentlicht am 06/01/2026 - 14:02", False, "2026-06-01T14:02:00"),
        ("03.04.2024", False, "2024-03-04"),
        ("10-07-2026", True, "2026-07-10"),
        ("Do 25.04.24 | 14:07 Uhr", True, "2024-04-25T14:07:00"),
        ("Publisert: 05.08.24 kl. 14:47", True, "2024-08-05T14:47:00"),
        ("9/11/13 10:00AM", False, "2013-09-11T10:00:00"),
        ("1.3.87", True, "1987-03-01"),
        ("29/05/2025", False, "2025-05-29"),  # month first is impossible: day first
        ("05/29/2025", True, "2025-05-29"),
        ("2025.05.15 20:57", True, "2025-05-15T20:57:00"),  # year first stays year first
    ],
)
def test_numeric_dates_in_the_pages_order(written, day_first, iso):
    assert parse_date(written, day_first=day_first) == iso


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("Veröffentlicht 06/01/2026\nmehr: 21/12/2025", True),
        ("Posted 06/01/2026\nalso: 12/21/2025 and 12/22/2025, 23/12/2025", False),
        ("06/01/2026 and 07.02.2026", None),  # nothing that can be read one way only
        ("Published 06/01/2026\nPope closes the Holy Door, 6 January, 2026\nMonday, Jan. 5, 2026", True),
        ("Posted 03/04/2024\nMarch 30, 2024", False),  # as the months of dates written out say
        ("13/05/2025 and 05/13/2025", None),  # as many each way
        ("no dates here", None),
    ],
)
def test_numeric_order_follows_the_dates_that_can_be_read_one_way_only(text, order):
    assert numeric_order(text) is order


@pytest.mark.parametrize("written", ["Do 25.04.24 | 14:07 Uhr", "9/11/13"])
def test_two_digit_years_only_when_the_order_is_known(written):
    assert parse_date(written) is None


@pytest.mark.parametrize(
    "written",
    ["nonsense", "", "Posted 12 hours ago", "vor 14 Minuten", "2024-13-45", "31 February 2023",
     "Chicago 5, 2024", "Karvesvingen 1, 0579 Oslo", "version 1.2.3",
     "1129981476.12.2.0"],  # a year-first date's year is not the end of a longer number
)
def test_non_dates_and_impossible_dates_give_none(written):
    assert parse_date(written) is None
    assert parse_date(written, day_first=True) is None


def test_epochs_in_seconds_and_milliseconds():
    assert parse_date(1488000000) == "2017-02-25T05:20:00+00:00"
    assert parse_date(1488000000000) == "2017-02-25T05:20:00+00:00"


def test_to_datetime_compares_moments_in_utc():
    assert to_datetime("2017-03-23T21:13:00+03:00") == to_datetime("2017-03-23T18:13:00Z")
    assert to_datetime("2017-03-23").hour == 0
