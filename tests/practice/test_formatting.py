import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from practice import formatting

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("seconds", "written"),
    [(None, "0 s"), (18, "18 s"), (59.4, "59 s"), (60, "1 min"), (754, "13 min"), (3900, "1 h 05 min")],
)
def test_durations_say_seconds_under_a_minute_then_minutes_then_hours(seconds, written):
    assert formatting.duration(seconds) == written


@pytest.mark.parametrize(
    ("usd", "written"),
    [(0, "$0.00"), (Decimal("0.0004"), "< $0.01"), (Decimal("0.004999"), "< $0.01"), (Decimal("0.005"), "$0.01"),
     (Decimal("0.1234"), "$0.12"), (1234.5, "$1,234.50")],
)  # fmt: skip
def test_money_is_written_to_the_cent_and_a_tiny_cost_is_not_zero(usd, written):
    assert formatting.money(usd) == written


def test_numbers_money_and_durations_follow_the_pages_language():
    with translation.override("fr"):
        assert formatting.number(0.3) == "0,3"
        assert formatting.number(12345) == "12\u202f345" or formatting.number(12345) == "12\xa0345"
    with translation.override("de"):
        assert formatting.number(1234.5) == "1.234,5"


def test_whole_numbers_have_no_decimals():
    assert formatting.number(3.0) == "3" and formatting.number(2.96) == "3" and formatting.number(2.94) == "2.9"


def test_relative_times_say_just_now_under_a_minute():
    assert formatting.ago(NOW - dt.timedelta(seconds=18), now=NOW) == "just now"
    assert formatting.ago(NOW - dt.timedelta(hours=3, minutes=20), now=NOW) == "3\xa0hours ago"
    assert formatting.ago(None) == ""


def test_dates_take_each_languages_short_shape():
    moment = timezone.make_aware(dt.datetime(2026, 12, 3, 14, 5))
    assert (formatting.date(moment), formatting.date_time(moment), formatting.day(moment)) == (
        "3 Dec 2026", "3 Dec 2026, 14:05", "3 Dec")  # fmt: skip
    with translation.override("fr"):
        assert formatting.day(moment) == "3 déc."
    with translation.override("de"):
        assert formatting.date(moment) == "3. Dez. 2026"
    assert formatting.date(None) == ""


@pytest.mark.parametrize(
    ("usd", "unpriced", "written"),
    [(None, False, "unknown"), (Decimal(0), True, "unknown"), (Decimal("0.123"), True, "≥ $0.12, some usage unpriced"),
     (Decimal("0.123"), False, "$0.12"), (Decimal(0), False, "$0.00")],
)  # fmt: skip
def test_an_unknown_cost_is_written_unknown_and_a_partly_known_one_as_a_floor(usd, unpriced, written):
    assert formatting.cost(usd, unpriced) == written


def test_a_month_is_written_with_its_year_in_the_pages_language():
    assert formatting.month(dt.date(2026, 11, 1)) == "November 2026"
    with translation.override("fr"):
        assert formatting.month(dt.date(2026, 11, 1)) == "novembre 2026"
