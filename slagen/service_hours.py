"""Model calendars → `BusinessCalendar` objects the service-level math runs on."""

from __future__ import annotations

from functools import lru_cache

from .calendar import BusinessCalendar, parse_weekly_hours
from .model import Calendar

__all__ = ["business_calendar", "prime_time_calendar"]


def business_calendar(calendar: Calendar) -> BusinessCalendar:
    """The calendar's open hours as a clock that knows its zone and holidays."""
    return _cached(calendar.hours, calendar.timezone, calendar.holidays, calendar.subdivision,
                   tuple(calendar.closed))


@lru_cache(maxsize=256)
def _cached(hours: str, timezone: str, country: str | None, subdivision: str | None,
            closed: tuple) -> BusinessCalendar:
    return BusinessCalendar(hours=parse_weekly_hours(hours), timezone=timezone,
                            holidays_country=country, holidays_subdivision=subdivision,
                            extra_closed=closed)


def prime_time_calendar(calendar: Calendar) -> BusinessCalendar | None:
    """The prime-time part of a calendar, if it declares one."""
    if calendar.prime_time is None:
        return None
    return BusinessCalendar(
        hours=parse_weekly_hours(calendar.prime_time),
        timezone=calendar.timezone,
        holidays_country=calendar.holidays,
        holidays_subdivision=calendar.subdivision,
        extra_closed=tuple(calendar.closed),
    )
