"""Service hours, time zones, holidays and the business-hours clock (domain.md §3.6)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slagen import calendar as calmod
from slagen.calendar import (
    BusinessCalendar,
    CalendarError,
    WeeklyHours,
    holiday_region_name,
    parse_weekly_hours,
    validate_holiday_region,
    validate_timezone,
)

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = 3600


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def office(spec: str = "Mon-Fri 08:00-18:00", **kwargs: object) -> BusinessCalendar:
    return BusinessCalendar(parse_weekly_hours(spec), "Europe/Berlin", **kwargs)  # type: ignore[arg-type]


# --- parsing and describing weekly hours ------------------------------------


@pytest.mark.parametrize(
    ("spec", "hours", "words"),
    [
        ("Mon-Fri 08:00-18:00", 50, "Monday to Friday, 08:00–18:00"),
        ("Mon-Fri 08:00-18:00; Sat 09:00-13:00", 54,
         "Monday to Friday 08:00–18:00 and Saturday 09:00–13:00"),
        ("Mon,Wed,Fri 07:00-19:00", 36, "Monday, Wednesday and Friday, 07:00–19:00"),
        ("Mon-Sun 00:00-24:00", 168, "24 hours a day, 7 days a week"),
        ("24x7", 168, "24 hours a day, 7 days a week"),
        ("Sun 02:00-04:00", 2, "Sunday, 02:00–04:00"),
        ("Mon-Fri 22:00-06:00", 40, "Monday to Friday, 22:00–06:00 (next day)"),
        ("Mon-Fri 08:00-12:00, 13:00-17:00", 40,
         "Monday to Friday, 08:00–12:00 and 13:00–17:00"),
        ("Sat-Sun 10:00-16:00", 12, "Saturday and Sunday, 10:00–16:00"),
        ("Mon-Sun 08:00-18:00", 70, "every day, 08:00–18:00"),
        ("Fri-Mon 09:00-17:00", 32, "Friday to Monday, 09:00–17:00"),
        ("Mon,Wed,Sat,Sun 09:00-17:00", 32, "Wednesday and Saturday to Monday, 09:00–17:00"),
        ("Sun,Mon 09:00-17:00", 16, "Sunday and Monday, 09:00–17:00"),
    ],
)
def test_parse_and_describe(spec: str, hours: int, words: str) -> None:
    parsed = parse_weekly_hours(spec)
    assert parsed.weekly_seconds == hours * HOUR
    assert parsed.describe() == words
    assert parse_weekly_hours(parsed.spec()) == parsed


def test_24x7_forms_are_equal() -> None:
    always = parse_weekly_hours("24x7")
    assert always == parse_weekly_hours("Mon-Sun 00:00-24:00") == WeeklyHours.always()
    assert always.is_24x7
    assert not parse_weekly_hours("Mon-Sat 00:00-24:00").is_24x7


def test_crossing_midnight_belongs_to_the_starting_day() -> None:
    nights = parse_weekly_hours("Mon-Fri 18:00-08:00")
    assert nights.spans[4] == ((18 * 60, 32 * 60),)
    assert nights.spans[5] == ()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Mon-Fry 08:00-18:00",
         "'Mon-Fry 08:00-18:00': unknown day 'Fry' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)"),
        ("08:00-18:00", "'08:00-18:00' names no days (e.g. Mon-Fri 08:00-18:00)"),
        ("Mon-Fri 25:00-26:00", "'25:00' is not a valid time"),
        ("Mon-Fri 08:60-18:00", "'08:60' is not a valid time"),
        ("Mon-Fri", "'Mon-Fri' gives no times (e.g. Mon-Fri 08:00-18:00)"),
        ("Mon 8-18", "'8-18' is not a time span (e.g. 08:00-18:00)"),
        ("Mon-Fri 08:00-18:00 Sat 09:00-13:00", "separate groups of days with ';'"),
        ("Mon 08:00-08:00", "is empty (for a whole day write 00:00-24:00)"),
        ("Mon 24:00-02:00", "cannot start at 24:00"),
        ("Mon-Fri 08:00-18:00; Mon 07:00-09:00",
         "Monday 07:00-09:00 and Monday 08:00-18:00 overlap"),
        ("Sun 22:00-06:00; Mon 05:00-07:00",
         "Sunday 22:00-06:00 and Monday 05:00-07:00 overlap"),
        ("Mon-Fri 08:00-18:00; Fri 09:00-10:00", "overlap"),
        ("", "empty service hours"),
        ("Mon--Fri 08:00-18:00", "'Mon--Fri' is not a day or range of days"),
    ],
)
def test_parse_errors_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(CalendarError) as caught:
        parse_weekly_hours(spec)
    assert message in str(caught.value)


def test_weekly_hours_rejects_bad_tables() -> None:
    with pytest.raises(CalendarError, match="7 days"):
        WeeklyHours(((),))
    with pytest.raises(CalendarError, match="overlap"):
        WeeklyHours((((0, 600), (500, 700)),) + ((),) * 6)
    with pytest.raises(CalendarError, match="not a span"):
        WeeklyHours((((600, 500),),) + ((),) * 6)


# --- time zones and holiday regions ------------------------------------------


def test_validate_timezone() -> None:
    assert validate_timezone("Europe/Berlin") == BERLIN
    for wrong, suggestion in [("Europe/Berln", "Europe/Berlin"), ("berlin", "Europe/Berlin"),
                              ("europe/berlin", "Europe/Berlin")]:
        with pytest.raises(CalendarError, match=f"did you mean '{suggestion}'"):
            validate_timezone(wrong)
    for wrong in ("Europe", "../etc/passwd", "", "zone.tab", "Factory", "posixrules",
                  "right/UTC", "/etc/localtime"):
        with pytest.raises(CalendarError, match="IANA name"):
            validate_timezone(wrong)
    with pytest.raises(CalendarError, match="different hours on different machines"):
        validate_timezone("localtime")  # the machine's own zone: not reproducible
    assert str(validate_timezone("Etc/GMT+5")) == "Etc/GMT+5"


def test_validate_holiday_region() -> None:
    assert validate_holiday_region("de", "by") == ("DE", "BY")
    assert validate_holiday_region("DE", "Bayern") == ("DE", "BY")
    assert validate_holiday_region("NO", None) == ("NO", None)
    with pytest.raises(CalendarError, match="in quotes, e.g. 'NO'"):
        validate_holiday_region(False, None)  # type: ignore[arg-type]
    with pytest.raises(CalendarError, match="did you mean 'DE'"):
        validate_holiday_region("Germany", None)
    with pytest.raises(CalendarError, match="did you mean 'DE'"):
        validate_holiday_region("Germny", None)
    with pytest.raises(CalendarError, match="unknown subdivision 'XY' for DE .*BW, BY"):
        validate_holiday_region("DE", "XY")
    with pytest.raises(CalendarError, match="did you mean 'CA'"):
        validate_holiday_region("US", "Kalifornia")


def test_region_names() -> None:
    assert holiday_region_name("DE", "BY") == "Germany (Bayern)"
    assert holiday_region_name("GB", "ENG") == "the United Kingdom (England)"
    assert holiday_region_name("NO") == "Norway"


def test_calendar_validates_and_normalises() -> None:
    cal = BusinessCalendar(WeeklyHours.always(), "UTC", "de", "bayern")
    assert (cal.holidays_country, cal.holidays_subdivision) == ("DE", "BY")
    with pytest.raises(CalendarError, match="needs a country"):
        BusinessCalendar(WeeklyHours.always(), "UTC", None, "BY")
    with pytest.raises(CalendarError, match="unknown time zone"):
        BusinessCalendar(WeeklyHours.always(), "Mars/Olympus")


def test_calendar_describe() -> None:
    assert office(holidays_country="DE", holidays_subdivision="BY").describe() == (
        "Monday to Friday, 08:00–18:00 (Europe/Berlin), "
        "excluding public holidays in Germany (Bayern)"
    )
    assert BusinessCalendar.always("Europe/Berlin").describe() == "24 hours a day, 7 days a week"
    closed = office(extra_closed=(date(2027, 12, 31), date(2027, 12, 24)))
    assert closed.describe().endswith("(Europe/Berlin), closed on 2027-12-24 and 2027-12-31")


def test_closed_dates_lists_real_holidays() -> None:
    bavaria = dict(office(holidays_country="DE", holidays_subdivision="BY").closed_dates(2027))
    berlin = dict(office(holidays_country="DE", holidays_subdivision="BE").closed_dates(2027))
    assert date(2027, 5, 17) in bavaria and date(2027, 5, 17) in berlin  # Whit Monday
    assert date(2027, 5, 27) in bavaria and date(2027, 5, 27) not in berlin  # Corpus Christi


# --- the business-hours clock ------------------------------------------------


def test_p1_logged_friday_17_ends_monday_11() -> None:
    assert office().add(at(2027, 1, 15, 17), 4 * HOUR) == at(2027, 1, 18, 11)


def test_domain_example_friday_1630_ends_monday_1230() -> None:
    cal = office("Mon-Fri 09:00-17:00")
    assert cal.add(at(2027, 1, 15, 16, 30), 4 * HOUR) == at(2027, 1, 18, 12, 30)


def test_budget_ending_at_closing_time_ends_then() -> None:
    assert office().add(at(2027, 1, 15, 17), HOUR) == at(2027, 1, 15, 18)
    assert office().add(at(2027, 1, 16, 12), 0) == at(2027, 1, 16, 12)


def test_start_outside_hours_waits_for_opening() -> None:
    assert office().add(at(2027, 1, 16, 12), 30 * 60) == at(2027, 1, 18, 8, 30)


def test_holiday_monday_pushes_to_tuesday() -> None:
    german = office(holidays_country="DE")
    assert german.add(at(2027, 5, 14, 17), 4 * HOUR) == at(2027, 5, 18, 11)  # Whit Monday
    assert office().add(at(2027, 5, 14, 17), 4 * HOUR) == at(2027, 5, 17, 11)


def test_subdivision_holidays_matter() -> None:
    bavaria = office(holidays_country="DE", holidays_subdivision="BY")
    berlin = office(holidays_country="DE", holidays_subdivision="BE")
    start = at(2027, 5, 26, 17)  # Wednesday before Corpus Christi
    assert bavaria.add(start, 4 * HOUR) == at(2027, 5, 28, 11)
    assert berlin.add(start, 4 * HOUR) == at(2027, 5, 27, 11)


def test_easter_and_dst_together() -> None:
    german = office(holidays_country="DE")
    result = german.add(at(2027, 3, 25, 17), 4 * HOUR)  # Good Friday, DST, Easter Monday
    assert result == at(2027, 3, 30, 11)
    assert result.utcoffset() == timedelta(hours=2)


def test_extra_closed_days() -> None:
    cal = office(extra_closed=(date(2027, 1, 18),))
    assert cal.add(at(2027, 1, 15, 17), 4 * HOUR) == at(2027, 1, 19, 11)
    assert not cal.is_open(at(2027, 1, 18, 12))


def test_is_open_converts_to_the_calendar_zone() -> None:
    cal = office()
    assert cal.is_open(datetime(2027, 1, 18, 7, 30, tzinfo=UTC))  # 08:30 CET
    assert cal.is_open(datetime(2027, 7, 19, 6, 30, tzinfo=UTC))  # 08:30 CEST
    assert not cal.is_open(datetime(2027, 7, 19, 5, 30, tzinfo=UTC))  # 07:30 CEST
    assert not cal.is_open(at(2027, 1, 18, 18))  # closing time is closed
    assert cal.is_open(at(2027, 1, 18, 8))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(CalendarError, match="no time zone"):
        office().is_open(datetime(2027, 1, 18, 9))
    with pytest.raises(CalendarError, match="no time zone"):
        office().add(datetime(2027, 1, 18, 9), 60)


def test_crossing_midnight_spans() -> None:
    nights = office("Mon-Fri 22:00-06:00")
    assert nights.is_open(at(2027, 1, 16, 3))  # Saturday morning: Friday's night
    assert not nights.is_open(at(2027, 1, 18, 3))  # Monday morning: Sunday had none
    assert nights.is_open(at(2027, 1, 18, 23))
    assert nights.add(at(2027, 1, 15, 5), 2 * HOUR) == at(2027, 1, 15, 23)
    assert nights.add(at(2027, 1, 16, 5), 2 * HOUR) == at(2027, 1, 18, 23)


def test_holiday_cuts_a_night_span_at_midnight() -> None:
    nights = office("Mon-Fri 22:00-06:00", holidays_country="DE")
    # Ascension Day, Thursday 2027-05-06: Wed 22-24 and Fri 00-06 count, Thursday not.
    assert nights.open_seconds(at(2027, 5, 5, 12), at(2027, 5, 7, 12)) == 8 * HOUR


def test_dst_week_in_berlin() -> None:
    always = BusinessCalendar.always("Europe/Berlin")
    assert always.open_seconds(at(2027, 3, 22), at(2027, 3, 29)) == 167 * HOUR
    assert always.open_seconds(at(2027, 10, 25), at(2027, 11, 1)) == 169 * HOUR
    assert always.month_open_seconds(2027, 3) == (31 * 24 - 1) * HOUR
    assert always.month_open_seconds(2027, 10) == (31 * 24 + 1) * HOUR
    assert always.add(at(2027, 3, 27, 12), 24 * HOUR) == at(2027, 3, 28, 13)
    assert always.add(at(2027, 10, 30, 12), 24 * HOUR) == at(2027, 10, 31, 11)
    assert office().open_seconds(at(2027, 3, 22), at(2027, 3, 29)) == 50 * HOUR


def test_spans_inside_dst_changes_follow_the_wall_clock() -> None:
    spring, autumn = (at(2027, 3, 27), at(2027, 3, 29)), (at(2027, 10, 30), at(2027, 11, 1))
    maintenance = office("Sun 02:00-04:00")
    assert maintenance.open_seconds(*spring) == HOUR  # 02:00-03:00 never happens
    assert maintenance.open_seconds(*autumn) == 3 * HOUR  # 02:00-03:00 happens twice
    late = office("Sun 02:30-04:00")  # starts inside the skipped hour: opens at the jump
    assert late.open_seconds(*spring) == HOUR
    assert office("Sat 22:00-06:00").open_seconds(*spring) == 7 * HOUR


def test_business_days() -> None:
    cal = office()
    assert cal.business_day_seconds() == 10 * HOUR
    assert cal.add_business_days(at(2027, 1, 19, 10), 1) == at(2027, 1, 20, 10)
    assert cal.add_business_days(at(2027, 1, 15, 10), 2) == at(2027, 1, 19, 10)
    assert cal.add_business_days(at(2027, 1, 16, 10), 1) == at(2027, 1, 18, 18)
    german = office(holidays_country="DE")
    assert german.add_business_days(at(2027, 5, 14, 10), 1) == at(2027, 5, 18, 10)


@pytest.mark.parametrize(
    ("spec", "hours"),
    [
        ("Mon-Fri 08:00-18:00; Sat 09:00-13:00", 10),
        ("Mon-Thu 08:00-17:00; Fri 08:00-14:00", 9),
        ("Mon-Wed 08:00-18:00; Thu-Sat 09:00-13:00", 4),  # a tie goes to the shorter day
        ("24x7", 24),
    ],
)
def test_business_day_is_the_most_common_day(spec: str, hours: int) -> None:
    assert office(spec).business_day_seconds() == hours * HOUR


def test_month_open_seconds_counts_weekdays_and_holidays() -> None:
    assert office("Mon-Fri 09:00-18:00").month_open_seconds(2027, 6) == 22 * 9 * HOUR
    bavaria = office("Mon-Fri 09:00-18:00", holidays_country="DE", holidays_subdivision="BY")
    # May 2027: 21 weekdays minus Ascension, Whit Monday and Corpus Christi.
    assert bavaria.month_open_seconds(2027, 5) == 18 * 9 * HOUR
    with pytest.raises(CalendarError, match="1 to 12"):
        bavaria.month_open_seconds(2027, 13)


def test_no_open_time_is_an_error_not_a_hang() -> None:
    never = BusinessCalendar(WeeklyHours(((),) * 7))
    with pytest.raises(CalendarError, match="no service hours"):
        never.add(at(2027, 1, 1), 60)
    with pytest.raises(CalendarError, match="no service hours"):
        never.business_day_seconds()
    assert never.open_seconds(at(2027, 1, 1), at(2027, 2, 1)) == 0
    assert never.hours.describe() == "no service hours"


def test_long_closures_stop_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calmod, "_MAX_CLOSED_DAYS", 20)
    mondays = tuple(date(2027, 1, 18) + timedelta(weeks=n) for n in range(3))
    cal = office("Mon 09:00-10:00", extra_closed=mondays)
    with pytest.raises(CalendarError, match="no open time"):
        cal.add(at(2027, 1, 15), 60)
    assert office("Mon 09:00-10:00").add(at(2027, 1, 15), 60) == at(2027, 1, 18, 9, 1)


def test_bad_arguments() -> None:
    with pytest.raises(CalendarError, match="negative"):
        office().add(at(2027, 1, 1), -1)
    with pytest.raises(CalendarError, match="before it starts"):
        office().open_seconds(at(2027, 1, 2), at(2027, 1, 1))
    with pytest.raises(CalendarError, match="negative"):
        office().add_business_days(at(2027, 1, 1), -1)


def test_a_year_of_business_time_is_quick() -> None:
    cal = office(holidays_country="DE", holidays_subdivision="BY")
    end = cal.add(at(2027, 1, 1), 2500 * HOUR)
    assert cal.open_seconds(at(2027, 1, 1), end) == 2500 * HOUR


# --- properties --------------------------------------------------------------

CALENDARS = [
    office(holidays_country="DE", holidays_subdivision="BY"),
    BusinessCalendar(parse_weekly_hours("Mon-Fri 22:00-06:00; Sat 09:00-13:00"),
                     "America/New_York", "US", "NY"),
    office("Sun 02:30-04:00; Wed 00:00-24:00"),
    BusinessCalendar(WeeklyHours.always(), "Europe/Berlin", extra_closed=(date(2027, 3, 28),)),
]
BASE = datetime(2026, 9, 1, tzinfo=UTC)
starts = st.integers(0, 2 * 365 * 86400).map(lambda s: BASE + timedelta(seconds=s))
calendars = st.sampled_from(CALENDARS)


@settings(max_examples=80, deadline=None)
@given(calendars, starts, st.integers(0, 300 * HOUR))
def test_add_is_consistent_with_open_seconds(
    cal: BusinessCalendar, start: datetime, seconds: int
) -> None:
    end = cal.add(start, seconds)
    assert cal.open_seconds(start, end) == seconds
    if seconds:
        # In UTC: arithmetic on a local time is wall-clock arithmetic, which is off by an
        # hour across the autumn change (found by Hypothesis: Sun 02:30-04:00 in Berlin).
        last_second = end.astimezone(UTC) - timedelta(seconds=1)
        assert cal.is_open(last_second)
        assert cal.open_seconds(start, last_second) == seconds - 1


@settings(max_examples=60, deadline=None)
@given(calendars, starts, st.integers(0, 40 * 86400), st.integers(0, 40 * 86400))
def test_open_seconds_is_additive(
    cal: BusinessCalendar, start: datetime, first: int, second: int
) -> None:
    middle = start + timedelta(seconds=first)
    end = middle + timedelta(seconds=second)
    total = cal.open_seconds(start, end)
    assert total == cal.open_seconds(start, middle) + cal.open_seconds(middle, end)
    assert 0 <= total <= (end - start).total_seconds()


@settings(max_examples=80, deadline=None)
@given(calendars, starts)
def test_is_open_agrees_with_open_seconds(cal: BusinessCalendar, moment: datetime) -> None:
    assert cal.is_open(moment) == (cal.open_seconds(moment, moment + timedelta(seconds=1)) == 1)
